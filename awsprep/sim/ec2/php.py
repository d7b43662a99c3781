"""The PHP pages an instance's web server runs (httpd with PHP on Amazon Linux 2023): a small, honest subset.

A learner makes a target slow, sets an application cookie or prints what the target sees with the PHP a
tutorial uses: `<?php sleep(5); echo gethostname(); ?>`, `setcookie('SESSION', 'abc');`, `session_start();`,
`http_response_code(500);`, `header('X-App: 1');`, `echo $_SERVER['REMOTE_ADDR'];`; and keeps what an SNS HTTP
subscription POSTs with `file_put_contents('/tmp/sns.txt', file_get_contents('php://input') . "\n", FILE_APPEND);`
or `error_log(file_get_contents('php://input'));` (written to /var/log/php-fpm/www-error.log). Anything else is what PHP
does with a syntax error under AL2023's production php.ini (display_errors off): an empty 500.

`sleep()` adds to the time the response takes (on Linux it does not count against max_execution_time), and
httpd hands PHP to php-fpm through mod_proxy_fcgi, which gives up after httpd's `Timeout` (60 s): a script
slower than that is httpd's own 504.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from awsprep.sim.core.endpoint import HttpRequest

PROXY_TIMEOUT = 60.0  # httpd's Timeout directive (AL2023's httpd.conf), which mod_proxy_fcgi uses for php-fpm
PHP_SECONDS = 0.002  # what running a small script costs besides its sleeps [INF]
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<var>\$_(?:SERVER|COOKIE|GET)\s*\[\s*(?:'[^']*'|"[^"]*")\s*\])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>[().,;+\-*])
    )""",
    re.VERBOSE,
)


class PhpError(Exception):
    """What PHP calls a parse or fatal error (the script stops; the client gets an empty 500)."""


@dataclass
class Run:
    """What running a script produced."""

    status: int = 200
    body: str = ""
    seconds: float = PHP_SECONDS
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)
    writes: list[tuple[str, str, bool]] = field(default_factory=list)  # (path, text, append): file_put_contents


FILE_APPEND = 8.0  # PHP's constant
ERROR_LOG = "/var/log/php-fpm/www-error.log"  # AL2023's php-fpm pool error log (error_log() writes there)


@dataclass
class Env:
    """What a script can see: the request, the host name, and a source of session ids."""

    request: HttpRequest
    hostname: str
    server_addr: str
    new_session_id: str
    request_time: float = 0.0  # what time() returns (the simulated clock)


def run(source: str, env: Env) -> Run:
    """Run a page: text outside `<?php … ?>` is output as is, code inside is executed."""
    out = Run()
    rest = source
    try:
        while rest:
            start = rest.find("<?")
            if start < 0:
                out.body += rest
                break
            out.body += rest[:start]
            rest = rest[start + 2 :]
            short = rest.startswith("=")
            rest = rest[1:] if short else rest.removeprefix("php")
            end = rest.find("?>")
            code, rest = (rest, "") if end < 0 else (rest[:end], rest[end + 2 :].removeprefix("\n"))
            if _execute(("echo " + code) if short else code, env, out):
                break  # exit / die
    except PhpError:
        return Run(500, "", out.seconds)
    return out


def _strip_comments(code: str) -> str:
    code = re.sub(r"/\*.*?\*/", " ", code, flags=re.S)
    return "\n".join(re.sub(r"(?<!:)(//|#).*$", "", line) for line in code.splitlines())


def _tokens(code: str) -> list[tuple[str, str]]:
    pos, out = 0, []
    code = code.rstrip()
    while pos < len(code):
        m = _TOKEN.match(code, pos)
        if m is None or m.end() == pos:
            if code[pos:].strip() == "":
                break
            raise PhpError(f"syntax error near {code[pos : pos + 10]!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _execute(code: str, env: Env, out: Run) -> bool:
    """Run the statements of one block; True when the script ended (exit/die)."""
    tokens = _tokens(_strip_comments(code))
    statements: list[list[tuple[str, str]]] = [[]]
    for tok in tokens:
        if tok == ("op", ";"):
            statements.append([])
        else:
            statements[-1].append(tok)
    return any(st and _statement(st, env, out) for st in statements)


def _statement(st: list[tuple[str, str]], env: Env, out: Run) -> bool:
    kind, word = st[0]
    if kind != "name":
        raise PhpError("unexpected token")
    word = word.lower()
    if word in ("echo", "print"):
        for part in _split_args(st[1:]):
            out.body += _text(_value(part, env))
        return False
    if word in ("exit", "die"):
        args = _call_args(st[1:], env) if len(st) > 1 else []
        if args and isinstance(args[0], str):
            out.body += args[0]
        return True
    args = _call_args(st[1:], env)
    if word == "sleep":
        out.seconds += max(0.0, float(_number(args, 0)))
    elif word == "usleep":
        out.seconds += max(0.0, float(_number(args, 0))) / 1e6
    elif word == "http_response_code":
        out.status = int(_number(args, 0))
    elif word == "header":
        name, _, value = _text(args[0] if args else "").partition(":")
        if name.strip().lower() == "set-cookie":
            out.cookies.append(value.strip())
        elif name.strip():
            out.headers[name.strip()] = value.strip()
    elif word == "setcookie":
        if not args:
            raise PhpError("setcookie() expects at least 1 argument")
        value = _text(args[1]) if len(args) > 1 else ""
        cookie = f"{_text(args[0])}={value}"
        if len(args) > 2 and _number(args, 2):
            cookie += f"; Max-Age={max(0, int(float(_number(args, 2))) - int(env.request_time))}"
        out.cookies.append(cookie + "; path=/")
    elif word == "file_put_contents":
        if len(args) < 2:
            raise PhpError("file_put_contents() expects at least 2 arguments")
        append = len(args) > 2 and int(float(_number(args, 2))) & int(FILE_APPEND) != 0
        out.writes.append((_text(args[0]), _text(args[1]), bool(append)))
    elif word == "error_log":
        if not args:
            raise PhpError("error_log() expects at least 1 argument")
        stamp = time.strftime("%d-%b-%Y %H:%M:%S", time.gmtime(env.request_time))
        out.writes.append((ERROR_LOG, f"[{stamp} UTC] {_text(args[0])}\n", True))
    elif word == "session_start":
        if "PHPSESSID" not in _cookies(env.request):
            out.cookies.append(f"PHPSESSID={env.new_session_id}; path=/")
            out.headers.setdefault("Cache-Control", "no-store, no-cache, must-revalidate")
    elif word not in ("flush", "ob_start", "ob_end_flush", "error_reporting", "ini_set", "set_time_limit"):
        raise PhpError(f"Call to undefined function {word}()")
    return False


def _split_args(tokens: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    parts: list[list[tuple[str, str]]] = [[]]
    depth = 0
    for tok in tokens:
        if tok == ("op", "("):
            depth += 1
        elif tok == ("op", ")"):
            depth -= 1
        if tok == ("op", ",") and depth == 0:
            parts.append([])
        else:
            parts[-1].append(tok)
    return [p for p in parts if p]


def _call_args(tokens: list[tuple[str, str]], env: Env) -> list[str | float]:
    if not tokens or tokens[0] != ("op", "(") or tokens[-1] != ("op", ")"):
        raise PhpError("syntax error, unexpected token")
    return [_value(p, env) for p in _split_args(tokens[1:-1])]


def _number(args: list[str | float], i: int) -> float:
    if i >= len(args):
        raise PhpError("too few arguments")
    value = args[i]
    try:
        return float(value)
    except ValueError:
        raise PhpError("a number was expected") from None


def _text(value: str | float) -> str:
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else str(value)
    return value


def _value(tokens: list[tuple[str, str]], env: Env) -> str | float:
    """An expression: literals, `gethostname()`, `time()`, `$_SERVER[...]`/`$_COOKIE[...]`, `.` and + - *."""
    while len(tokens) > 2 and tokens[0] == ("op", "(") and tokens[-1] == ("op", ")"):
        tokens = tokens[1:-1]  # print("x"), echo ("a" . "b")
    terms: list[str | float] = []
    ops: list[str] = []
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        if kind == "str":
            terms.append(_unquote(text))
        elif kind == "num":
            terms.append(float(text))
        elif kind == "var":
            terms.append(_superglobal(text, env))
        elif kind == "name" and tokens[i + 1 : i + 3] == [("op", "("), ("op", ")")]:
            terms.append(_builtin(text.lower(), env))
            i += 2
        elif kind == "name" and tokens[i + 1 : i + 2] == [("op", "(")]:
            end = _closing(tokens, i + 1)
            terms.append(_builtin_with(text.lower(), _call_args(tokens[i + 1 : end + 1], env), env))
            i = end
        elif kind == "name" and text == "FILE_APPEND":
            terms.append(FILE_APPEND)
        elif kind == "op" and text in ".+-*" and terms and len(ops) < len(terms):
            ops.append(text)
        else:
            raise PhpError("syntax error in an expression")
        i += 1
    if not terms or len(ops) != len(terms) - 1:
        raise PhpError("syntax error in an expression")
    result = terms[0]
    for op, term in zip(ops, terms[1:], strict=True):
        if op == ".":
            result = _text(result) + _text(term)
        else:
            a, b = float(result), float(term)
            result = a + b if op == "+" else a - b if op == "-" else a * b
    return result


def _closing(tokens: list[tuple[str, str]], start: int) -> int:
    """The index of the `)` that closes the `(` at `start`."""
    depth = 0
    for j in range(start, len(tokens)):
        if tokens[j] == ("op", "("):
            depth += 1
        elif tokens[j] == ("op", ")"):
            depth -= 1
            if depth == 0:
                return j
    raise PhpError("syntax error, unexpected end of file")


def _builtin_with(name: str, args: list[str | float], env: Env) -> str | float:
    """A built-in function called with arguments: `file_get_contents('php://input')` is the request body."""
    if name == "file_get_contents" and args and _text(args[0]) == "php://input":
        return env.request.body
    raise PhpError(f"Call to undefined function {name}()")


def _builtin(name: str, env: Env) -> str | float:
    if name == "gethostname":
        return env.hostname
    if name == "time":
        return float(int(env.request_time))
    raise PhpError(f"Call to undefined function {name}()")


def _unquote(text: str) -> str:
    body = text[1:-1]
    if text[0] == "'":
        return body.replace("\\'", "'").replace("\\\\", "\\")
    return body.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"').replace("\\\\", "\\")


def _cookies(request: HttpRequest) -> dict[str, str]:
    raw = next((v for k, v in request.headers.items() if k.lower() == "cookie"), "")
    pairs = (part.strip().partition("=") for part in raw.split(";"))
    return {k: v for k, sep, v in pairs if sep}


def _superglobal(text: str, env: Env) -> str:
    which = text[2 : text.index("[")].strip()
    key = text[text.index("[") + 1 : text.rindex("]")].strip()[1:-1]
    request = env.request
    if which == "COOKIE":
        return _cookies(request).get(key, "")
    if which == "GET":
        query = request.path.partition("?")[2]
        pairs = (p.partition("=") for p in query.split("&") if p)
        return next((v for k, _, v in pairs if k == key), "")
    server = {
        "REMOTE_ADDR": request.client_ip,
        "SERVER_ADDR": env.server_addr,
        "REQUEST_METHOD": request.method,
        "REQUEST_URI": request.path,
        "SERVER_PORT": str(request.port),
    }
    if key.startswith("HTTP_"):
        want = key[5:].replace("_", "-").lower()
        return next((v for k, v in request.headers.items() if k.lower() == want), "")
    return server.get(key, "")
