from django import forms

from accounts.models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "bio", "website", "time_zone"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "display_name": "How your name appears beside your entries and comments.",
            "bio": "A line or two about you and your work (500 characters at most).",
            "time_zone": "Dates and times are shown to you in this time zone.",
        }
