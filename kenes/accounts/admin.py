"""Account management for the administrator: users and their roles, clearances and organizations.

Changes made here are audited like any other (the audit signals run inside the admin's transaction).
An administrator may not grant a clearance above his own."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kenes.accounts import services
from kenes.accounts.models import ApiToken, User


class ClearanceLimitMixin(forms.ModelForm):
    acting_user: User | None = None

    def clean_clearance(self):
        clearance = self.cleaned_data["clearance"]
        if self.acting_user is not None and clearance > self.acting_user.clearance:
            raise ValidationError(_("You may not grant a clearance above your own."))
        return clearance


@admin.register(User)
class KenesUserAdmin(UserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "clearance", "organization", "is_active")
    list_filter = ("role", "clearance", "is_active", "organization__kind")
    list_select_related = ("organization",)
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("organization",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "position", "preferred_language")}),
        (_("Access"), {"fields": ("role", "clearance", "organization", "is_active", "is_staff", "groups")}),
        (_("Second factor"), {"fields": ("totp_confirmed_at",)}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "password1", "password2", "role", "clearance", "organization")}),)
    readonly_fields = ("totp_confirmed_at", "last_login", "date_joined")
    actions = ["reset_second_factor"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("LimitedUserForm", (ClearanceLimitMixin, form), {"acting_user": request.user})

    @admin.action(description=_("Reset the second factor (device lost)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            services.reset_second_factor(user, actor=request.user)
        messages.success(request, _("The second factor was reset for %(n)d users.") % {"n": queryset.count()})


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_select_related = ("user",)
    readonly_fields = ("user", "prefix", "name", "created_at", "expires_at", "revoked_at", "last_used_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.revoke_token(token, actor=request.user)
