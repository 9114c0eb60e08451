"""core.charts: the one bar-chart helper, and the partial that draws it."""

from __future__ import annotations

import itertools
import math
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from core.charts import CHAR_WIDTH, bar_chart, format_number, nice_max, nice_scale

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
MONTHS += ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def chart(buckets, **options):
    options = {
        "chart_id": "test-chart",
        "title": "Minutes by month",
        "label_heading": "Month",
        "value_heading": "Minutes",
        **options,
    }
    return bar_chart(buckets, **options)


class _Collector(HTMLParser):
    """Elements with their attributes and the text inside each, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.elements.append((tag, dict(attrs)))
        self.open.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag) -> None:
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data) -> None:
        if self.open and data.strip():
            self.texts.setdefault(self.open[-1], []).append(data.strip())


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


# --- scales ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("highest", "top"),
    [
        (1, 1),
        (3, 3),
        (7, 8),
        (10, 10),
        (95, 100),
        (100, 100),
        (101, 125),
        (130, 150),
        (240, 250),
        (1001, 1250),
        (60_000, 60_000),
    ],
)
def test_the_top_is_the_highest_value_rounded_up_to_a_nice_step(highest, top):
    assert nice_max(highest) == top


def test_whole_numbers_get_whole_steps():
    top, step = nice_scale(3)

    assert (top, step) == (3, 1)


def test_fractions_get_fractional_steps():
    top, step = nice_scale(0.3, integer=False)

    assert math.isclose(top, 0.3)
    assert math.isclose(step, 0.1)


def test_a_fixed_top_is_kept():
    result = chart([("Thing 1", 40), ("Thing 2", 75)], top=100)

    assert result.top == 100
    assert [tick.value for tick in result.ticks] == [0, 20, 40, 60, 80, 100]


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("en-gb", 0, "0"),
        ("en-gb", 1250, "1,250"),
        ("en-gb", 2.5, "2.5"),
        ("en-gb", 0.25, "0.25"),
        ("de", 1250, "1.250"),
        ("de", 2.5, "2,5"),
        ("nl", 12500, "12.500"),
        ("nl", 20.0, "20"),
    ],
)
def test_format_number_in_the_reader_s_language(language, value, text):
    with translation.override(language):
        assert format_number(value) == text


# --- geometry ----------------------------------------------------------------


def test_bar_heights_are_proportional_to_values_from_a_zero_baseline():
    result = chart([("A", 30), ("B", 60), ("C", 0), ("D", 150)])

    assert result.top == 150
    plot_height = result.baseline - result.ticks[-1].y
    a, b, c, d = result.bars
    assert d.height == pytest.approx(plot_height)
    assert b.height == pytest.approx(2 * a.height)
    assert a.height == pytest.approx(plot_height * 30 / 150, abs=0.01)
    assert c.height == 0
    for bar in result.bars:
        assert bar.y + bar.height == pytest.approx(result.baseline)


def test_ticks_run_from_zero_at_the_baseline_to_the_top():
    result = chart([("A", 130)])

    assert [tick.label for tick in result.ticks] == ["0", "50", "100", "150"]
    assert result.ticks[0].y == result.baseline
    assert result.ticks[-1].y < result.baseline
    gaps = [a.y - b.y for a, b in itertools.pairwise(result.ticks)]
    assert max(gaps) - min(gaps) < 0.02


def test_bars_share_the_width_evenly_and_stay_inside_the_plot():
    result = chart([(month, 10) for month in MONTHS])

    widths = {bar.width for bar in result.bars}
    assert len(widths) == 1
    assert result.bars[0].x > result.plot_left
    assert result.bars[-1].x + result.bars[-1].width < result.plot_right
    xs = [bar.x for bar in result.bars]
    assert xs == sorted(xs)


def test_negative_values_are_drawn_at_zero():
    result = chart([("A", -5), ("B", 10)])

    assert result.bars[0].height == 0


def test_labels_are_thinned_out_so_they_never_overlap_at_phone_width():
    labels = [f"{month} 2026" for month in MONTHS]
    result = chart([(label, 10) for label in labels], width=320)

    shown = [bar for bar in result.bars if bar.axis_label]
    assert result.label_step > 1
    assert shown[-1] is result.bars[-1], "the newest bucket keeps its label"
    longest = max(len(bar.axis_label) for bar in shown) * CHAR_WIDTH
    for left, right in itertools.pairwise(shown):
        assert right.label_x - left.label_x >= longest
    # Every label is still in the table and the tooltips.
    assert [bar.label for bar in result.bars] == labels


def test_short_labels_all_show_when_there_is_room():
    result = chart([(month, 10) for month in MONTHS[:6]], width=320)

    assert result.label_step == 1
    assert all(bar.axis_label for bar in result.bars)


def test_axis_labels_can_be_shorter_than_the_labels():
    buckets = [(f"{month} 2026", 5) for month in MONTHS]
    result = chart(buckets, axis_labels=MONTHS, width=480)

    assert [bar.axis_label for bar in result.bars] == MONTHS
    assert result.bars[0].label == "Jan 2026"


def test_axis_labels_must_match_the_buckets():
    with pytest.raises(ValueError):
        chart([("A", 1), ("B", 2)], axis_labels=["A"])


def test_a_chart_of_zeros_or_of_nothing_is_empty():
    assert chart([("A", 0), ("B", 0)]).is_empty
    assert chart([]).is_empty
    assert not chart([("A", 0), ("B", 1)]).is_empty


def test_the_description_summarises_when_none_is_given():
    result = chart([("March", 20), ("April", 90), ("May", 0)], unit="minutes")

    assert result.description == (
        "From March to May; the highest is April, 90 minutes."
    )
    assert result.bars[1].tooltip == "April: 90 minutes"


# --- the partial -------------------------------------------------------------


def render(result) -> str:
    return render_to_string("partials/chart_bar.html", {"chart": result})


def test_it_draws_an_accessible_svg_and_the_same_figures_as_a_table():
    result = chart(
        [("January 2026", 30), ("February 2026", 0), ("March 2026", 1250)],
        axis_labels=["Jan", "Feb", "Mar"],
        description="Minutes by month.",
    )
    page = parse(render(result))
    tags = [tag for tag, _attrs in page.elements]

    svg = next(attrs for tag, attrs in page.elements if tag == "svg")
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "test-chart-title test-chart-desc"
    assert svg["viewbox"] == f"0 0 {result.width} {result.height}"
    ids = {attrs.get("id") for _tag, attrs in page.elements}
    assert {"test-chart-title", "test-chart-desc"} <= ids
    assert "Minutes by month." in page.texts["desc"]
    # A bar for each non-zero value; a tooltip for every bucket.
    rects = [attrs for tag, attrs in page.elements if tag == "rect"]
    assert len(rects) == 2
    assert rects[1]["height"] == str(result.bars[2].height)
    assert "February 2026: 0" in page.texts["title"]
    # The table: a header row and a row per bucket, every figure in it.
    assert "table" in tags
    assert page.texts["th"] == [
        "Month",
        "Minutes",
        "January 2026",
        "February 2026",
        "March 2026",
    ]
    assert page.texts["td"] == ["30", "0", "1,250"]
    assert "Show as a table" in page.texts["summary"]


def test_it_uses_classes_not_inline_styles():
    html = render(chart([("A", 3), ("B", 5)]))

    assert "style=" not in html
    assert "fill=" not in html
    assert 'class="chart__bar"' in html


def test_numbers_in_the_svg_are_not_localised(settings):
    settings.LANGUAGE_CODE = "de"
    settings.USE_THOUSAND_SEPARATOR = True
    result = chart([("A", 1), ("B", 2), ("C", 3)])

    html = render(result)

    assert f'x="{result.bars[1].x}"' in html
    assert "," not in str(result.bars[1].x)


def test_labels_are_escaped():
    hostile = '<script>alert("x")</script> & <b>co</b>'
    result = chart([(hostile, 5)], axis_labels=["<i>x</i>"], title="<em>Title</em>")

    html = render(result)

    assert "<script>" not in html
    assert "<b>co</b>" not in html
    assert "<i>x</i>" not in html
    assert "<em>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;i&gt;x&lt;/i&gt;" in html


def test_an_empty_chart_shows_its_message_instead():
    html = render(chart([("A", 0)], empty_message="No minutes recorded yet."))

    assert "No minutes recorded yet." in html
    assert "<svg" not in html
    assert "<table" not in html
