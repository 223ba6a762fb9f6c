"""The demo users listed in the README, created or brought up to date by ``manage.py load_demo``."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from kenes.accounts.models import Role, User
from kenes.core.classification import Classification
from kenes.directory.models import Organization

COUNCIL = "security-council"
APPARATUS = "security-council-apparatus"

DEMO_USERS = [
    # username, role, organization code, clearance, first name, last name, position
    ("chair", Role.CHAIRMAN, COUNCIL, Classification.SPECIAL_IMPORTANCE, "Ерлан", "Сейітқали", "Chairman"),
    ("secretary", Role.SECRETARY, APPARATUS, Classification.SPECIAL_IMPORTANCE, "Ғалым", "Нұрланов", "Secretary"),
    ("analyst", Role.ANALYST, APPARATUS, Classification.SECRET, "Әйгерім", "Қасымова", "Chief analyst"),
    ("controller", Role.CONTROLLER, APPARATUS, Classification.SECRET, "Мұрат", "Өтебаев", "Chief controller"),
    ("member_mvd", Role.MEMBER, "mia", Classification.TOP_SECRET, "Асқар", "Жұмабеков", "Minister"),
    ("liaison_mvd", Role.LIAISON, "mia", Classification.OFFICIAL, "Дина", "Серікова", "Liaison officer"),
    (
        "liaison_almaty",
        Role.LIAISON,
        "akimat-almaty-city",
        Classification.OFFICIAL,
        "Үмит",
        "Һадиева",
        "Liaison officer",
    ),
    ("auditor", Role.AUDITOR, APPARATUS, Classification.SECRET, "Іңкәр", "Бекова", "Auditor"),
    ("admin", Role.ADMINISTRATOR, APPARATUS, Classification.OFFICIAL, "Нұрбол", "Ахметов", "System administrator"),
]

ADMINISTRATORS_GROUP = "Administrators"
ADMINISTRATOR_PERMISSIONS = [
    ("accounts", "user"),
    ("accounts", "apitoken"),
    ("directory", "organization"),
    ("directory", "region"),
    ("control", "calendaroverride"),
]


@transaction.atomic
def administrators_group() -> Group:
    """The group that lets the administrator manage accounts and the directory in the admin site."""
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label__in=[a for a, _ in ADMINISTRATOR_PERMISSIONS],
        content_type__model__in=[m for _, m in ADMINISTRATOR_PERMISSIONS],
    )
    group.permissions.set(permissions)
    return group


@transaction.atomic
def load_demo_users(password: str) -> int:
    """Create the demo users, or bring them back to their demo state; returns how many were created."""
    group = administrators_group()
    created_count = 0
    for username, role, org_code, clearance, first, last, position in DEMO_USERS:
        organization = Organization.objects.get(code=org_code)
        existing = User.objects.filter(username=username).first()
        created = existing is None
        user = existing if existing is not None else User(username=username)
        user.role, user.clearance, user.organization = role, clearance, organization
        user.first_name, user.last_name, user.position = first, last, position
        user.is_active = True
        user.is_staff = role == Role.ADMINISTRATOR
        if created or not user.check_password(password):
            user.set_password(password)
        user.save()
        if user.is_staff:
            user.groups.add(group)
        created_count += created
    return created_count
