"""Assembling out/report.html from the saved section fragments, with plotly.js inlined (works offline)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from plotly.offline import get_plotlyjs

from changzhu.report.sections import SECTIONS_DIR, escape

REPORT_FILE = "report.html"

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0 auto;
       max-width: 1200px; padding: 1em 2em; color: #222; }}
h1 {{ border-bottom: 2px solid #b22; padding-bottom: .3em; }}
section {{ margin: 2em 0; }}
table.data {{ border-collapse: collapse; font-size: 90%; }}
table.data th, table.data td {{ border: 1px solid #ccc; padding: .2em .6em; text-align: right; }}
table.data th {{ background: #f4f4f4; }}
table.data td.text {{ text-align: left; }}
.note {{ color: #555; font-size: 90%; }}
nav a {{ margin-right: 1em; }}
</style>
<script type="text/javascript">{plotlyjs}</script>
</head>
<body>
<h1>{title}</h1>
<p class="note">Generated {generated} by changzhu. Every figure states its population basis (口径).</p>
<nav>{nav}</nav>
{sections}
</body>
</html>
"""


def render_report(out_dir: Path, title: str = "changzhu 常住 — public services where people live") -> Path:
    """Write `out_dir/report.html` from every fragment in `out_dir/sections/`, in order."""
    folder = out_dir / SECTIONS_DIR
    fragments = sorted(folder.glob("*.html")) if folder.is_dir() else []
    nav = " ".join(
        f"<a href='#{escape(p.stem.split('_', 1)[1])}'>{escape(p.stem.split('_', 1)[1])}</a>" for p in fragments
    )
    page = _PAGE.format(
        title=escape(title),
        plotlyjs=get_plotlyjs(),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        nav=nav,
        sections="\n".join(p.read_text(encoding="utf-8") for p in fragments),
    )
    path = out_dir / REPORT_FILE
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
