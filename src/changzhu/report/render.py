"""Assembling out/report.html from the saved section fragments, with plotly.js inlined (works offline)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from plotly.offline import get_plotlyjs

from changzhu.report.lang import Lang
from changzhu.report.sections import FIT_CHARTS_JS, SECTIONS_DIR, escape

REPORT_FILE = "report.html"

_PAGE = """<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0 auto;
       max-width: 1200px; padding: 1em 2em; color: #222; }}
@media (max-width: 600px) {{ body {{ padding: .5em .7em; }} h1 {{ font-size: 1.3em; }} }}
/* a wide table scrolls in its box, never the page: its first column (the row's name) stays in view, and a shadow on
   the box's right edge, as strong from the header row to the last row (a straight band: the round one it replaced
   faded out towards the top and bottom, missing the header row), shows there is more to the right until the
   reader reaches the end (sections.table_box) */
.table-wrap {{ overflow-x: auto; max-width: 100%;
  background: linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right / 2em 100% no-repeat local,
              linear-gradient(to left, rgba(0,0,0,.2), rgba(0,0,0,0)) right / .9em 100% no-repeat scroll; }}
.table-wrap:focus-visible {{ outline: 2px solid #b22; outline-offset: 2px; }}
table.data tr > :first-child {{ position: sticky; left: 0; z-index: 1; background: #fff; }}
table.data tr > th:first-child {{ background: #f4f4f4; }}
@media (max-width: 600px) {{ table.data:not(.stack) tr > :first-child {{ max-width: 7.5em; }}
  table.data:not(.stack) td.text {{ min-width: 5em; }} }}  /* a word column never one character wide */
table.data td.small {{ font-size: 85%; min-width: 14em; max-width: 22em; }}
table.data td.text:first-child {{ min-width: 7em; }}
.figure {{ white-space: nowrap; }}
.status.ok {{ color: #1a7f37; }} .status.out_of_range {{ color: #b22; font-weight: bold; }}
.status.no_estimate, .status.not_synthesized, .status.definition_differs, .status.calibrated {{ color: #777; }}
@media (max-width: 600px) {{
  table.data.stack, table.data.stack tbody, table.data.stack tr, table.data.stack td {{ display: block; width: auto; }}
  table.data.stack {{ border: none; }}
  table.data.stack tr:first-child {{ display: none; }}
  table.data.stack tr {{ border: 1px solid #ccc; margin: 0 0 .6em; padding: .2em 0; }}
  table.data.stack td {{ border: none; text-align: left; min-width: 0; max-width: none; overflow-wrap: anywhere;
                        padding: .15em .6em; position: static; background: none; }}
  table.data.stack td::before {{ content: attr(data-label); color: #666; font-size: 85%; margin-right: .5em; }}
}}
.estimate {{ background: #fff4d6; border: 1px solid #e0b84c; border-radius: 3px; padding: 0 .3em; font-size: 85%; }}
.js-plotly-plot, .plotly-graph-div {{ max-width: 100%; }}
h1 {{ border-bottom: 2px solid #b22; padding-bottom: .3em; }}
section {{ margin: 2em 0; }}
/* separate borders: a sticky cell carries its own (Chromium paints collapsed borders and the next cells' words over
   a sticky cell) */
table.data {{ border-collapse: separate; border-spacing: 0; border-top: 1px solid #ccc; border-left: 1px solid #ccc;
             font-size: 90%; }}
table.data th, table.data td {{ border: 0 solid #ccc; border-width: 0 1px 1px 0; padding: .2em .6em;
                               text-align: right; }}
/* the header's grey is see-through (rgba of black ≈ #f4f4f4 on white) so the box's edge shadow shows on the header
   row as on the body rows; the sticky first column stays opaque (the rows scroll under it) */
table.data th {{ background: rgba(0,0,0,.043); }}
table.data td.text {{ text-align: left; }}
.note {{ color: #555; font-size: 90%; }}
.url {{ overflow-wrap: anywhere; }}  /* a link printed in full breaks anywhere rather than run over the next cell */
nav a {{ margin-right: 1em; }}
</style>
<script type="text/javascript">{plotlyjs}</script>
<script type="text/javascript">{fit_charts}</script>
</head>
<body>
<h1>{title}</h1>
<p class="note">{generated_note}</p>
<nav>{nav}</nav>
{sections}
</body>
</html>
"""


TITLES = {
    Lang.ZH: "常住 changzhu：按常住地提供基本公共服务",
    Lang.EN: "changzhu 常住 — public services where people live",
}
NOTES = {
    Lang.ZH: "changzhu 生成于 {generated}。每个数字都注明人口口径；标“估算”的数字不是统计数。",
    Lang.EN: "Generated {generated} by changzhu. Every figure states its population basis (口径); figures marked "
    "“estimate” are not statistics.",
}


def _heading(fragment: str) -> str:
    """The section's <h2> text (already escaped), for the navigation bar."""
    found = re.search(r"<h2>(.*?)</h2>", fragment)
    return found.group(1) if found else ""


def render_report(out_dir: Path, title: str | None = None, lang: Lang = Lang.ZH) -> Path:
    """Write `out_dir/report.html` from every fragment in `out_dir/sections/`, in order."""
    folder = out_dir / SECTIONS_DIR
    fragments = sorted(folder.glob("*.html")) if folder.is_dir() else []
    texts = [p.read_text(encoding="utf-8") for p in fragments]
    nav = " ".join(
        f"<a href='#{escape(p.stem.split('_', 1)[1])}'>{_heading(text) or escape(p.stem.split('_', 1)[1])}</a>"
        for p, text in zip(fragments, texts, strict=True)
    )
    page = _PAGE.format(
        title=escape(title or TITLES[lang]),
        html_lang="zh-CN" if lang == Lang.ZH else "en",
        generated_note=escape(NOTES[lang].format(generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))),
        plotlyjs=get_plotlyjs(),
        fit_charts=FIT_CHARTS_JS.read_text(encoding="utf-8"),
        nav=nav,
        sections="\n".join(texts),
    )
    path = out_dir / REPORT_FILE
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
