from django.forms import BoundField
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.translation import gettext


class LimitShownBoundField(BoundField):
    """A field with a length limit states it instead of enforcing it in the
    browser: `maxlength` makes a browser cut pasted text without a word, so the
    control carries `data-limit` (for static/js/limits.js's counter) and the
    form refuses text over the limit with an error, keeping all of it."""

    @property
    def limit(self) -> int | None:
        if self.is_hidden or self.widget_type not in ("text", "textarea"):
            return None
        return getattr(self.field, "max_length", None)

    @property
    def limit_text(self) -> str:
        return gettext("Up to %(limit)s characters.") % {
            "limit": number_format(self.limit, force_grouping=True)
        }

    @property
    def counter_texts(self) -> dict[str, str]:
        """What the counter says, translated here for static/js/limits.js."""
        return {
            "data-count-text": gettext("{count} of {limit} characters."),
            "data-over-text": gettext(
                "{count} of {limit} characters: {over} too many."
            ),
        }

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.limit:
            attrs["maxlength"] = False
            attrs["data-limit"] = self.limit
        return attrs

    @property
    def aria_describedby(self) -> str | None:
        described = super().aria_describedby
        if described is None or not self.limit or not self.auto_id:
            return described
        return " ".join(filter(None, [described, f"{self.auto_id}_limit"]))


class FormRenderer(TemplatesSetting):
    """Every form renders through our templates: label, help, error, input."""

    form_template_name = "partials/form.html"
    field_template_name = "partials/field.html"
    bound_field_class = LimitShownBoundField


#: Sent by a confirmation page's button (templates/partials/confirm.html).
CONFIRMED = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    """Whether a destructive or broadcast action was confirmed: a POST from its
    confirmation page. Any other request (a GET, an old form posting straight
    to the action) gets the confirmation page and changes nothing."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"
