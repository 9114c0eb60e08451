from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form renders through our templates: label, help, error, input."""

    form_template_name = "partials/form.html"
    field_template_name = "partials/field.html"
