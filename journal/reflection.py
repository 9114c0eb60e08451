"""How reflective is this? A reading of a text against Gibbs' reflective cycle.

The reading is cues, not understanding: each sentence is checked against the
words and patterns of each stage in journal/reflection_cues.py, and a stage is
covered when a sentence carries one of its cues. The question offered is for
the first stage of the cycle that no sentence covers. How well the cues do on
passages labelled by hand: docs/REFLECTION.md and `python -m
journal.reflection_eval`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.markdown import render_markdown
from journal.reflection_cues import ABBREVIATIONS, CUES, StageCues
from journal.reflection_templates import GIBBS, TEMPLATES

DEFAULT_LANGUAGE = "en"


class Stage(models.TextChoices):
    """The stages of Gibbs' cycle (1988), in the cycle's order."""

    DESCRIPTION = "description", _("Description")
    FEELINGS = "feelings", _("Feelings")
    EVALUATION = "evaluation", _("Evaluation")
    ANALYSIS = "analysis", _("Analysis")
    CONCLUSION = "conclusion", _("Conclusion")
    ACTION_PLAN = "action_plan", _("Action plan")


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str


@dataclass(frozen=True)
class StageReading:
    stage: Stage
    #: The sentences that carry a cue of this stage, in the text's order.
    sentences: tuple[Sentence, ...]

    @property
    def covered(self) -> bool:
        return bool(self.sentences)

    @property
    def prompt(self) -> str:
        return prompt_for(self.stage)


@dataclass(frozen=True)
class Reading:
    sentences: tuple[str, ...]
    #: One per stage, in the cycle's order.
    stages: tuple[StageReading, ...]
    #: The first stage no sentence covers; None when all six are covered.
    missing: Stage | None
    #: A question for the missing stage: the Thing's own when one fits.
    question: str | None
    question_is_the_things: bool

    @property
    def covered(self) -> tuple[Stage, ...]:
        return tuple(reading.stage for reading in self.stages if reading.covered)

    def stage(self, stage: Stage) -> StageReading:
        return next(reading for reading in self.stages if reading.stage == stage)


def read_reflection(
    text: str,
    *,
    thing_questions: Sequence[str] = (),
    language: str = DEFAULT_LANGUAGE,
) -> Reading:
    """Read `text` (Markdown or plain text) against Gibbs' cycle.

    `thing_questions` are the questions of the entry's Thing: the one that
    fits the first missing stage is asked before the model's own question.
    A language without cues of its own is read with the English ones.
    """
    language = _cued_language(language)
    sentences = tuple(split_sentences(text, language=language))
    stages_by_sentence = [stages_in(sentence, language) for sentence in sentences]
    stages = tuple(
        StageReading(
            stage=stage,
            sentences=tuple(
                Sentence(index, sentence)
                for index, sentence in enumerate(sentences)
                if stage in stages_by_sentence[index]
            ),
        )
        for stage in Stage
    )
    missing = next((reading.stage for reading in stages if not reading.covered), None)
    things = _things_question(missing, thing_questions, language)
    return Reading(
        sentences=sentences,
        stages=stages,
        missing=missing,
        question=things or _model_question(missing),
        question_is_the_things=things is not None,
    )


def stages_in(sentence: str, language: str = DEFAULT_LANGUAGE) -> set[Stage]:
    """The stages whose cues a sentence carries (any number, none included)."""
    sentence = sentence.replace("\u2019", "'").replace("\u2018", "'")
    return {
        stage
        for stage, cue in _cue_patterns(_cued_language(language)).items()
        if cue.search(sentence)
    }


def _things_question(
    missing: Stage | None, questions: Sequence[str], language: str
) -> str | None:
    if missing is None:
        return None
    return next((q for q in questions if missing in stages_in(q, language)), None)


def prompt_for(stage: Stage) -> str:
    """The Gibbs writing template's prompt for the stage: one wording for the
    editor's template, the reading's question and its list of stages."""
    _heading, prompt = TEMPLATES[GIBBS].sections[list(Stage).index(stage)]
    return str(prompt)


def _model_question(missing: Stage | None) -> str | None:
    return prompt_for(missing) if missing is not None else None


def has_cues(language: str) -> bool:
    """Whether `language` has cues of its own, rather than the English ones."""
    return _base_language(language) in CUES


def _cued_language(language: str) -> str:
    return _base_language(language) if has_cues(language) else DEFAULT_LANGUAGE


def _base_language(language: str) -> str:
    return language.lower().replace("_", "-").split("-")[0]


@functools.cache
def _cue_patterns(language: str) -> dict[Stage, re.Pattern[str]]:
    return {Stage(key): _compile(cues) for key, cues in CUES[language].items()}


def _compile(cues: StageCues) -> re.Pattern[str]:
    words = [
        re.escape(word.removesuffix("*")) + (r"\w*" if word.endswith("*") else "")
        for word in cues.words
    ]
    alternatives = [rf"\b(?:{'|'.join(words)})\b", *cues.patterns]
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


# Sentences ---------------------------------------------------------------


def split_sentences(text: str, *, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The sentences of Markdown or plain text, in order.

    Headings are left out: they name a section ("## Feelings") rather than
    reflect, and a Gibbs template's headings would otherwise cover every stage.
    Images are left out; links keep their words; each list item, line of a
    poem-like block and paragraph ends a sentence.
    """
    abbreviations = ABBREVIATIONS[_cued_language(language)]
    return [
        sentence
        for block in _blocks(text)
        for line in _lines(block)
        for sentence in _split_line(line, abbreviations)
    ]


_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")


def _blocks(text: str) -> list[str]:
    reader = _BlockReader()
    reader.feed(render_markdown(_IMAGE_RE.sub(" ", text)))
    reader.close()
    return reader.blocks()


class _BlockReader(HTMLParser):
    """The text of rendered Markdown, one string per block, headings skipped."""

    BLOCK_TAGS = frozenset(
        {"p", "li", "ul", "ol", "blockquote", "div", "tr", "td", "th", "br", "hr"}
    )
    SKIPPED_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._pieces: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIPPED_TAGS:
            self._skipping += 1
        if tag in self.BLOCK_TAGS or tag in self.SKIPPED_TAGS:
            self._pieces.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        if tag in self.BLOCK_TAGS or tag in self.SKIPPED_TAGS:
            self._pieces.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._pieces.append(data)

    def blocks(self) -> list[str]:
        return [b.strip() for b in "".join(self._pieces).split("\n\n") if b.strip()]


def _lines(block: str) -> list[str]:
    """A line break ends a sentence unless the next line carries on in lower case."""
    lines: list[str] = []
    for line in block.split("\n"):
        line = " ".join(line.split())
        if lines and line[:1].islower():
            lines[-1] += " " + line
        elif line:
            lines.append(line)
    return lines


_END_RE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*\s+")
_LAST_WORD_RE = re.compile(r"(\S+)$")


def _split_line(line: str, abbreviations: frozenset[str]) -> list[str]:
    sentences, start = [], 0
    for end in _END_RE.finditer(line):
        if _ends_sentence(line, end, abbreviations):
            sentences.append(line[start : end.end()].strip())
            start = end.end()
    sentences.append(line[start:].strip())
    return [sentence for sentence in sentences if any(c.isalpha() for c in sentence)]


def _ends_sentence(
    line: str, end: re.Match[str], abbreviations: frozenset[str]
) -> bool:
    if not end.group().startswith("."):
        return True
    if line[end.end() : end.end() + 1].islower():
        return False
    last_word = _LAST_WORD_RE.search(line[: end.start()])
    word = last_word.group(1).lower().lstrip("(\"'\u201c\u2018") if last_word else ""
    is_initial = len(word) == 1 and word.isalpha()
    return word not in abbreviations and not is_initial
