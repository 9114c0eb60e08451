from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from accounts.models import Profile
from core import freshness
from core.admin import SaysWhatChanged


@admin.register(Profile)
class ProfileAdmin(SaysWhatChanged):
    list_display = ["user", "display_name", "time_zone"]
    search_fields = ["user__username", "user__email", "display_name"]

    def changed(self, obj: Profile) -> None:
        freshness.person_changed(obj.user_id)


admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(SaysWhatChanged, UserAdmin):
    """A user made inactive, or given a new password, here is signed out at once."""

    def changed(self, obj: User) -> None:
        freshness.person_changed(obj.pk)
