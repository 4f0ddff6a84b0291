from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Area, Membership, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data:
            # A platform administrator's decision: no organisation may undo it by adding the
            # account again (accounts.services.members.member_add).
            obj.deactivated_by_organisation = None
        super().save_model(request, obj, form, change)


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "homes_owned", "group"]
    inlines = [AreaInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new landlord starts with Haven's risk matrix (W10) and W12's agencies.
            from risk.services import question_set_ensure_default
            from support.services.referrals import agencies_ensure_defaults

            question_set_ensure_default(organisation=obj)
            agencies_ensure_defaults(organisation=obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]
    autocomplete_fields = ["user"]
