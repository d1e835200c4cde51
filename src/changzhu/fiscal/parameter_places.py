"""A fiscal parameter's bad value, as its error names it: the parameter by its label in each language (the parameter
tree's `fiscal.*` labels, the ones the reform builder and GET /parameters show) and the place the value was given,
the parameter file and its line, or the schemes file for a number a scheme gives itself; a value a reform or a
request changed has no file to name (the one who changed it knows where). Never the dotted key path."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache

from changzhu.parameters import parameter_tree
from changzhu.parameters.places import line_of
from changzhu.parameters.tree import TREE_DIR

TREE_PREFIX = "fiscal."
TREE_FILE = TREE_DIR / "fiscal.yaml"  # the tree's part whose keys are `fiscal.*`
FROM_TREE = "tree"  # a number read from the parameter tree's file
CHANGED = "changed"  # a number a reform or a request changed


@dataclass(frozen=True)
class At:
    """Where in a scheme a value is: `where`, the scheme's place and key path as the schemes file's structure errors
    name it; `path`, the key under the scheme (`transfer.weights.population`); `origins`, how each number came
    (FROM_TREE, CHANGED; a number not listed: given inline by the scheme, in `file`)."""

    where: str
    file: str = ""
    path: str = ""
    origins: Mapping[str, str] = field(default_factory=dict)

    def child(self, key: str) -> At:
        """The place of `key` under this one."""
        return replace(self, where=f"{self.where}.{key}", path=f"{self.path}.{key}" if self.path else key)


def label(path: str) -> tuple[str, str]:
    """The parameter's name in Chinese and English (its key under the scheme where the tree names none)."""
    param = parameter_tree().resolve().get(TREE_PREFIX + path)
    if param is None or not param.label_zh:
        return path, path
    return param.label_zh, param.label_en


def labelled(path: str) -> dict[str, str]:
    """The refusal parameters `parameter_zh` and `parameter_en` naming the parameter at `path`."""
    zh, en = label(path)
    return {"parameter_zh": zh, "parameter_en": en}


@cache
def _tree_line(key: str) -> int | None:
    return line_of(TREE_FILE.read_text(encoding="utf-8"), f"parameters.{key}")


def origin(at: At, paths: tuple[str, ...]) -> tuple[str, int | None]:
    """The file and line of the values at `paths` (the first one's): the tree's file and the parameter's line, the
    scheme's own file, or none where a reform or a request changed one of them."""
    origins = [at.origins.get(p) for p in paths]
    if CHANGED in origins:
        return "", None
    if origins and origins[0] == FROM_TREE:
        return TREE_FILE.name, _tree_line(TREE_PREFIX + paths[0])
    return at.file, None
