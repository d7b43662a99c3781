"""The bash subset the sandbox understands: lists, variables, `$(...)`, quoting and redirections.

Two passes. `split_list` cuts a line at unquoted `;`, `&&` and `||` without expanding anything, because
bash expands each command only when it runs (so `A=1; echo $A` works). `expand` then walks one command,
substitutes `$VAR`, `${VAR}`, `$?` and `$(...)`, turns unquoted redirection operators into marker words,
and hands the text to `shlex.split` for the actual quoting rules. Expanded values are re-quoted with
`shlex.quote` so nothing a command prints can become syntax.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

# A private-use character marks operator words for the second pass; input never keeps one.
MARK = "\ue000"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_REDIRECT = re.compile(r"(?:[12]?>>|[12]?>&[12]|[12]?>|&>>|&>|<<-?|<)")
_DECLARATIONS = {"export", "local", "declare", "readonly"}


class ParseError(Exception):
    """A syntax error, worded like bash's (`syntax error near unexpected token ...`)."""


class Unsupported(Exception):
    """Valid bash the sandbox does not simulate (pipes, background jobs)."""


@dataclass(frozen=True)
class Redirect:
    """`fd` (0 stdin, 1 stdout, 2 stderr) goes to a file (`target`), or duplicates `dup_of`."""

    fd: int
    target: str | None = None
    append: bool = False
    dup_of: int | None = None
    heredoc: bool = False  # `<<WORD`: stdin is the next here-document of the line


@dataclass(frozen=True)
class Command:
    """One simple command after expansion."""

    assignments: tuple[tuple[str, str], ...]
    argv: tuple[str, ...]
    redirects: tuple[Redirect, ...]


def clean(line: str) -> str:
    """Drop characters the parser reserves (never typed by a person)."""
    return line.replace(MARK, "")


def _skip_single(s: str, i: int) -> int:
    """Index just past the closing `'` of a quote opened at `i - 1`."""
    end = s.find("'", i)
    if end < 0:
        raise ParseError("unexpected EOF while looking for matching `''")
    return end + 1


def _skip_double(s: str, i: int) -> int:
    """Index just past the closing `"` of a quote opened at `i - 1` (honours `\\` and `$(`)."""
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
        elif c == '"':
            return i + 1
        elif s.startswith("$(", i):
            i = skip_subst(s, i + 2)
        else:
            i += 1
    raise ParseError("unexpected EOF while looking for matching `\"'")


def skip_subst(s: str, i: int) -> int:
    """Index just past the `)` that closes a `$(` whose body starts at `i`."""
    depth = 1
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            i = _skip_single(s, i + 1)
            continue
        if c == '"':
            i = _skip_double(s, i + 1)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ParseError("unexpected EOF while looking for matching `)'")


def _word_start(s: str, i: int) -> bool:
    return i == 0 or s[i - 1] in " \t\n;&|()<>"


def split_list(line: str) -> list[tuple[str, str]]:
    """`[(command_text, connector), ...]`; the connector is what precedes the command (`""` first).

    Comments are dropped. Raises `ParseError` for bash syntax errors and `Unsupported` for pipes and `&`.
    """
    s = clean(line)
    parts: list[tuple[str, str]] = []
    start, i, connector = 0, 0, ""

    def cut(end: int, op: str, width: int) -> int:
        nonlocal start, connector
        text = s[start:end]
        if not text.strip():
            raise ParseError(f"syntax error near unexpected token `{op}'")
        parts.append((text, connector))
        connector = op
        start = end + width
        return start

    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
        elif c == "'":
            i = _skip_single(s, i + 1)
        elif c == '"':
            i = _skip_double(s, i + 1)
        elif s.startswith("$(", i):
            i = skip_subst(s, i + 2)
        elif c == "#" and _word_start(s, i):
            s = s[:i]
        elif s.startswith("&&", i) or s.startswith("||", i):
            i = cut(i, s[i : i + 2], 2)
        elif c == ";":
            i = cut(i, ";", 1)
        elif c == "|":
            raise Unsupported("pipes (|) are not simulated; filter aws output with --query instead")
        elif c == "&" and not (s.startswith("&>", i) or (i > 0 and s[i - 1] == ">")):
            raise Unsupported("background jobs (&) are not simulated; every command finishes at once")
        elif c in "()":
            raise ParseError(f"syntax error near unexpected token `{c}'")
        else:
            i += 1
    tail = s[start:]
    if tail.strip():
        parts.append((tail, connector))
    elif connector in ("&&", "||"):
        raise ParseError("syntax error: unexpected end of file")
    return parts


def is_incomplete(line: str) -> bool:
    """Would bash ask for more (`> `)? Open quotes or `$(`, a trailing `\\`, `&&` or `||`."""
    stripped = line.rstrip()
    if stripped.endswith("\\") and not stripped.endswith("\\\\"):
        return True
    try:
        split_list(line)
    except ParseError as err:
        return "unexpected EOF" in str(err) or "end of file" in str(err)
    except Unsupported:
        return False
    return stripped.endswith(("&&", "||"))


Lookup = Callable[[str], str | None]
Substitute = Callable[[str], str]


class _Expander:
    """The second pass over one command's text (see the module docstring)."""

    def __init__(self, text: str, lookup: Lookup, substitute: Substitute) -> None:
        self.s = text
        self.lookup = lookup
        self.substitute = substitute
        self.out: list[str] = []
        self.prefix = True  # still in the `NAME=value` words before the command name
        self.no_split = False  # inside an assignment word: bash does not word-split its value
        self.declaration = False  # `export A=$(...)` is not split either
        self.raw = False  # here-document bodies take values as they are

    def run(self) -> str:
        s, i = self.s, 0
        while i < len(s):
            c = s[i]
            if c in " \t\n":
                self.no_split = False
                self.out.append(c)
                i += 1
                continue
            if _word_start(s, i):
                self._start_word(i)
            if c == "\\":
                self.out.append(s[i : i + 2])
                i += 2
            elif c == "'":
                end = _skip_single(s, i + 1)
                self.out.append(s[i:end])
                i = end
            elif c == '"':
                i = self._double(i + 1)
            elif c == "$":
                i = self._dollar(i, quoted=False)
            elif (m := _REDIRECT.match(s, i)) and (m.group()[0] not in "12" or _word_start(s, i)):
                self.out.append(f" {MARK}{m.group()} ")
                i = m.end()
            elif c == "#" and _word_start(s, i):
                break
            else:
                self.out.append(c)
                i += 1
        return "".join(self.out)

    def _start_word(self, i: int) -> None:
        word = _NAME.match(self.s, i)
        assign = _ASSIGN.match(self.s, i)
        if self.prefix and assign:
            self.no_split = True
            return
        if assign and self.declaration:
            self.no_split = True
            return
        if self.prefix:
            self.declaration = bool(
                word and word.group() in _DECLARATIONS and self.s[word.end() : word.end() + 1] != "="
            )
        self.prefix = False

    def _double(self, i: int) -> int:
        s = self.s
        self.out.append('"')
        while i < len(s):
            c = s[i]
            if c == "\\":
                # bash lets `\$` and `\`` through as literals; shlex only knows `\"` and `\\`
                pair = s[i : i + 2]
                self.out.append(pair[1:] if pair[1:] in ("$", "`") else pair)
                i += 2
            elif c == '"':
                self.out.append('"')
                return i + 1
            elif c == "$":
                i = self._dollar(i, quoted=True)
            else:
                self.out.append(c)
                i += 1
        raise ParseError("unexpected EOF while looking for matching `\"'")

    def _dollar(self, i: int, quoted: bool) -> int:
        s = self.s
        value: str | None
        if s.startswith("$(", i):
            end = skip_subst(s, i + 2)
            value = clean(self.substitute(s[i + 2 : end - 1])).rstrip("\n")
        elif s.startswith("${", i):
            end = s.find("}", i)
            if end < 0:
                raise ParseError("unexpected EOF while looking for matching `}'")
            value = self._braced(s[i + 2 : end])
            end += 1
        elif (m := _NAME.match(s, i + 1)) or (m := re.compile(r"[?$#0-9]").match(s, i + 1)):
            value = self.lookup(m.group()) or ""
            end = m.end()
        else:
            self.out.append("$")
            return i + 1
        self._emit(value, quoted)
        return end

    def _braced(self, body: str) -> str:
        name, sep, default = body.partition(":-")
        if not _NAME.fullmatch(name) and name not in ("?", "$", "#"):
            raise ParseError(f"${{{body}}}: bad substitution")
        value = self.lookup(name) or ""
        return value if value or not sep else default

    def heredoc(self) -> str:
        """Expand a here-document body: only `$...` and `\\$`, no quoting, no word splitting."""
        s, i = self.s, 0
        self.raw = True
        while i < len(s):
            if s[i] == "\\" and s[i + 1 : i + 2] in ("$", "`", "\\"):
                self.out.append(s[i + 1])
                i += 2
            elif s[i] == "$":
                i = self._dollar(i, quoted=True)
            else:
                self.out.append(s[i])
                i += 1
        return "".join(self.out)

    def _emit(self, value: str, quoted: bool) -> None:
        if self.raw:
            self.out.append(value)
        elif quoted:
            self.out.append(value.replace("\\", "\\\\").replace('"', '\\"'))
        elif self.no_split:
            self.out.append(shlex.quote(value) if value else "")
        else:
            self.out.append(" ".join(shlex.quote(w) for w in value.split()))


_SPACE = " \t\r\n"
_PLAIN_RUN = re.compile(r"[^ \t\r\n\\'\"]+")


def split_words(s: str) -> list[str]:
    """`shlex.split(s, comments=False, posix=True)`, in linear time. shlex grows each token one character at a
    time (`self.token += c`, a copy each time), so a 1M-character word took seconds that grew with its square."""
    words: list[str] = []
    cur: list[str] = []
    in_word = False
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c in _SPACE:
            if in_word:
                words.append("".join(cur))
                cur, in_word = [], False
            i += 1
            continue
        in_word = True
        if c == "\\":
            if i + 1 >= n:
                raise ValueError("No escaped character")
            cur.append(s[i + 1])
            i += 2
        elif c == "'":
            end = s.find("'", i + 1)
            if end < 0:
                raise ValueError("No closing quotation")
            cur.append(s[i + 1 : end])
            i = end + 1
        elif c == '"':
            i = _split_double(s, i + 1, cur)
        else:
            m = _PLAIN_RUN.match(s, i)
            assert m is not None
            cur.append(m.group())
            i = m.end()
    if in_word:
        words.append("".join(cur))
    return words


def _split_double(s: str, i: int, cur: list[str]) -> int:
    """Inside "…": a backslash escapes only `"` and `\\` (shlex's posix rule); returns the index past the quote."""
    n = len(s)
    while True:
        end = min((k for k in (s.find('"', i), s.find("\\", i)) if k >= 0), default=-1)
        if end < 0:
            raise ValueError("No closing quotation")
        cur.append(s[i:end])
        if s[end] == '"':
            return end + 1
        if end + 1 >= n:
            raise ValueError("No escaped character")
        nxt = s[end + 1]
        cur.append(nxt if nxt in '"\\' else "\\" + nxt)
        i = end + 2


def expand(text: str, lookup: Lookup, substitute: Substitute) -> Command:
    """Expand one command (a part from `split_list`) into assignments, argv and redirections."""
    expanded = _Expander(clean(text), lookup, substitute).run()
    try:
        words = split_words(expanded)
    except ValueError as err:  # the complaint about quotes that do not close
        raise ParseError(f"unexpected EOF ({err})") from None
    assignments: list[tuple[str, str]] = []
    argv: list[str] = []
    redirects: list[Redirect] = []
    k = 0
    while k < len(words):
        w = words[k]
        if w.startswith(MARK):
            op = w[1:]
            if ">&" in op:
                redirects.append(_dup(op))
                k += 1
                continue
            if k + 1 >= len(words) or words[k + 1].startswith(MARK):
                bad = words[k + 1][1:] if k + 1 < len(words) else "newline"
                raise ParseError(f"syntax error near unexpected token `{bad}'")
            redirects.extend(_to_file(op, words[k + 1]))
            k += 2
            continue
        if not argv and _ASSIGN.match(w):
            name, _, value = w.partition("=")
            assignments.append((name, value))
        else:
            argv.append(w)
        k += 1
    return Command(tuple(assignments), tuple(argv), tuple(redirects))


def expand_heredoc(body: str, lookup: Lookup, substitute: Substitute) -> str:
    """The text of an unquoted here-document after `$VAR` and `$(...)` expansion."""
    return _Expander(clean(body), lookup, substitute).heredoc()


def _dup(op: str) -> Redirect:
    left, _, right = op.partition(">&")
    return Redirect(int(left or "1"), dup_of=int(right))


def _to_file(op: str, target: str) -> list[Redirect]:
    if op.startswith("<<"):
        return [Redirect(0, target=target, heredoc=True)]
    if op == "<":
        return [Redirect(0, target=target)]
    append = op.endswith(">>")
    if op.startswith("&"):  # `&>file` is `>file 2>&1`
        return [Redirect(1, target=target, append=append), Redirect(2, dup_of=1)]
    return [Redirect(int(op[0]) if op[0] in "12" else 1, target=target, append=append)]


def heredoc_delimiter(line: str) -> tuple[str, bool] | None:
    """The delimiter of an unquoted `<<WORD` in `line` and whether it was quoted (no expansion then)."""
    m = re.search(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1", line)
    if m is None:
        return None
    before = line[: m.start()]
    if before.count("'") % 2 or before.count('"') % 2:
        return None
    return m.group(2), bool(m.group(1))
