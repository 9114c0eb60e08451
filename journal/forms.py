from django import forms
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import display_name
from core.markdown import outside_links, render_markdown
from core.submissions import SubmissionKeyField
from journal.blogs import FeedNotFound, FoundFeed, find_feed
from journal.models import (
    HIDDEN_REASON_MAX_LENGTH,
    Comment,
    Entry,
    Image,
    LinkedBlog,
    Report,
)
from journal.tags import TagsField
from journal.tags import as_text as tags_as_text
from programmes.models import Cohort


def check_link_limit(body: str, cohort: Cohort | None, author) -> None:
    """Refuse more links than `Cohort.link_limit_for` the author allows."""
    limit = cohort.link_limit_for(author) if cohort is not None else None
    if limit is None:
        return
    if outside_links(render_markdown(body)) > limit:
        raise forms.ValidationError(
            ngettext(
                "Until a facilitator has approved your first post here, a "
                "post may hold at most %(limit)d link. Take some out, or "
                "save your draft and add them once approved.",
                "Until a facilitator has approved your first post here, a "
                "post may hold at most %(limit)d links. Take some out, or "
                "save your draft and add them once approved.",
                limit,
            )
            % {"limit": limit}
        )


class EntryForm(forms.ModelForm):
    minutes = forms.IntegerField(
        label=_("Minutes spent"),
        required=False,
        min_value=0,
        max_value=6000,
        help_text=_("Time spent, for your CPD record."),
    )
    tags = TagsField()
    # Without JavaScript: an image uploaded on save, shown at the end of the text.
    image = forms.FileField(
        label=_("Add an image"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP. It goes at the end of your text."),
    )
    image_alt = forms.CharField(
        label=_("Its alt text"),
        required=False,
        max_length=1000,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    image_decorative = forms.BooleanField(
        label=_("Decorative: it adds nothing to the words"), required=False
    )

    class Meta:
        model = Entry
        fields = ["title", "body", "action", "minutes", "visibility"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 20, "class": "editor-body"}),
            "action": forms.Textarea(attrs={"rows": 2}),
            "visibility": forms.RadioSelect,
        }
        labels = {
            "title": _("Title"),
            "body": _("Your reflection"),
            "visibility": _("Who can read it"),
        }
        help_texts = {
            "body": _(
                "Markdown: ## headings, **bold**, _italic_, lists, [links](https://…)."
            ),
            "action": _("A sentence or two: what will you do next?"),
        }

    def __init__(self, *args, publishing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: Publishing (or updating a published entry) needs every image described.
        self.publishing = publishing
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("tags", tags_as_text(self.instance))

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if self.publishing:
            shown = Image.objects.shown_in(body, owner_ids=[self.instance.author_id])
            render_markdown(body, images=shown)
            if shown.missing_alt:
                raise forms.ValidationError(
                    ngettext(
                        "An image has no alt text: describe it for readers who "
                        "cannot see it (under the editor, or in the brackets of "
                        "![…]), or mark it decorative. Your draft can be saved.",
                        "%(count)d images have no alt text: describe them for "
                        "readers who cannot see them (under the editor, or in the "
                        "brackets of ![…]), or mark them decorative. Your draft "
                        "can be saved.",
                        len(shown.missing_alt),
                    )
                    % {"count": len(shown.missing_alt)}
                )
        return body

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            self.publishing
            and cleaned.get("image")
            and not cleaned.get("image_alt", "").strip()
            and not cleaned.get("image_decorative")
        ):
            self.add_error(
                "image_alt",
                _("Describe the image, or mark it decorative, before publishing."),
            )
        cohort = cleaned.get("cohort", self.instance.cohort_id)
        if cleaned.get("visibility") == Entry.Visibility.COHORT and not cohort:
            self.add_error(
                "visibility",
                gettext("Choose a cohort to share with, or another reader."),
            )
        if self.publishing and "body" in cleaned:
            try:
                check_link_limit(
                    cleaned["body"],
                    cleaned.get("cohort", self.instance.cohort),
                    self.instance.author,
                )
            except forms.ValidationError as error:
                self.add_error("body", error)
        return cleaned


class FreeReflectionForm(EntryForm):
    """A reflection on no Thing; its author may still share it with a cohort."""

    class Meta(EntryForm.Meta):
        fields = ["title", "body", "action", "minutes", "cohort", "visibility"]
        labels = {
            **EntryForm.Meta.labels,
            "cohort": gettext_lazy("Cohort"),
            # Not "my action for this Thing": a free reflection is on none.
            "action": gettext_lazy("My action"),
        }
        help_texts = {
            **EntryForm.Meta.help_texts,
            "cohort": _("Which cohort may read it when you choose “My cohort”."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.for_member(self.instance.author)
        self.fields["cohort"].empty_label = gettext("None")

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(gettext("Give your entry a title."))
        return title


def comment_audience(entry: Entry) -> str:
    """Who will read a comment on this entry (one not marked private)."""
    if entry.visibility == Entry.Visibility.PUBLIC:
        return gettext("Anyone on the web can read this, under your name.")
    if entry.visibility == Entry.Visibility.COHORT and entry.cohort is not None:
        return gettext("Members of %(cohort)s can read this, under your name.") % {
            "cohort": entry.cohort.name
        }
    return gettext("Only you can read this entry, and so this comment.")


def private_audience(entry: Entry) -> str:
    return gettext("Only %(author)s and the facilitators") % {
        "author": display_name(entry.author)
    }


class CommentForm(forms.ModelForm):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    submission = SubmissionKeyField()
    private = forms.BooleanField(
        required=False,
        help_text=gettext_lazy(
            "Private feedback: the rest of the cohort will not see it."
        ),
    )

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": gettext_lazy("Your comment")}

    def __init__(self, *args, entry: Entry, author=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: The writer, whose links may be limited (`check_link_limit`).
        self.author = author
        self.entry = entry
        self.audience = comment_audience(entry)
        self.fields["body"].help_text = self.audience
        if "private" in self.fields:
            self.fields["private"].label = private_audience(entry)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if self.author is not None:
            check_link_limit(body, self.entry.cohort, self.author)
        return body


class CommentEditForm(CommentForm):
    parent = None
    submission = None
    # Who reads a comment is settled when it is posted: its replies inherit it.
    private = None

    def __init__(self, *args, instance: Comment, **kwargs) -> None:
        super().__init__(
            *args,
            instance=instance,
            entry=instance.entry,
            author=instance.author,
            **kwargs,
        )
        if instance.private:
            self.fields["body"].help_text = gettext("%(readers)s can read this.") % {
                "readers": private_audience(instance.entry)
            }


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Anything the facilitators should know"),
        required=False,
        max_length=Report._meta.get_field("details").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


ALT_MAX_LENGTH = Image._meta.get_field("alt").max_length


class ImageAltForm(forms.Form):
    """What an image shows, for people who cannot see it; or that it only
    decorates and screen readers should pass it by."""

    alt = forms.CharField(
        label=_("Alt text"),
        required=False,
        max_length=ALT_MAX_LENGTH,
        help_text=_("Say what the image shows, as you would to someone on the phone."),
    )
    decorative = forms.BooleanField(
        label=_("Decorative: it adds nothing to the words"), required=False
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("alt", "").strip() and cleaned.get("decorative"):
            self.add_error(
                "decorative",
                _("An image with alt text is not decorative: clear one of them."),
            )
        return cleaned


class ImageUploadForm(ImageAltForm):
    image = forms.FileField(label=_("Image"), required=True)
    submission = SubmissionKeyField()

    field_order = ["image", "alt", "decorative"]


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you hiding it?"),
        max_length=HIDDEN_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Its author reads this, on the hidden item and in their notifications."
        ),
    )


class LinkBlogForm(forms.ModelForm):
    """A blog's address or its feed's: the feed is found and read on the spot,
    so what is wrong with it is said beside the field."""

    address = forms.URLField(
        label=_("Your blog's address, or its feed's"),
        max_length=1000,
        assume_scheme="https",
        help_text=_(
            "For example https://myname.wordpress.com or "
            "https://myname.blogspot.com. We find its RSS or Atom feed."
        ),
    )

    class Meta:
        model = LinkedBlog
        fields = ["address", "visibility"]
        widgets = {"visibility": forms.RadioSelect}

    found: FoundFeed | None = None

    def clean(self) -> dict:
        cleaned = super().clean()
        address = cleaned.get("address")
        if address and not self.has_error("address"):
            try:
                self.found = find_feed(address)
            except FeedNotFound as not_found:
                self.add_error("address", not_found.message)
        return cleaned


class MatchThingForm(forms.Form):
    """Which Thing a linked post answers, from the Things open to its author."""

    thing = forms.TypedChoiceField(
        label=_("Thing"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, things=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.things = {thing.pk: thing for thing in things}
        self.fields["thing"].choices = [("", gettext_lazy("No Thing"))] + [
            (thing.pk, f"{thing.number}. {thing.title}") for thing in things
        ]

    def clean_thing(self):
        thing_id = self.cleaned_data["thing"]
        return None if thing_id is None else self.things[thing_id]
