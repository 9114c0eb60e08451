from django import forms

from notifications.models import Frequency, Kind


class PreferencesForm(forms.Form):
    """One choice of e-mail frequency per kind of notification."""

    def __init__(self, *args, initial_frequencies: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Frequency.choices,
                initial=initial_frequencies[kind],
                widget=forms.RadioSelect,
            )

    def frequencies(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Kind}
