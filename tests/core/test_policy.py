"""The one visibility policy, over the matrix of clearances × classifications × organizations."""

import itertools
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404

from kenes.accounts.models import Role
from kenes.core import policy, search
from kenes.core.classification import Classification
from tests.conftest import make_user
from tests.testapp.models import Dossier, Unclassified

LEVELS = list(Classification)
ROLES = [Role.ANALYST, Role.MEMBER, Role.LIAISON, Role.ADMINISTRATOR, Role.CHAIRMAN]


@pytest.fixture
def dossiers(orgs):
    """One dossier per classification level for each of two organizations."""
    return [
        Dossier.objects.create(
            title=f"dossier {level.slug} {org_key}", classification=level, organization=orgs[org_key]
        )
        for level, org_key in itertools.product(LEVELS, ["mia", "akimat"])
    ]


def expected_visible(user, dossier) -> bool:
    if dossier.classification > user.clearance:
        return False
    return not user.is_liaison or dossier.organization_id == user.organization_id


def test_matrix_of_clearances_classifications_and_organizations(orgs, dossiers):
    checked = 0
    for index, (role, clearance, org_key) in enumerate(itertools.product(ROLES, LEVELS, ["mia", "akimat"])):
        user = make_user(f"u{index}", role, clearance, orgs[org_key])
        expected = {d.pk for d in dossiers if expected_visible(user, d)}
        assert set(Dossier.objects.visible_to(user).values_list("pk", flat=True)) == expected
        assert Dossier.objects.visible_to(user).count() == len(expected)
        for dossier in dossiers:
            assert policy.can_read(user, dossier) is (dossier.pk in expected)
            if dossier.pk in expected:
                assert policy.get_visible_or_404(Dossier.objects.all(), user, pk=dossier.pk) == dossier
            else:
                with pytest.raises(Http404):
                    policy.get_visible_or_404(Dossier.objects.all(), user, pk=dossier.pk)
        _count, hits = search.search(user, "dossier", limit=500)
        assert {h.id for h in hits if h.type == "dossier"} == expected
        checked += 1
    assert checked == len(ROLES) * len(LEVELS) * 2


def test_a_liaison_sees_nothing_of_his_own_body_above_his_clearance(orgs, users, dossiers):
    liaison = users["liaison"]
    visible = list(Dossier.objects.visible_to(liaison))
    assert visible and all(d.organization == orgs["mia"] for d in visible)
    assert all(d.classification <= Classification.OFFICIAL for d in visible)


@pytest.mark.parametrize("state", ["anonymous", "inactive", "none"])
def test_no_reader_sees_nothing(users, dossiers, state):
    from django.contrib.auth.models import AnonymousUser

    user = {"anonymous": AnonymousUser(), "none": None}.get(state)
    if state == "inactive":
        user = users["chair"]
        user.is_active = False
    assert Dossier.objects.visible_to(user).count() == 0
    assert search.search(user, "dossier") == (0, [])


def test_a_model_without_classification_cannot_be_read_through_the_policy(users):
    with pytest.raises(TypeError):
        policy.visibility_q(Unclassified, users["chair"])


def test_the_default_need_to_know_denies_liaisons(users):
    from kenes.core.models import ClassifiedModel

    assert ClassifiedModel.need_to_know_q(users["liaison"]) == policy.NOTHING
    assert ClassifiedModel.need_to_know_q(users["analyst"]) == Q()


def test_nobody_classifies_above_his_clearance(users):
    policy.ensure_may_classify(users["analyst"], Classification.SECRET)
    with pytest.raises(PermissionDenied):
        policy.ensure_may_classify(users["analyst"], Classification.TOP_SECRET)


def test_high_water_mark(orgs):
    session = Dossier.objects.create(title="s", classification=Classification.TOP_SECRET)
    other = Dossier.objects.create(title="o", classification=Classification.SECRET)
    assert policy.high_water_mark([session, other, None]) == Classification.TOP_SECRET
    assert policy.high_water_mark([]) == Classification.PUBLIC
    policy.ensure_high_water(Classification.TOP_SECRET, [session])
    policy.ensure_high_water(Classification.SPECIAL_IMPORTANCE, [session])
    with pytest.raises(ValidationError) as error:
        policy.ensure_high_water(Classification.SECRET, [session, other])
    assert "classification" in error.value.message_dict


def test_only_chairman_and_secretary_declassify(users):
    policy.ensure_may_change_level(users["secretary"], Classification.TOP_SECRET, Classification.OFFICIAL)
    policy.ensure_may_change_level(users["chair"], Classification.SECRET, Classification.PUBLIC)
    policy.ensure_may_change_level(users["analyst"], Classification.OFFICIAL, Classification.SECRET)
    with pytest.raises(PermissionDenied):
        policy.ensure_may_change_level(users["analyst"], Classification.SECRET, Classification.OFFICIAL)


def test_audit_readers(users):
    readers = {k for k, u in users.items() if policy.may_read_audit(u)}
    assert readers == {"chair", "secretary", "auditor"}


UNRESTRICTED = re.compile(r"\b[A-Z]\w+\.objects\.")
ALLOWED = ("visible_to(", "get_visible_or_404(", "read_or_404(", "# policy:")


def test_views_and_api_read_only_through_the_policy():
    """A lint: views, API modules and template tags get rows only through the policy, or say why not."""
    root = Path(__file__).resolve().parents[2] / "kenes"
    offenders = []
    for path in [*root.glob("*/views.py"), *root.glob("*/api.py"), *root.glob("*/templatetags/*.py")]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if UNRESTRICTED.search(line) and not any(mark in line for mark in ALLOWED):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
