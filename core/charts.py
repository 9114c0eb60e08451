"""Small bar charts drawn by the server as SVG, with the same figures as a table.

`bar_chart()` is a pure function: it turns labelled values into the geometry that
`templates/partials/chart_bar.html` draws. No chart library, no JavaScript, no
inline styles (colours come from the stylesheet through classes), and every
label goes through the template's autoescaping.

The chart is laid out for `width` CSS pixels and shrinks to fit a narrower
container, so pick the width of the narrowest place it shows (a phone's card is
about 320 px wide): axis labels are thinned out for that width so they never
overlap, and the table and each bar's tooltip keep every label.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext

#: Text size in the SVG, in CSS pixels; .chart text in ponder.css must match.
FONT_SIZE = 11
#: A generous average advance of one character at FONT_SIZE (digits are ~6.1).
CHAR_WIDTH = 6.6
#: At most this many gridline intervals above the zero baseline.
MAX_INTERVALS = 5
#: The share of each bucket's slot that its bar fills.
BAR_FILL = 0.68

NUMBER_FORMAT = Callable[[float], str]


def format_number(value: float) -> str:
    """1,250 for whole numbers, 2.5 otherwise, as the reader's language
    writes them (German: 1.250 and 2,5)."""
    if float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    written = number_format(value, decimal_pos=2, force_grouping=True)
    return written.rstrip("0").rstrip(get_format("DECIMAL_SEPARATOR"))


def nice_step(value: float, *, integer: bool = True) -> float:
    """The smallest of 1, 2, 2.5 and 5 times a power of ten that is ≥ `value`.

    With `integer`, steps below 1 and steps like 2.5 are skipped: a count of
    minutes has no gridline at 2.5.
    """
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    for power in (exponent, exponent + 1):
        for base in (1, 2, 2.5, 5):
            step = round(base * 10.0**power, 10)
            if integer and (step < 1 or not step.is_integer()):
                continue
            if step >= value * (1 - 1e-9):
                return step
    return round(10.0 ** (exponent + 1), 10)  # pragma: no cover - loop returns


def nice_scale(
    highest: float, *, integer: bool = True, top: float | None = None
) -> tuple[float, float]:
    """The top of the value axis and its gridline step.

    The top is the highest value rounded up to a whole number of nice steps, at
    most MAX_INTERVALS of them; a fixed `top` (100 for percentages) is kept.
    """
    if top is not None and top > 0:
        return top, nice_step(top / MAX_INTERVALS, integer=integer)
    if highest <= 0:
        return 1, 1
    step = nice_step(highest / MAX_INTERVALS, integer=integer)
    return round(step * math.ceil(highest / step - 1e-9), 10), step


def nice_max(highest: float, *, integer: bool = True) -> float:
    return nice_scale(highest, integer=integer)[0]


@dataclass(frozen=True)
class Tick:
    value: float
    label: str
    y: float


@dataclass(frozen=True)
class Bar:
    label: str
    #: The label under the bar, or "" where labels are thinned out.
    axis_label: str
    value: float
    value_label: str
    tooltip: str
    x: float
    y: float
    width: float
    height: float
    label_x: float


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    empty_message: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    baseline: float
    label_y: float
    tick_x: float
    top: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    #: Show every label_step-th axis label, counting back from the last bucket.
    label_step: int

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def _round(value: float) -> float:
    return round(value, 2)


def _label_step(labels: Sequence[str], slot: float) -> int:
    """How many slots one axis label needs, so neighbours never touch."""
    longest = max((len(label) for label in labels), default=0)
    if not longest:
        return 1
    needed = longest * CHAR_WIDTH + 6
    return max(1, math.ceil(needed / slot))


def _tooltip(label: str, value: str, unit: str) -> str:
    values = {"label": label, "value": value, "unit": unit}
    if unit:
        # Translators: a bar's tooltip in a chart, e.g. "April: 90 minutes".
        return gettext("%(label)s: %(value)s %(unit)s") % values
    return gettext("%(label)s: %(value)s") % values


def _describe(bars: Sequence[Bar], unit: str) -> str:
    """A chart's description when none is given: its range and highest bar."""
    highest = max(bars, key=lambda bar: bar.value)
    values = {
        "first": bars[0].label,
        "last": bars[-1].label,
        "highest": highest.label,
        "value": highest.value_label,
        "unit": unit,
    }
    if unit:
        return (
            gettext(
                "From %(first)s to %(last)s; "
                "the highest is %(highest)s, %(value)s %(unit)s."
            )
            % values
        )
    return (
        gettext("From %(first)s to %(last)s; the highest is %(highest)s, %(value)s.")
        % values
    )


def bar_chart(
    buckets: Sequence[tuple[str, float]],
    *,
    chart_id: str,
    title: str,
    label_heading: str,
    value_heading: str,
    axis_labels: Sequence[str] | None = None,
    description: str = "",
    unit: str = "",
    empty_message: str = "",
    top: float | None = None,
    format_value: NUMBER_FORMAT = format_number,
    width: int = 320,
    height: int = 168,
) -> BarChart:
    """Lay out a bar chart of one value per labelled bucket.

    `buckets` are (label, value) in order; the labels name the buckets in the
    table and tooltips, `axis_labels` (as many, shorter: "Mar") under the bars.
    Values below zero are drawn as zero: the baseline is always zero.
    """
    if axis_labels is None:
        axis_labels = [label for label, _value in buckets]
    if len(axis_labels) != len(buckets):
        raise ValueError("axis_labels must name every bucket")
    values = [max(0, value) for _label, value in buckets]
    integer = all(float(value).is_integer() for value in values)
    top_value, step = nice_scale(max(values, default=0), integer=integer, top=top)

    tick_values = []
    count = round(top_value / step)
    for index in range(count + 1):
        tick_values.append(round(step * index, 10))
    tick_labels = [format_value(value) for value in tick_values]
    longest_tick = max((len(label) for label in tick_labels), default=1)

    plot_left = _round(longest_tick * CHAR_WIDTH + 8)
    plot_right = width - 2
    plot_top = math.ceil(FONT_SIZE / 2) + 2
    baseline = height - FONT_SIZE - 9
    plot_height = baseline - plot_top
    slot = (plot_right - plot_left) / max(len(buckets), 1)

    ticks = tuple(
        Tick(
            value=value,
            label=label,
            y=_round(baseline - value / top_value * plot_height),
        )
        for value, label in zip(tick_values, tick_labels, strict=True)
    )
    label_step = _label_step(axis_labels, slot)
    last = len(buckets) - 1
    bars = []
    for index, ((label, _raw), value, axis_label) in enumerate(
        zip(buckets, values, axis_labels, strict=True)
    ):
        bar_height = min(value, top_value) / top_value * plot_height
        value_label = format_value(value)
        bars.append(
            Bar(
                label=label,
                axis_label=axis_label if (last - index) % label_step == 0 else "",
                value=value,
                value_label=value_label,
                tooltip=_tooltip(label, value_label, unit),
                x=_round(plot_left + index * slot + slot * (1 - BAR_FILL) / 2),
                y=_round(baseline - bar_height),
                width=_round(slot * BAR_FILL),
                height=_round(bar_height),
                label_x=_round(plot_left + (index + 0.5) * slot),
            )
        )
    if not description and bars:
        description = _describe(bars, unit)
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        label_heading=label_heading,
        value_heading=value_heading,
        empty_message=empty_message or gettext("Nothing to show yet."),
        width=width,
        height=height,
        plot_left=plot_left,
        plot_right=plot_right,
        baseline=baseline,
        label_y=baseline + FONT_SIZE + 4,
        tick_x=_round(plot_left - 5),
        top=top_value,
        bars=tuple(bars),
        ticks=ticks,
        label_step=label_step,
    )
