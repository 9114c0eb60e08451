"""The author's private reflection reading of their own entry (issue 20).

Worked out on each request from the entry's saved text and never stored: no
model, no cache, nothing anyone else can count, list or be told about.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from journal.models import Entry
from journal.reflection import Reading, Stage, has_cues, read_reflection
from journal.views.access import get_own_entry


@dataclass(frozen=True)
class MarkedSentence:
    text: str
    #: The stages whose cues it carries, in the cycle's order.
    stages: tuple[Stage, ...]


def get_readable_entry(request: HttpRequest, username: str, slug: str) -> Entry:
    """One of my entries that its programme lets me ask a reading of."""
    entry = get_own_entry(request, username, slug)
    if not entry.offers_reflection_reading:
        raise Http404("No reading of this entry")
    return entry


def marked_sentences(reading: Reading) -> list[MarkedSentence]:
    return [
        MarkedSentence(
            text=text,
            stages=tuple(
                stage_reading.stage
                for stage_reading in reading.stages
                if any(s.index == index for s in stage_reading.sentences)
            ),
        )
        for index, text in enumerate(reading.sentences)
    ]


@login_required
@require_GET
def reflection(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """Which stages of Gibbs' cycle the entry's saved text covers, the
    sentences carrying each, and one question to take it further."""
    entry = get_readable_entry(request, username, slug)
    # An entry says nothing of its language: the author's own (their
    # profile's, else their browser's) is the best guess.
    language = translation.get_language()
    reading = read_reflection(
        entry.body,
        thing_questions=entry.thing.questions if entry.thing else (),
        language=language,
    )
    context = {
        "entry": entry,
        "reading": reading,
        "sentences": marked_sentences(reading),
        "english_cues_only": not has_cues(language),
    }
    return render(request, "journal/reflection.html", context)
