"""A downloaded file's name as a person reads it in a folder of downloads, and the Content-Disposition header that
gives it to the browser: the reform's title, not a run's hex id (RFC 6266: `filename*` in UTF-8 for a title in
Chinese, beside an ASCII `filename` for an old client)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from urllib.parse import quote

NAME_MAX = 60  # characters of the title part: a whole title reads, a folder's column still shows the year after it
# what Windows, macOS or a shell refuse or misread in a file name
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")


def safe_part(text: str, limit: int = NAME_MAX) -> str:
    """`text` as part of a file name: characters no file system takes dropped, spaces as `_`, no leading or trailing
    dot or underscore, at most `limit` characters; Chinese kept as it is."""
    cleaned = _SPACES.sub("_", _UNSAFE.sub(" ", unicodedata.normalize("NFC", text)).strip())
    return cleaned[:limit].strip("._")


def stamp(created_at: str) -> str:
    """When a run was started as a file name says it, `20261204-1630` (minutes: two runs of one reform's files are
    told apart); the stored text's digits where it is not an ISO time."""
    try:
        return datetime.fromisoformat(created_at).strftime("%Y%m%d-%H%M")
    except ValueError:
        return re.sub(r"\D", "", created_at)[:12]


def file_name(*parts: str) -> str:
    """The parts (each already safe) joined by `_`, an empty one left out."""
    return "_".join(p for p in parts if p)


def ascii_fallback(name: str) -> str:
    """`name` for a client that reads only `filename`: its ASCII characters, `download` where none is left."""
    kept = safe_part(name.encode("ascii", "ignore").decode("ascii"), limit=200)
    return kept if kept.strip("_-.") else "download"


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """`attachment` named `filename`: `filename*` (RFC 6266/5987, UTF-8) where it is not plain ASCII, with `filename`
    for a client that reads only that (`fallback`, else the name's ASCII characters)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    if filename.isascii():
        return f'attachment; filename="{filename}"'
    plain = (fallback or ascii_fallback(stem)) + (f".{ext}" if ext else "")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
