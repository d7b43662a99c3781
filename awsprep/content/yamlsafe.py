"""Safe, bounded YAML loading that remembers where every value came from.

The file is composed into a node tree once; the tree is checked (no aliases, bounded depth), turned into plain
Python data, and kept so a validation error's location can be mapped back to `line:col`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from awsprep.controls import CONTROL

try:  # libyaml is ~10x faster; the pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 256 * 1024
MAX_DEPTH = 40
# What YAML 1.1 lets a stream hold (tab, newlines, printable Unicode); anything else is refused by the reader.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Located:
    """A problem at a place in a file."""

    path: str
    line: int
    col: int
    field: str
    message: str
    count: int = 1  # how many problems this line stands for ("… and 24,990 more" stands for 24,990)

    def __str__(self) -> str:
        field = f"{self.field}: " if self.field else ""
        return f"{self.path}:{self.line}:{self.col}: {field}{self.message}"


class YamlProblem(Exception):
    def __init__(self, problem: Located) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Parsed:
    path: str
    data: Any
    root: yaml.Node
    # key -> value node of each mapping met while locating, built once: a file with 25,000 unknown keys is
    # located in one pass, not one scan of the mapping per error
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(default_factory=dict, compare=False, repr=False)

    def locate(self, loc: Sequence[int | str], *, key: bool = False) -> tuple[int, int, str]:
        """Line, column (1-based) and dotted field name of a pydantic error location (of the last part's key
        rather than its value with `key=True`: where an unknown key is written)."""
        node = self.root
        parts: list[str] = []
        for n, part in enumerate(loc):
            child = self._child(node, part, key=key and n == len(loc) - 1)
            if child is None:  # e.g. a union tag pydantic adds to the location
                continue
            node = child
            parts.append(f"[{part}]" if isinstance(part, int) else str(part))
        field = ".".join(parts).replace(".[", "[")
        return node.start_mark.line + 1, node.start_mark.column + 1, field

    def _child(self, node: yaml.Node, part: int | str, *, key: bool = False) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {
                    k.value: (k, v) for k, v in reversed(node.value) if isinstance(k, yaml.ScalarNode)
                }
            pair = keys.get(part)
            return None if pair is None else pair[0 if key else 1]
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return node.value[part]  # type: ignore[no-any-return]
        return None


def _check_truncated_prose(path: str, text: str, root: yaml.Node) -> None:
    """An unquoted sentence followed by ` # …` loses everything after the `#` (YAML reads it as a comment).

    Short plain values with a trailing comment (`type: single  # note`) are fine; a plain value of four or more
    words followed by a comment, or any value followed by `#x` with no space (`#!/bin/bash`, `#2`), is almost
    always text cut short, so it is refused with its location.
    """
    lines = text.splitlines()
    suspects = [i for i, line in enumerate(lines) if " #" in line and not line.lstrip().startswith("#")]
    stack = [root]
    while stack:
        node = stack.pop()
        first = bisect.bisect_left(suspects, node.start_mark.line)
        if first == len(suspects) or suspects[first] > node.end_mark.line:
            continue  # no suspect line inside this node: skip the whole subtree
        if isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and not node.style:
            end = node.end_mark
            rest = (lines[end.line][end.column :] if end.line < len(lines) else "").lstrip()
            prose = len(str(node.value).split()) >= 4
            if rest.startswith("#") and (prose or (len(rest) > 1 and not rest[1].isspace())):
                raise YamlProblem(
                    _at(path, node, "text after ' #' is a YAML comment and would be lost; quote the whole value")
                )


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Builder:
    """Turns the composed node tree into Python data in one pass, refusing what content files must not hold.

    PyYAML's own constructor is generic (generators, per-node bookkeeping) and is the slowest part of a load;
    content needs only mappings, sequences and scalars. The same pass refuses aliases (a node met twice: the
    "billion laughs" shape, where 330 bytes expand to millions of objects), nesting deeper than MAX_DEPTH, and
    tags such as `!!python/object`. Scalars other than strings are left to PyYAML's safe constructor so ints,
    booleans, floats, nulls and dates come out exactly as `safe_load` makes them.
    """

    def __init__(self, path: str, loader: Any) -> None:
        self.path = path
        self.loader = loader
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, depth: int = 1) -> Any:
        if id(node) in self.seen:
            raise YamlProblem(_at(self.path, node, "anchors and aliases (&, *) are not allowed in content files"))
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlProblem(_at(self.path, node, f"nested deeper than {MAX_DEPTH} levels"))
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _STR:
                if CONTROL.search(node.value):  # only escapes ("\e", "\x1b") get here: the reader refuses raw ones
                    code = ord(CONTROL.findall(node.value)[0])
                    raise YamlProblem(
                        _at(self.path, node, f"control character U+{code:04X} is not allowed in content text")
                    )
                return node.value
            try:
                return self.loader.construct_object(node, deep=True)
            except (ValueError, OverflowError) as exc:  # e.g. 2026-13-45 looks like a date but is none
                raise YamlProblem(_at(self.path, node, f"invalid {tag.rsplit(':', 1)[-1]}: {exc}")) from None
        if isinstance(node, yaml.MappingNode) and tag == _MAP:
            out: dict[Any, Any] = {}
            first_line: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, depth + 1)
                if not isinstance(key, str | int | float | bool) and key is not None:
                    raise YamlProblem(_at(self.path, key_node, "a mapping key must be a plain value"))
                if key in first_line:  # PyYAML keeps the last silently: a second `correct:` could hide a wrong key
                    raise YamlProblem(
                        _at(self.path, key_node, f"duplicate key {key!r} (first at line {first_line[key]})")
                    )
                first_line[key] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
            return [self.build(child, depth + 1) for child in node.value]
        raise YamlProblem(_at(self.path, node, f"YAML tags such as !!python/... are not allowed ({tag})"))


def _at(path: str, node: yaml.Node, message: str) -> Located:
    return Located(path, node.start_mark.line + 1, node.start_mark.column + 1, "", message)


def parse_file(path: Path, shown: str | None = None) -> Parsed:
    """Parse one YAML file safely; raise YamlProblem with a location on any problem."""
    name = shown or str(path)
    too_big = Located(name, 1, 1, "", f"file is larger than {MAX_BYTES // 1024} KiB; split it")
    try:
        with path.open("rb") as handle:
            if path.stat().st_size > MAX_BYTES:  # a 50 MB file is refused unread
                raise YamlProblem(too_big)
            raw = handle.read(MAX_BYTES + 1)  # at most one byte over, should it grow meanwhile
    except OSError as exc:
        raise YamlProblem(Located(name, 1, 1, "", f"cannot read file: {exc.strerror}")) from None
    if len(raw) > MAX_BYTES:
        raise YamlProblem(too_big)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")  # everything before the first bad byte is valid
        line, col = _line_col(before, len(before))
        raise YamlProblem(Located(name, line, col, "", "file is not valid UTF-8")) from None
    return parse_text(text, name)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a character offset."""
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start + 1


def parse_text(text: str, name: str) -> Parsed:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise YamlProblem(Located(name, 1, 1, "", "file is empty"))
        data = _Builder(name, loader).build(root)
        if " #" in text:
            _check_truncated_prose(name, text, root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        if "could not determine a constructor" in message:
            message = f"YAML tags such as !!python/... are not allowed ({exc.problem})"
        raise YamlProblem(Located(name, line, col, "", message)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (NUL, ESC, ...); libyaml counts bytes
        bad = _NOT_PRINTABLE.search(text)
        line, col = _line_col(text, bad.start()) if bad else (1, 1)
        what = f"character U+{exc.character:04X}" if isinstance(exc.character, int) else "character"
        raise YamlProblem(Located(name, line, col, "", f"{what} is not allowed in a content file")) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Located(name, 1, 1, "", f"invalid YAML: {exc}")) from None
    except RecursionError:
        raise YamlProblem(Located(name, 1, 1, "", "nested too deeply")) from None
    finally:
        loader.dispose()
    return Parsed(name, data, root)
