"""Filter patterns (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html), the
parts learners use:

- terms: `ERROR`, `"exact phrase"`, all of them must appear (case-sensitive); `?ERROR ?WARN` any of them;
  `-DEBUG` none of them;
- JSON: `{ $.level = "error" }`, `{ $.latency > 100 }`, `!=`, `<`, `<=`, `>=`, `*` wildcards in strings,
  `&&`, `||`, parentheses, `IS TRUE|FALSE|NULL`, `NOT EXISTS`;
- regular expressions: `%timeout|refused%`.

Space-delimited patterns (`[ip, user, ...]`) are not simulated: they raise UnsupportedOperation.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
from collections.abc import Callable
from typing import Any

from awsprep.sim.core.errors import AwsError
from awsprep.sim.logs.errors import LOGS_ERRORS as E

Matcher = Callable[[str], bool]
TOKEN = re.compile(r'\s*(&&|\|\||\(|\)|!=|<=|>=|=|<|>|"(?:[^"\\]|\\.)*"|\$[\w.\[\]]*|[^\s()&|=<>!"]+)')


def _invalid(pattern: str) -> AwsError:
    return E("InvalidParameter", message=f"Invalid filter pattern: {pattern}")


def compile_pattern(pattern: str | None) -> Matcher:
    """A predicate on an event's message for a filter pattern (InvalidParameterException when it is not one)."""
    text = (pattern or "").strip()
    if not text:
        return lambda message: True
    if text.startswith("{"):
        if not text.endswith("}"):
            raise _invalid(text)
        tree = _JsonParser(text[1:-1], text).parse()
        return lambda message: _json_matches(tree, message)
    if text.startswith("["):
        raise AwsError(
            "UnsupportedOperation",
            "awsprep does not simulate space-delimited filter patterns ([...]) yet: "
            "use terms, { $.x = ... } or %regex%.",
        )
    if len(text) >= 2 and text.startswith("%") and text.endswith("%"):
        try:
            regex = re.compile(text[1:-1])
        except re.error:
            raise _invalid(text) from None
        return lambda message: regex.search(message) is not None
    try:
        words = shlex.split(text, posix=True)
    except ValueError:
        raise _invalid(text) from None
    required = [w for w in words if not w.startswith(("?", "-")) or len(w) == 1]
    optional = [w[1:] for w in words if w.startswith("?") and len(w) > 1]
    excluded = [w[1:] for w in words if w.startswith("-") and len(w) > 1]

    def terms(message: str) -> bool:
        return (
            all(w in message for w in required)
            and (not optional or any(w in message for w in optional))
            and not any(w in message for w in excluded)
        )

    return terms


# ----- JSON patterns ---------------------------------------------------------------------------------------------
Node = tuple[Any, ...]


class _JsonParser:
    """Recursive descent over `expr := term (("&&"|"||") term)*`, `term := "(" expr ")" | comparison`."""

    def __init__(self, body: str, whole: str) -> None:
        self.whole = whole
        self.tokens: list[str] = []
        pos = 0
        while pos < len(body):
            if body[pos:].strip() == "":
                break
            m = TOKEN.match(body, pos)
            if m is None:
                raise _invalid(whole)
            self.tokens.append(m.group(1))
            pos = m.end()
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise _invalid(self.whole)
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.expr()
        if self.peek() is not None:
            raise _invalid(self.whole)
        return node

    def expr(self) -> Node:
        node = self.term()
        while self.peek() in ("&&", "||"):
            op = self.take()
            node = (op, node, self.term())
        return node

    def term(self) -> Node:
        if self.peek() == "(":
            self.take()
            node = self.expr()
            if self.take() != ")":
                raise _invalid(self.whole)
            return node
        selector = self.take()
        if not selector.startswith("$"):
            raise _invalid(self.whole)
        op = self.take()
        if op.upper() == "IS":
            value = self.take().upper()
            if value not in ("TRUE", "FALSE", "NULL"):
                raise _invalid(self.whole)
            return ("is", selector, value)
        if op.upper() == "NOT":
            if self.take().upper() != "EXISTS":
                raise _invalid(self.whole)
            return ("missing", selector)
        if op not in ("=", "!=", "<", "<=", ">", ">="):
            raise _invalid(self.whole)
        return ("cmp", selector, op, self.take())


_MISSING = object()


def _select(doc: Any, selector: str) -> Any:
    current = doc
    for part in re.findall(r"\.([^.\[\]]+)|\[(\d+)\]", selector[1:]):
        key, index = part
        if key:
            if not isinstance(current, dict) or key not in current:
                return _MISSING
            current = current[key]
        else:
            if not isinstance(current, list) or int(index) >= len(current):
                return _MISSING
            current = current[int(index)]
    return current


def _compare(value: Any, op: str, raw: str) -> bool:
    if value is _MISSING or isinstance(value, dict | list):
        return False
    if raw.startswith('"'):
        wanted: Any = json.loads(raw)
    else:
        try:
            wanted = float(raw)
        except ValueError:
            wanted = raw
    if isinstance(wanted, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return op == "!="
        return {
            "=": value == wanted,
            "!=": value != wanted,
            "<": value < wanted,
            "<=": value <= wanted,
            ">": value > wanted,
            ">=": value >= wanted,
        }[op]
    if op not in ("=", "!="):
        return False
    text = value if isinstance(value, str) else json.dumps(value)
    equal = fnmatch.fnmatchcase(text, str(wanted))
    return equal if op == "=" else not equal


def _eval(node: Node, doc: Any) -> bool:
    kind = node[0]
    if kind == "&&":
        return _eval(node[1], doc) and _eval(node[2], doc)
    if kind == "||":
        return _eval(node[1], doc) or _eval(node[2], doc)
    if kind == "missing":
        return _select(doc, node[1]) is _MISSING
    if kind == "is":
        value = _select(doc, node[1])
        return {"TRUE": value is True, "FALSE": value is False, "NULL": value is None}[node[2]]
    return _compare(_select(doc, node[1]), node[2], node[3])


def _json_matches(tree: Node, message: str) -> bool:
    try:
        doc = json.loads(message)
    except ValueError:
        return False
    return _eval(tree, doc)
