import time

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Profile
from accounts.validators import is_within_domains

#: The sign-up form's hidden field for robots: people neither see it nor reach
#: it (templates/accounts/honeypot_field.html); a program filling in every
#: field fills it.
HONEYPOT = "homepage"
STARTED_SALT = "accounts.signup.started"
#: How long a sign-up page may stay open before its form must be sent afresh.
STARTED_MAX_AGE = 24 * 60 * 60


def signed_now() -> str:
    return signing.dumps(time.time(), salt=STARTED_SALT)


def allows_email_domain(email: str) -> bool:
    """Whether sign-ups take `email`: any address, or with
    PONDER_SIGNUP_EMAIL_DOMAINS set, one at a listed domain or under it."""
    allowed = settings.PONDER_SIGNUP_EMAIL_DOMAINS
    return not allowed or is_within_domains(email.rpartition("@")[2], allowed)


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks besides the account itself
    (settings.ACCOUNT_SIGNUP_FORM_CLASS): allauth's form inherits these
    fields and this `clean`; the adapter saves the name with the new profile.

    It also turns robots away (allauth's own rate limits stay): a field only
    a program fills in, and the time the page was shown, signed, so a form sent
    sooner than PONDER_SIGNUP_MIN_SECONDS after it is refused. Either way the
    form comes back with a plain message, for the rare person caught too.
    """

    display_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=Profile._meta.get_field("display_name").max_length,
        help_text=gettext_lazy(
            "How your name appears beside your entries and comments."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    homepage = forms.CharField(
        label=gettext_lazy("Leave this empty"),
        required=False,
        template_name="accounts/honeypot_field.html",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(
        required=False, initial=signed_now, widget=forms.HiddenInput
    )

    field_order = ["display_name", "email", "username", "password1", "password2"]

    def clean(self) -> dict:
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and not allows_email_domain(email):
            self.add_error(
                "email",
                gettext("Sign-ups here are open to addresses at %(domains)s only.")
                % {"domains": ", ".join(settings.PONDER_SIGNUP_EMAIL_DOMAINS)},
            )
        if cleaned.get(HONEYPOT):
            self._ask_again({HONEYPOT: ""})
            raise forms.ValidationError(
                gettext(
                    "Your browser filled in a field meant to stay empty. "
                    "Check your details and send the form again."
                )
            )
        if self._sent_too_soon(cleaned.get("started", "")):
            raise forms.ValidationError(
                gettext(
                    "That was sent sooner than anyone can fill in the form. "
                    "Check your details and send it again."
                )
            )
        return cleaned

    def _sent_too_soon(self, started: str) -> bool:
        least = settings.PONDER_SIGNUP_MIN_SECONDS
        if not least:
            return False
        try:
            shown_at = signing.loads(
                started, salt=STARTED_SALT, max_age=STARTED_MAX_AGE
            )
        except signing.BadSignature:
            # Missing, forged or out of date: this page's form starts the clock.
            self._ask_again({"started": signed_now()})
            return True
        return time.time() - shown_at < least

    def _ask_again(self, fields: dict[str, str]) -> None:
        """Show the form again with these values instead of those sent."""
        self.data = self.data.copy()
        for name, value in fields.items():
            self.data[name] = value

    def signup(self, request, user: User) -> None:
        """allauth calls this after saving the user; the adapter has already
        saved the display name with the profile."""


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=[
            ("", gettext_lazy("The one your browser asks for")),
            *settings.LANGUAGES,
        ],
        required=False,
        help_text=gettext_lazy("Pages and e-mails are in this language."),
    )

    class Meta:
        model = Profile
        fields = ["display_name", "bio", "website", "time_zone", "language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        # Profile's fields have no verbose_name of their own (adding one would
        # be a migration): the labels people read are set here.
        labels = {
            "display_name": gettext_lazy("Display name"),
            "bio": gettext_lazy("Bio"),
            "website": gettext_lazy("Website"),
            "time_zone": gettext_lazy("Time zone"),
        }
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


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)


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
