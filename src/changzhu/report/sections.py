"""Report sections: each part of the system writes its own fragment; the report collects them in order.

A section is an HTML fragment saved as `<out>/sections/<order>_<name>.html`. Charts inside a fragment
are Plotly figures rendered with `figure_html` (no script tag of their own: the report inlines
plotly.js once, so the page works offline).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from changzhu.figures import minus, minus_in_html
from changzhu.report.lang import Lang, pick

SECTIONS_DIR = "sections"


@dataclass(frozen=True)
class ReportSection:
    """One titled part of the report: `order` sorts sections, `name` is its file stem."""

    order: int
    name: str
    title: str
    body_html: str


FIT_CHARTS_JS = Path(__file__).with_name("templates") / "fit_charts.js"


def figure_html(figure: go.Figure) -> str:
    """A Plotly figure as an HTML fragment that relies on the report's inlined plotly.js, its words wrapped to the
    chart's width once drawn (`changzhuFit` in templates/fit_charts.js, inlined once by render.py): the one way
    every chart's title, axis titles, legend, colour bar titles and notes are made to fit a phone; its labels' negative
    figures with the true minus (`read_with_minus`)."""
    return str(
        read_with_minus(figure).to_html(
            full_html=False,
            include_plotlyjs=False,
            config={"displaylogo": False},
            post_script="window.changzhuFit && changzhuFit(document.getElementById('{plot_id}'));",
        )
    )


# the figure's keys whose strings a reader sees as written: labels, hover texts, tick labels, notes and titles
READ_KEYS = frozenset({"text", "hovertext", "ticktext"})


def _minus_in(value: Any, read: bool = False) -> Any:
    """A figure's (part as a dict) with the strings under READ_KEYS written with the true minus (`minus`); the
    data, the templates and everything else as they are."""
    if isinstance(value, dict):
        return {k: _minus_in(v, k in READ_KEYS) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_minus_in(v, read) for v in value]
    return minus(value) if read and isinstance(value, str) else value


def read_with_minus(figure: go.Figure) -> go.Figure:
    """A copy of `figure` whose words a reader sees (the traces' text and hover text, tick labels, notes, titles)
    write a negative figure with the true minus; plotly.js writes the tick and hover numbers it formats itself so
    already. The data stay numbers."""
    return go.Figure(_minus_in(figure.to_dict()))


def escape(text: str) -> str:
    """HTML-escape a piece of text."""
    return html.escape(text, quote=True)


TABLE_BOX_LABEL = {Lang.ZH: "表格，可左右滑动", Lang.EN: "Table, scrolls sideways"}


def table_box(table: str, lang: Lang) -> str:
    """A report table (HTML) in its box: a table wider than the page scrolls sideways in the box, never the page,
    with its first column (the row's name) kept in view by the report's style (render.py); the box is a labelled
    region a keyboard can focus and scroll with the arrow keys."""
    label = escape(pick(TABLE_BOX_LABEL[Lang.ZH], TABLE_BOX_LABEL[Lang.EN], lang))
    return f"<div class='table-wrap' role='region' tabindex='0' aria-label='{label}'>{table}</div>"


def write_section(out_dir: Path, section: ReportSection) -> Path:
    """Save a section fragment under `out_dir/sections/`, replacing an older one of the same name."""
    folder = out_dir / SECTIONS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"*_{section.name}.html"):
        old.unlink()
    path = folder / f"{section.order:03d}_{section.name}.html"
    path.write_text(
        f"<section id='{escape(section.name)}'>\n<h2>{escape(minus(section.title))}</h2>\n"
        f"{minus_in_html(section.body_html)}\n</section>\n",
        encoding="utf-8",
    )
    return path
