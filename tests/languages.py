"""Which language each e-mail template was rendered in."""

import pytest
from django.utils import translation


def record_rendering_languages(
    monkeypatch: pytest.MonkeyPatch, module
) -> dict[str, str]:
    """Each template `module.render_to_string` renders from now on, and the
    language active as it did."""
    languages: dict[str, str] = {}
    render = module.render_to_string

    def recording(template_name: str, context: dict) -> str:
        languages[template_name] = translation.get_language()
        return render(template_name, context)

    monkeypatch.setattr(module, "render_to_string", recording)
    return languages
