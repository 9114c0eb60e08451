from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Profile


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks besides the account itself
    (settings.ACCOUNT_SIGNUP_FORM_CLASS): allauth's form inherits these
    fields; the adapter saves them with the new profile."""

    display_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=Profile._meta.get_field("display_name").max_length,
        help_text=gettext_lazy(
            "How your name appears beside your entries and comments."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["display_name", "email", "username", "password1", "password2"]

    def signup(self, request, user: User) -> None:
        """allauth calls this after saving the user; the adapter has already
        saved the display name with the profile."""


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "bio", "website", "time_zone"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "display_name": gettext_lazy(
                "How your name appears beside your entries and comments."
            ),
            "bio": gettext_lazy(
                "A line or two about you and your work (500 characters at most)."
            ),
            "time_zone": gettext_lazy(
                "Dates and times are shown to you in this time zone."
            ),
        }


class DeleteAccountForm(forms.Form):
    """Confirm with the password, or the username for an account without one."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy(
            "To be sure it is you, and not someone at a computer you left."
        ),
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            self.fields["password"] = forms.CharField(
                label=gettext("Your username"),
                help_text=gettext("Type %(username)s to confirm.")
                % {"username": user.username},
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )

    def clean_password(self) -> str:
        value = self.cleaned_data["password"]
        if self.user.has_usable_password():
            if not self.user.check_password(value):
                raise forms.ValidationError(gettext("That is not your password."))
        elif value.strip().lower() != self.user.username.lower():
            raise forms.ValidationError(gettext("That is not your username."))
        return value
