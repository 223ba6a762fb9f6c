from django.contrib import admin

from kenes.directory.models import Organization, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ru", "name_kk", "kind")
    search_fields = ("code", "name_en", "name_ru", "name_kk")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "kind", "parent", "region", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("parent", "region")
    search_fields = ("code", "name_en", "name_ru", "name_kk")
    autocomplete_fields = ("parent", "region")
