"""Every relative link in README.md and docs/*.md leads somewhere: the file (or directory) exists and, for a link
to a heading (page.md#anchor, or #anchor on the same page), the page has that heading, by GitHub's anchor rules."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")


def prose_lines(text: str, *, keep_inline_code: bool = False) -> list[str]:
    """The page's lines with fenced code blocks blanked and inline code removed (neither holds links); a heading's
    inline code is part of its anchor, so `anchors` keeps it."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            lines.append("")
            continue
        lines.append("" if fenced else line if keep_inline_code else re.sub(r"`[^`]*`", "", line))
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped (letters of any script kept), spaces to -."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every anchor a page has: its headings (a repeated one gets -1, -2, …) and explicit <a id=…>."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in prose_lines(page.read_text(encoding="utf-8"), keep_inline_code=True):
        if heading := HEADING.match(line):
            base = slug(heading.group(1))
            found.add(base if base not in seen else f"{base}-{seen[base]}")
            seen[base] = seen.get(base, 0) + 1
        found.update(HTML_ANCHOR.findall(line))
    return found


def broken_links(page: Path) -> list[str]:
    """The relative links of `page` that lead nowhere, each as 'page:line: target: why'."""
    broken = []
    for number, line in enumerate(prose_lines(page.read_text(encoding="utf-8")), 1):
        for target in LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: …
                continue
            file, _, fragment = target.partition("#")
            dest = (page.parent / file).resolve() if file else page
            where = f"{page.name}:{number}: {target}"
            if not dest.exists():
                broken.append(f"{where}: no such file")
            elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
                broken.append(f"{where}: no such heading")
    return broken


def test_every_relative_link_in_the_docs_resolves() -> None:
    assert len(PAGES) > 20
    assert [b for page in PAGES for b in broken_links(page)] == []


def test_a_missing_file_or_heading_is_found(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text(
        "# Who may change what\n\n## Errors\n\n## Errors\n\n## API (under `/api/v1`, bearer token)\n", encoding="utf-8"
    )
    page = tmp_path / "page.md"
    page.write_text(
        "# 常住 title\n"
        "[ok](other.md#who-may-change-what) [ok](other.md#errors-1) [ok](#常住-title) `[code](gone.md)`\n"
        "[ok](other.md#api-under-apiv1-bearer-token)\n"
        "[gone](gone.md) [no heading](other.md#who-may-change) ![img](img/none.png)\n"
        "```\n[in a block](gone.md)\n```\n",
        encoding="utf-8",
    )
    found = [b.split(": ", 1)[1] for b in broken_links(page)]
    assert found == [
        "gone.md: no such file",
        "other.md#who-may-change: no such heading",
        "img/none.png: no such file",
    ]
