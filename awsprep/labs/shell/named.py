"""BIND's configuration as named reads it when it starts: /etc/named.conf and the zone files it names, turned
into the plain `guest["dns"]` the simulator's DNS server answers from (awsprep/sim/ec2/dns.py).

A small, honest subset: `options { listen-on [port N] { … }; allow-query { … }; recursion yes|no; directory
"…"; }` and `zone "NAME" [IN] { type primary|master; file "…"; };` (comments `//`, `#`, `/* */`); zone files with
`$TTL`, `$ORIGIN`, `@`, relative and absolute names, an omitted owner (the previous one), parentheses over
several lines, `;` comments, and the record types A, AAAA, CNAME, MX, NS, SOA, TXT. Anything else in the files
is ignored, not refused (named itself would refuse some of it: `named-checkconf` is not simulated).
"""

from __future__ import annotations

import re
from typing import Any

# Amazon Linux 2023's /etc/named.conf after `dnf install bind` (abridged): named answers only itself.
DEFAULT_CONF = """//
// named.conf
//
// Provided by Red Hat bind package to configure the ISC BIND named(8) DNS
// server as a caching only nameserver (as a localhost DNS resolver only).
//
options {
\tlisten-on port 53 { 127.0.0.1; };
\tlisten-on-v6 port 53 { ::1; };
\tdirectory \t"/var/named";
\tdump-file \t"/var/named/data/cache_dump.db";
\tallow-query     { localhost; };
\trecursion yes;
\tdnssec-validation yes;
\tpid-file "/run/named/named.pid";
};

zone "." IN {
\ttype hint;
\tfile "named.ca";
};

include "/etc/named.rfc1912.zones";
"""
RECORD_TYPES = ("A", "AAAA", "CNAME", "MX", "NS", "SOA", "TXT")
_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*|#[^\n]*", re.S)
_ZONE = re.compile(r'zone\s+"([^"]+)"\s*(?:IN\s*)?\{(.*?)\}\s*;', re.S | re.I)


def _list(body: str, name: str) -> list[str] | None:
    found = re.search(rf"(?<![\w-]){name}(?:\s+port\s+\d+)?\s*\{{([^}}]*)\}}", body)
    return None if found is None else [i.strip() for i in found.group(1).split(";") if i.strip()]


def config(files: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What named would run with, from the guest's files (`{path: {"content": …}}`)."""
    conf = str((files.get("/etc/named.conf") or {}).get("content", DEFAULT_CONF))
    text = _COMMENTS.sub("", conf)
    body = _block(text, "options")
    listen = _list(body, "listen-on")
    allow = _list(body, "allow-query")
    recursion = re.search(r"recursion\s+(yes|no)\s*;", body)
    directory = re.search(r'directory\s+"([^"]+)"', body)
    folder = directory.group(1) if directory else "/var/named"
    zones: dict[str, list[list[Any]]] = {}
    for name, zone_body in _ZONE.findall(text):
        kind = re.search(r"type\s+(\w+)", zone_body)
        file = re.search(r'file\s+"([^"]+)"', zone_body)
        if kind is None or kind.group(1) not in ("primary", "master") or file is None:
            continue
        path = file.group(1) if file.group(1).startswith("/") else f"{folder}/{file.group(1)}"
        entry = files.get(path)
        if entry is not None:  # a zone whose file is missing does not load (named logs it and goes on)
            origin = name.lower().rstrip(".") + "."
            zones[origin] = records(str(entry["content"]), origin)
    return {
        "listen": listen if listen is not None else ["any"],  # named's own default: every address
        "allow": allow if allow is not None else ["any"],
        "recursion": recursion is None or recursion.group(1) == "yes",
        "zones": zones,
    }


def _block(text: str, keyword: str) -> str:
    """The inside of `keyword { … };`, braces matched (options holds `{ … };` lists of its own)."""
    found = re.search(rf"(?<![\w-]){keyword}\s*\{{", text)
    if found is None:
        return ""
    depth, start = 1, found.end()
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start:i]
    return text[start:]


def _absolute(name: str, origin: str) -> str:
    name = name.lower()
    if name == "@":
        return origin
    return name if name.endswith(".") else f"{name}.{origin}"


def _lines(text: str) -> list[str]:
    """Logical lines: comments gone, parentheses joined (the SOA spans several lines)."""
    out, pending, depth = [], "", 0
    for raw in text.splitlines():
        line = _uncomment(raw)
        depth += line.count("(") - line.count(")")
        line = line.replace("(", " ").replace(")", " ")
        pending = f"{pending} {line}" if pending else line
        if depth <= 0:
            if pending.strip():
                out.append(pending.rstrip())
            pending, depth = "", 0
    return out


def _uncomment(raw: str) -> str:
    """The line without its `;` comment (a `;` inside a quoted TXT string stays)."""
    quoted = False
    for i, char in enumerate(raw):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return raw[:i]
    return raw


def records(text: str, origin: str) -> list[list[Any]]:
    """A zone file's records as [owner, ttl, type, rdata] (names absolute, lower case)."""
    ttl, owner = 86400, origin
    out: list[list[Any]] = []
    for line in _lines(text):
        words = line.split()
        if words[0].upper() == "$TTL" and len(words) > 1 and words[1].isdigit():
            ttl = int(words[1])
            continue
        if words[0].upper() == "$ORIGIN" and len(words) > 1:
            origin = _absolute(words[1], origin)
            continue
        if not line[0].isspace():
            owner = _absolute(words.pop(0), origin)
        record_ttl = ttl
        while words and (words[0].isdigit() or words[0].upper() in ("IN", "CH")):
            word = words.pop(0)
            if word.isdigit():
                record_ttl = int(word)
        if len(words) < 2 or words[0].upper() not in RECORD_TYPES:
            continue
        rtype, data = words[0].upper(), words[1:]
        if rtype in ("CNAME", "NS"):
            data = [_absolute(data[0], origin)]
        elif rtype == "MX" and len(data) >= 2:
            data = [data[0], _absolute(data[1], origin)]
        elif rtype == "SOA" and len(data) >= 2:
            data = [_absolute(data[0], origin), _absolute(data[1], origin), *data[2:]]
        out.append([owner, record_ttl, rtype, " ".join(data)])
    return out
