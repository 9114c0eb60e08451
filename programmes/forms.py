import re

from django import forms
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext, gettext_lazy

from accounts import sso
from core.images import ImageRefused, PortableImage, check_size
from programmes import cadence
from programmes.models import Cohort, Programme, Thing
from programmes.portable import (
    MAX_UPLOAD_BYTES,
    PortableFileError,
    ProgrammeData,
    read_portable_file,
)

#: A domain name such as uni.example: labels of letters, digits and hyphens.
DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "slug", "summary", "offers_reflection_reading"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "title": gettext_lazy("Title"),
            "slug": gettext_lazy("Slug"),
            "summary": gettext_lazy("Summary"),
            "offers_reflection_reading": gettext_lazy(
                "Offer participants a private reading of their entries"
            ),
        }
        help_texts = {
            "slug": gettext_lazy("Letters, digits and hyphens; it names the programme.")
        }


class QuestionsField(forms.CharField):
    """Questions are edited one per line and stored as an ordered list."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: object) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


#: The most minutes a Thing may be estimated to take (a hundred hours): the
#: same answer on every database, whose integers differ in size.
MOST_MINUTES = 6000
#: The most Things a cohort may ask to be finished.
MOST_THINGS = 1000


class ThingForm(forms.ModelForm):
    estimated_minutes = forms.IntegerField(
        label=gettext_lazy("Estimated minutes"),
        required=False,
        min_value=0,
        max_value=MOST_MINUTES,
    )
    questions = QuestionsField(
        label=gettext_lazy("Questions"),
        required=False,
        max_length=5000,
        help_text=gettext_lazy(
            "One question per line. Entries start with them as headings."
        ),
    )

    # Without JavaScript: an image uploaded on save, shown at the end of the
    # introduction (journal/image_upload.html shows these fields).
    image = forms.FileField(
        label=gettext_lazy("Add an image"),
        required=False,
        help_text=gettext_lazy(
            "JPEG, PNG, GIF or WebP. It goes at the end of the introduction."
        ),
    )
    image_alt = forms.CharField(
        label=gettext_lazy("Its alt text"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy(
            "What the image shows, for participants who cannot see it."
        ),
    )
    image_decorative = forms.BooleanField(
        label=gettext_lazy("Decorative: it adds nothing to the words"), required=False
    )

    class Meta:
        model = Thing
        fields = [
            "title",
            "slug",
            "introduction",
            "questions",
            "action",
            "estimated_minutes",
            "status",
        ]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 12}),
            "action": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title": gettext_lazy("Title"),
            "slug": gettext_lazy("Slug"),
            "introduction": gettext_lazy("Introduction"),
            "action": gettext_lazy("Suggested action"),
            "status": gettext_lazy("Status"),
        }
        help_texts = {
            "slug": gettext_lazy(
                "Part of the Thing's address. It stays when Things are reordered."
            ),
            "introduction": gettext_lazy(
                "Markdown: **bold**, _italic_, lists, [links](https://…)."
            ),
        }

    def __init__(self, *args, programme: Programme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["slug"].required = False
        if self.instance.pk:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = gettext(
                "A published address does not change."
            )

    def clean_slug(self) -> str:
        # A slug made from a long title is cut to fit the field.
        max_length = Thing._meta.get_field("slug").max_length
        slug = self.cleaned_data.get("slug") or slugify(
            self.cleaned_data.get("title", "")
        )[:max_length].strip("-")
        if not slug:
            raise forms.ValidationError(
                gettext("Give the Thing a title or an address.")
            )
        clash = self.programme.things.filter(slug=slug).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                gettext("Another Thing of this programme has it.")
            )
        return slug

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload:
            try:
                check_size(upload.size or 0)
            except ImageRefused as refused:
                raise forms.ValidationError(str(refused)) from None
        return upload

    def clean(self) -> dict:
        """The image fields become `new_image` (None without a file); the
        rest are the Thing's."""
        cleaned = super().clean()
        upload = cleaned.pop("image", None)
        alt = cleaned.pop("image_alt", "")
        decorative = cleaned.pop("image_decorative", False)
        self.new_image = None
        if not upload:
            return cleaned
        if decorative and alt.strip():
            self.add_error(
                "image_decorative",
                gettext("An image with alt text is not decorative: clear one of them."),
            )
        elif cleaned.get("status") == Thing.Status.PUBLISHED and not (
            alt.strip() or decorative
        ):
            self.add_error(
                "image_alt",
                gettext(
                    "Describe the image, or mark it decorative, before publishing."
                ),
            )
        else:
            self.new_image = PortableImage(
                name=upload.name, content=upload.read(), alt=alt, decorative=decorative
            )
        return cleaned


class WeekNumbersField(forms.CharField):
    """Week numbers typed as "3, 7"; stored as a sorted list of numbers."""

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return ", ".join(str(week) for week in value)
        return value

    def to_python(self, value: object) -> list[int]:
        text = super().to_python(value)
        parts = [part.strip() for part in text.replace(";", ",").split(",")]
        try:
            weeks = {int(part) for part in parts if part}
        except ValueError:
            raise forms.ValidationError(
                gettext("Give week numbers separated by commas, such as 3, 7.")
            ) from None
        if any(week < 1 for week in weeks):
            raise forms.ValidationError(
                gettext("Weeks count from 1, the week of the start date.")
            )
        if any(week > MOST_WEEKS for week in weeks):
            raise forms.ValidationError(
                gettext("Choose weeks within five years of the start.")
            )
        return sorted(weeks)


# Five years of weeks, like the dates of the schedule form; bounds the work
# of checking the catch-up weeks against the programme.
MOST_WEEKS = 5 * 53


class CadenceForm(forms.ModelForm):
    """The cohort's cadence (programmes/cadence.py): opening weekdays and
    catch-up weeks, checked against the programme's length."""

    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Things open on"),
        choices=cadence.WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "One Thing opens on each day you tick: Tuesday and Thursday is two "
            "a week. Thing 1 opens on the first of them from the start date."
        ),
        error_messages={"required": gettext_lazy("Tick at least one day.")},
    )
    catch_up_weeks = WeekNumbersField(
        label=gettext_lazy("Catch-up weeks"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "Weeks with nothing new, counted from 1, the week of the start "
            "date: 4, 9 for example."
        ),
    )

    class Meta:
        model = Cohort
        fields = ["weekdays", "catch_up_weeks"]

    def __init__(self, *args, programme: Programme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        if self.instance.pk:
            self.initial["weekdays"] = self.instance.cadence_weekdays

    def clean(self) -> dict:
        cleaned = super().clean()
        start = cleaned.get("start_date") or self.instance.start_date
        weekdays, weeks = cleaned.get("weekdays"), cleaned.get("catch_up_weeks")
        if start is None or not weekdays or not weeks:
            return cleaned
        last_thing = self.programme.things.order_by("-number").first()
        count = last_thing.number if last_thing else 0
        last = cadence.weeks_needed(start, weekdays, weeks, count)
        beyond = [week for week in weeks if week > last]
        if beyond:
            self.add_error(
                "catch_up_weeks",
                gettext(
                    "Week %(week)s is after the last Thing opens, in week %(last)s."
                )
                % {"week": beyond[0], "last": last},
            )
        return cleaned

    def cadence_fields(self) -> dict:
        return {
            "weekdays": self.cleaned_data["weekdays"],
            "catch_up_weeks": self.cleaned_data["catch_up_weeks"],
        }


class PaceForm(forms.ModelForm):
    """Whether the cohort goes together or each person at their own pace."""

    class Meta:
        model = Cohort
        fields = ["pace"]
        widgets = {"pace": forms.RadioSelect}
        help_texts = {
            "pace": gettext_lazy(
                "Self-paced: each participant's Things open from the day they "
                "join, on their own dates."
            )
        }


class CohortForm(CadenceForm):
    completion_target = forms.IntegerField(
        label=gettext_lazy("Things to finish"),
        required=False,
        min_value=0,
        max_value=MOST_THINGS,
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=gettext_lazy(
            "How many Things a participant publishes to earn a certificate. "
            "Leave empty for all of them."
        ),
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "slug",
            "time_zone",
            "start_date",
            "pace",
            "weekdays",
            "catch_up_weeks",
            "completion_target",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "pace": forms.RadioSelect,
        }
        labels = {
            "name": gettext_lazy("Name"),
            "slug": gettext_lazy("Slug"),
            "time_zone": gettext_lazy("Time zone"),
            "start_date": gettext_lazy("Start date"),
        }
        help_texts = {
            "slug": gettext_lazy("Names the cohort's pages: /c/<slug>/."),
            "start_date": gettext_lazy(
                "Things open at midnight, from this day, on the days below."
            ),
            "pace": PaceForm.Meta.help_texts["pace"],
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A form without the choice (an older page) makes a cohort that goes
        # together, as every cohort did before paces.
        self.fields["pace"].required = False

    def clean_pace(self) -> str:
        return self.cleaned_data.get("pace") or Cohort.Pace.TOGETHER

    def clean_completion_target(self) -> int | None:
        target = self.cleaned_data.get("completion_target")
        if target == 0:
            raise forms.ValidationError(
                gettext("Leave it empty for all, or give 1 or more.")
            )
        return target


class OpenJoiningForm(forms.ModelForm):
    link_limit = forms.IntegerField(
        label=gettext_lazy("Most links in a newcomer's post"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=gettext_lazy(
            "Until a facilitator approves them, a member's entries and comments "
            "may hold this many links at most. Leave empty to keep it as it is."
        ),
    )
    member_cap = forms.IntegerField(
        label=gettext_lazy("Most participants"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=gettext_lazy("Leave empty for no limit."),
    )

    class Meta:
        model = Cohort
        fields = [
            "open_to_all",
            "member_cap",
            "join_until",
            "hold_posts",
            "link_limit",
            "trusted_domains",
        ]
        widgets = {"join_until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only single sign-on verifies an organisation's addresses.
        if not sso.providers_configured():
            del self.fields["trusted_domains"]

    def clean_trusted_domains(self) -> str:
        """Lower-case domains such as uni.example, one comma between each."""
        domains = [
            domain.strip().lower().lstrip("@")
            for domain in self.cleaned_data["trusted_domains"].split(",")
        ]
        domains = [domain for domain in domains if domain]
        for domain in domains:
            if not DOMAIN.fullmatch(domain):
                raise forms.ValidationError(
                    gettext("%(domain)s is not a domain such as uni.example.")
                    % {"domain": domain}
                )
        return ", ".join(dict.fromkeys(domains))


class ImportProgrammeForm(forms.Form):
    """A portable file, checked whole when the form is validated."""

    file = forms.FileField(
        label=gettext_lazy("Programme file"),
        help_text=format_lazy(
            gettext_lazy(
                "A .zip exported from Ponder: programme.md, things/*.md and "
                "the images they show. "
                "At most {megabytes} MB."
            ),
            megabytes=MAX_UPLOAD_BYTES // 1024 // 1024,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.programme_data: ProgrammeData = read_portable_file(upload, upload.name)
        except PortableFileError as error:
            raise forms.ValidationError(error.problems) from None
        return upload
