"""How well the reflection cues do: `python manage.py reflection_eval`.

Prints precision and recall per stage at passage level (a stage predicted for
a passage, from any of its sentences, against the stages it is labelled with)
on the held-out third of journal/data/reflection_passages.csv and on the two
thirds the cues were tuned on; `seed_report` reads a post and says the stages
found, their sentences and the question.

A developer's tool, in English like the other management output.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from journal.reflection import Stage, read_reflection

PASSAGES = Path(__file__).resolve().parent / "data" / "reflection_passages.csv"
SHORTENED = 90


@dataclass(frozen=True)
class Passage:
    #: 1-based, counting passages only (not the header or comment lines).
    position: int
    text: str
    stages: frozenset[str]


@dataclass(frozen=True)
class Score:
    stage: str
    true_positives: int
    predicted: int
    labelled: int

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.labelled if self.labelled else None


def load_passages(path: Path = PASSAGES) -> list[Passage]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return [
            Passage(position, row["text"], frozenset(row["stages"].split()))
            for position, row in enumerate(rows, start=1)
        ]


def is_held_out(passage: Passage) -> bool:
    """Every third passage by position: the 3rd, 6th, 9th and so on."""
    return passage.position % 3 == 0


def split(passages: Sequence[Passage]) -> tuple[list[Passage], list[Passage]]:
    """(tuning, held out)."""
    return (
        [passage for passage in passages if not is_held_out(passage)],
        [passage for passage in passages if is_held_out(passage)],
    )


def scores(passages: Sequence[Passage]) -> list[Score]:
    predictions = [
        {str(stage) for stage in read_reflection(p.text).covered} for p in passages
    ]
    return [
        Score(
            stage=stage.value,
            true_positives=sum(
                stage in found and stage in passage.stages
                for found, passage in zip(predictions, passages, strict=True)
            ),
            predicted=sum(stage in found for found in predictions),
            labelled=sum(stage in passage.stages for passage in passages),
        )
        for stage in Stage
    ]


def score_table(title: str, passages: Sequence[Passage]) -> str:
    lines = [
        f"{title} ({len(passages)} passages)",
        "",
        "| stage | precision | recall | labelled | predicted |",
        "| --- | --- | --- | --- | --- |",
    ]
    for score in scores(passages):
        lines.append(
            f"| {score.stage} | {_ratio(score.precision)} | {_ratio(score.recall)} "
            f"| {score.labelled} | {score.predicted} |"
        )
    return "\n".join(lines)


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def seed_report(path: Path) -> str:
    reading = read_reflection(path.read_text(encoding="utf-8"))
    lines = [f"== {path.name}: {len(reading.sentences)} sentences"]
    for stage in reading.stages:
        lines.append(f"  {stage.stage.value}: {len(stage.sentences)} sentences")
        lines.extend(
            f"    [{s.index}] {_shortened(s.text)}" for s in stage.sentences[:3]
        )
    lines.append(f"  missing: {reading.missing}; question: {reading.question}")
    return "\n".join(lines)


def _shortened(text: str) -> str:
    return text if len(text) <= SHORTENED else text[: SHORTENED - 1] + "\u2026"
