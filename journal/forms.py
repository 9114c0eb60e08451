from django import forms
from django.utils.translation import gettext, gettext_lazy

from accounts.models import display_name
from core.submissions import SubmissionKeyField
from journal.models import HIDDEN_REASON_MAX_LENGTH, Comment, Entry, Report
from journal.tags import TagsField
from journal.tags import as_text as tags_as_text
from programmes.models import Cohort


class EntryForm(forms.ModelForm):
    minutes = forms.IntegerField(
        label="Minutes spent",
        required=False,
        min_value=0,
        max_value=6000,
        help_text="Time spent, for your CPD record.",
    )
    tags = TagsField()

    class Meta:
        model = Entry
        fields = ["title", "body", "action", "minutes", "visibility"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 20, "class": "editor-body"}),
            "action": forms.Textarea(attrs={"rows": 2}),
            "visibility": forms.RadioSelect,
        }
        labels = {"body": "Your reflection", "visibility": "Who can read it"}
        help_texts = {
            "body": "Markdown: ## headings, **bold**, _italic_, lists, [links](https://…).",
            "action": "A sentence or two: what will you do next?",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("tags", tags_as_text(self.instance))

    def clean(self) -> dict:
        cleaned = super().clean()
        cohort = cleaned.get("cohort", self.instance.cohort_id)
        if cleaned.get("visibility") == Entry.Visibility.COHORT and not cohort:
            self.add_error(
                "visibility", "Choose a cohort to share with, or another reader."
            )
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
            "cohort": "Which cohort may read it when you choose “My cohort”.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.for_member(self.instance.author)
        self.fields["cohort"].empty_label = "None"

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give your entry a title.")
        return title


def comment_audience(entry: Entry) -> str:
    """Who will read a comment on this entry (one not marked private)."""
    if entry.visibility == Entry.Visibility.PUBLIC:
        return gettext("Anyone on the web can read this, under your name.")
    return gettext("Members of %(cohort)s can read this, under your name.") % {
        "cohort": entry.cohort.name
    }


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

    def __init__(self, *args, entry: Entry, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.audience = comment_audience(entry)
        self.fields["body"].help_text = self.audience
        if "private" in self.fields:
            self.fields["private"].label = private_audience(entry)


class CommentEditForm(CommentForm):
    parent = None
    submission = None
    # Who reads a comment is settled when it is posted: its replies inherit it.
    private = None

    def __init__(self, *args, instance: Comment, **kwargs) -> None:
        super().__init__(*args, instance=instance, entry=instance.entry, **kwargs)
        if instance.private:
            self.fields["body"].help_text = gettext("%(readers)s can read this.") % {
                "readers": private_audience(instance.entry)
            }


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with it?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label="Anything the facilitators should know",
        required=False,
        max_length=Report._meta.get_field("details").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you hiding it?"),
        max_length=HIDDEN_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Its author reads this, on the hidden item and in their notifications."
        ),
    )
