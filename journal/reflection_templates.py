"""Structures a new entry can start from: the Thing's questions, or a model of
reflection with a heading per stage and a line to prompt each.

The prompts are our own words. The editor offers them only on a new, unsaved
entry (`?template=<key>` on its URL); an existing entry's text is never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from programmes.models import Thing

QUESTIONS = "questions"
GIBBS = "gibbs"
WHAT_SO_WHAT = "what-so-what"
BLANK = "blank"


@dataclass(frozen=True)
class ReflectionTemplate:
    key: str
    #: Lazy translations: read in the language of the page they are shown on.
    name: Promise
    description: Promise
    #: (heading, one-line prompt) per section; empty for the Thing's own questions.
    sections: tuple[tuple[Promise, Promise], ...] = ()

    def starter(self, thing: Thing | None) -> str:
        if self.key == QUESTIONS:
            return thing.starter_markdown() if thing is not None else ""
        return "".join(
            f"## {heading}\n\n_{prompt}_\n\n\n\n" for heading, prompt in self.sections
        )


TEMPLATES: dict[str, ReflectionTemplate] = {
    template.key: template
    for template in [
        ReflectionTemplate(
            key=QUESTIONS,
            name=_("The Thing's questions"),
            description=_("A heading for each question this Thing asks."),
        ),
        ReflectionTemplate(
            key=GIBBS,
            name=_("Gibbs' reflective cycle"),
            description=_("Six stages, from what happened to what you will do next."),
            sections=(
                (
                    _("Description"),
                    _(
                        "What happened? Set the scene: where, when, who was there, "
                        "and what you did."
                    ),
                ),
                (
                    _("Feelings"),
                    _("What were you thinking and feeling, at the time and since?"),
                ),
                (_("Evaluation"), _("What went well, and what went less well?")),
                (
                    _("Analysis"),
                    _(
                        "Why did it go that way? What helps you make sense of it: "
                        "reading, experience, a colleague's view?"
                    ),
                ),
                (
                    _("Conclusion"),
                    _("What else could you have done, and what have you learned?"),
                ),
                (
                    _("Action plan"),
                    _(
                        "If it came up again, what would you do? "
                        "What will you try next?"
                    ),
                ),
            ),
        ),
        ReflectionTemplate(
            key=WHAT_SO_WHAT,
            name=_("What? So what? Now what?"),
            description=_("Three questions: what happened, why it matters, what next."),
            sections=(
                (_("What?"), _("Describe what you did, read, saw or tried.")),
                (
                    _("So what?"),
                    _("Why does it matter? What does it change for you or your work?"),
                ),
                (
                    _("Now what?"),
                    _("What will you do next, or differently, because of it?"),
                ),
            ),
        ),
        ReflectionTemplate(
            key=BLANK,
            name=_("Blank"),
            description=_("No structure: a clean page."),
        ),
    ]
}


def available(thing: Thing | None) -> list[ReflectionTemplate]:
    """The choices for a new entry: the Thing's questions only when it has some."""
    has_questions = thing is not None and bool(thing.questions)
    return [t for t in TEMPLATES.values() if t.key != QUESTIONS or has_questions]


def default_key(thing: Thing | None) -> str:
    """The Thing's questions on a Thing with questions; else a blank page."""
    return QUESTIONS if thing is not None and thing.questions else BLANK


def choose(key: str | None, thing: Thing | None) -> ReflectionTemplate:
    """The template asked for, or the default when the key is unknown or unfit."""
    choices = {template.key: template for template in available(thing)}
    return choices.get(key or "", choices[default_key(thing)])


@dataclass(frozen=True)
class Choice:
    template: ReflectionTemplate
    query: str
    is_current: bool


def menu(chosen: ReflectionTemplate, thing: Thing | None) -> list[Choice]:
    """The links of the editor's "Start from" menu, the chosen one marked."""
    return [
        Choice(
            template=template,
            query=f"?template={template.key}",
            is_current=template.key == chosen.key,
        )
        for template in available(thing)
    ]


def starter_body(*, key: str | None, thing: Thing | None) -> str:
    """The text a new entry starts with."""
    return choose(key, thing).starter(thing)


def starter_menu(
    *, is_new: bool, method: str, key: str | None, thing: Thing | None
) -> list[Choice]:
    """The "Start from" menu, offered while the body is still the starter text:
    a new entry shown by GET (after a POST the writer's own text is on show)."""
    if not is_new or method != "GET":
        return []
    return menu(choose(key, thing), thing)
