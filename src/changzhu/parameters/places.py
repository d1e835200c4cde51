"""Where in a user's YAML file a reason applies: the file, the key path, the line; and a YAML syntax error's reason.

A policy file, a policy test and a parameter file are read by a loader that keeps no lines (libyaml's, for speed):
an error names the key path it was found at, and the line of that path is looked up only when the error is shown,
by composing the text again (`line_of`).
"""

from __future__ import annotations

import re

import yaml

from changzhu.domain.refusals import Refusal, RefusalCode, refusal

_SEGMENT = re.compile(r"\[(\d+)\]|([^.\[\]]+)")

# words of a problem PyYAML (or libyaml) reports -> what it means, in Chinese (any other is shown as it came)
_YAML_PROBLEMS_ZH = (
    ("mapping values are not allowed", "此处不能出现“键: 值”（多半是缩进不对，或值中有未加引号的冒号）"),
    ("could not find expected ':'", "找不到应有的冒号（多半是缩进不对，或键后漏了冒号）"),
    ("tab character", "含有制表符：YAML 只能用空格缩进"),
    ("'\\t'", "含有制表符：YAML 只能用空格缩进"),
    ("cannot start any token", "含有不能出现在此处的字符"),
    ("expected <block end>", "缩进不一致（同一层的各项须左端对齐）"),
    ("did not find expected key", "缩进不一致：此处应为一个键"),
    ("did not find expected '-' indicator", "列表的缩进不一致：此处应为以 - 开头的一项"),
    ("unexpected end of stream", "文件在引号或括号闭合前结束"),
    ("expected ',' or ']'", "方括号列表没有闭合，或各项之间漏了逗号"),
    ("expected ',' or '}'", "花括号映射没有闭合，或各项之间漏了逗号"),
    ("expected a comment or a line break", "此处应为注释或换行"),
)


def placed(reason: Refusal, file: str = "", where: str = "", line: int | None = None) -> Refusal:
    """The reason with its place: the file, the key path (`where`) and the line, each where known."""
    why = {"why_zh": reason.zh, "why_en": reason.en}
    if not file:
        return refusal(RefusalCode.AT, where=where, **why) if where else reason
    if where and line is not None:
        return refusal(RefusalCode.FILE_AT_LINE, file=file, where=where, line=line, **why)
    if where:
        return refusal(RefusalCode.FILE_AT, file=file, where=where, **why)
    if line is not None:
        return refusal(RefusalCode.FILE_LINE, file=file, line=line, **why)
    return refusal(RefusalCode.FILE_REASON, file=file, **why)


def yaml_problem(exc: yaml.YAMLError) -> tuple[Refusal, int | None]:
    """Why a text is not YAML (PyYAML's problem, in Chinese where it is a common one) and the line it names."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or str(exc).splitlines()[0])
    zh = next((meaning for words, meaning in _YAML_PROBLEMS_ZH if words in problem), problem)
    column = str(mark.column + 1) if mark is not None else "?"
    reason = refusal(RefusalCode.POLICY_YAML_SYNTAX, column=column, problem_zh=zh, problem_en=problem)
    return reason, (mark.line + 1 if mark is not None else None)


def line_of(text: str, where: str, value: str | None = None) -> int | None:
    """The line (from 1) of the key a path names in a YAML text (`a.b[2].c`; a key may itself hold dots), or of
    the first scalar equal to `value` under it; None if the text is not YAML or the path leads nowhere."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    parts = [(int(i) if i else None, key) for i, key in _SEGMENT.findall(where)]
    line: int | None = None
    at = 0
    while node is not None and at < len(parts):
        index, _ = parts[at]
        if index is not None:
            if not isinstance(node, yaml.SequenceNode) or index >= len(node.value):
                break
            node, line, at = node.value[index], node.value[index].start_mark.line + 1, at + 1
            continue
        found = _key(node, parts, at)
        if found is None:
            break
        key, node, at = found
        line = key.start_mark.line + 1
    if value is not None and node is not None:
        return _scalar(node, value) or line
    return line


def _key(node: yaml.Node, parts: list[tuple[int | None, str]], at: int) -> tuple[yaml.Node, yaml.Node, int] | None:
    """The key of a mapping named by the longest run of the path's names from `at` (keys hold dots), its value
    and where the path goes on."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for end in range(len(parts), at, -1):
        if any(index is not None for index, _ in parts[at:end]):
            continue
        name = ".".join(key for _, key in parts[at:end])
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == name:
                return key, value, end
    return None


def _scalar(node: yaml.Node, value: str) -> int | None:
    """The line of the first scalar equal to `value` in a node (depth first)."""
    if isinstance(node, yaml.ScalarNode):
        return node.start_mark.line + 1 if node.value == value else None
    children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
    for child in children if isinstance(children, list) else []:
        found = _scalar(child, value)
        if found is not None:
            return found
    return None
