"""Measure the reflection cues on the labelled passages (docs/REFLECTION.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from journal.reflection_eval import load_passages, score_table, seed_report, split


class Command(BaseCommand):
    help = (
        "Precision and recall per Gibbs stage on the held-out and tuning passages; "
        "with --seeds, the reading of each .txt post in a folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seeds", type=Path, help="A folder of .txt posts.")

    def handle(self, *args, seeds: Path | None = None, **options) -> None:
        tuning, held_out = split(load_passages())
        self.stdout.write(score_table("Held out: every third passage", held_out))
        self.stdout.write("")
        self.stdout.write(score_table("Tuning: the other two thirds", tuning))
        for path in sorted(seeds.glob("*.txt")) if seeds else []:
            self.stdout.write("")
            self.stdout.write(seed_report(path))
