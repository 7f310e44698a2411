from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "successor"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "agency", "is_active"]
    list_filter = ["role", "agency", "is_active"]
    autocomplete_fields = ["agency"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("One-stop role"), {"fields": ("role", "agency", "phone", "id_number")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("One-stop role"), {"fields": ("role", "agency")}),)
