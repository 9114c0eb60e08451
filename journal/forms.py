from django import forms

from journal.models import Comment, Entry


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["title", "body", "action", "minutes", "visibility"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 20, "class": "editor-body"}),
            "action": forms.Textarea(attrs={"rows": 2}),
            "visibility": forms.RadioSelect,
            "minutes": forms.NumberInput(attrs={"min": 0, "max": 6000}),
        }
        labels = {"body": "Your reflection", "visibility": "Who can read it"}
        help_texts = {
            "body": "Markdown: ## headings, **bold**, _italic_, lists, [links](https://…).",
            "action": "A sentence or two: what will you do next?",
            "minutes": "Time spent, for your CPD record.",
        }

    def __init__(self, *args, has_cohort: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["minutes"].max_value = 6000
        if not has_cohort:
            self.fields["visibility"].choices = [
                choice
                for choice in Entry.Visibility.choices
                if choice[0] != Entry.Visibility.COHORT
            ]
            if self.initial.get("visibility") == Entry.Visibility.COHORT:
                self.initial["visibility"] = Entry.Visibility.PRIVATE

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give your entry a title.")
        return title


class CommentForm(forms.ModelForm):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": "Your comment"}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Write something first.")
        return body


class CommentEditForm(CommentForm):
    parent = None
