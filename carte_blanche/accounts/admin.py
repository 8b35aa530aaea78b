from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from carte_blanche.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "structure", "operator", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Rôle", {"fields": ("role", "structure", "operator")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Rôle", {"fields": ("role", "structure", "operator")}))
