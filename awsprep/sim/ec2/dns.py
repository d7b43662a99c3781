"""The guest's DNS server (BIND's `named`, `sudo dnf install -y bind`), answering queries that reach UDP 53.

The labs' guest turns /etc/named.conf and its zone files into `inst.guest["dns"]` (labs/shell/named.py):
`{"listen": [...], "allow": [...], "recursion": bool, "zones": {"example.internal.": [[owner, ttl, type,
rdata], ...]}}`. This module only answers from that, as named would:
- listen-on: named listens only on the addresses it lists (AL2023's default named.conf: 127.0.0.1), so a query
  to the instance's address from outside meets a closed port;
- allow-query: a client it does not list gets REFUSED (the default: localhost only);
- an authoritative answer (flag aa) from a zone it loaded: the records, NXDOMAIN for a name the zone lacks, an
  empty NOERROR for a name without that type (with the zone's SOA in the authority section);
- a name outside its zones: REFUSED when recursion is off; SERVFAIL when on (this VPC's named reaches no
  root servers in the simulator);
- CHAOS class: `hostname.bind` and `id.server` TXT give the host name, `version.bind` the version (what
  `dig @server hostname.bind chaos txt` shows, and how a learner sees which server answered).

Queries and answers travel as JSON (`Datagram.data`) with their size on the wire computed as DNS encodes
them (12-byte header, names as labels, 10 bytes per record plus its data, an EDNS OPT record of 11 bytes).
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

VERSION = "9.18.28"  # BIND on Amazon Linux 2023 [INF: the minor version moves with updates]


def listens(dns: dict[str, Any] | None, own_ip: str) -> bool:
    """Whether named listens on the instance's address (listen-on lists it, or `any`)."""
    if not dns:
        return False
    return any(_matches(item, own_ip) for item in dns.get("listen", []))


def _matches(item: str, ip: str) -> bool:
    item = item.strip().removeprefix("!")
    if item == "any":
        return True
    if item in ("none", "", "localhost", "localnets"):
        return item == "localhost" and ip == "127.0.0.1"
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_network(item, strict=False)
    except ValueError:
        return False


def _allowed(dns: dict[str, Any], client_ip: str) -> bool:
    for item in dns.get("allow", ["localhost"]):
        negated = item.strip().startswith("!")
        if _matches(item, client_ip):
            return not negated
    return False


def name_size(name: str) -> int:
    """A domain name's length as DNS labels (one length byte per label, a zero byte at the end)."""
    labels = [label for label in name.rstrip(".").split(".") if label]
    return sum(len(label) + 1 for label in labels) + 1


def query_size(name: str) -> int:
    """A query: header, question (name, type, class), EDNS OPT record."""
    return 12 + name_size(name) + 4 + 11


def _rdata_size(rtype: str, rdata: str) -> int:
    if rtype == "A":
        return 4
    if rtype == "AAAA":
        return 16
    if rtype == "TXT":
        return sum(len(part) + 1 for part in _txt_parts(rdata)) or 1
    if rtype == "MX":
        return 2 + name_size(rdata.rsplit(maxsplit=1)[-1])
    if rtype == "SOA":
        parts = rdata.split()
        return name_size(parts[0]) + name_size(parts[1]) + 20 if len(parts) >= 2 else 22
    return name_size(rdata)  # CNAME, NS, PTR


def _txt_parts(rdata: str) -> list[str]:
    """The character strings of a TXT record: the quoted parts, or the one bare word."""
    return [p for i, p in enumerate(rdata.split('"')) if i % 2 == 1] if '"' in rdata else [rdata]


def answer(dns: dict[str, Any], hostname: str, client_ip: str, data: str) -> tuple[str, int]:
    """named's reply to a query (JSON in, JSON out) and its size on the wire."""
    try:
        q = json.loads(data)
        name = str(q["name"]).lower().rstrip(".") + "."
        qtype, qclass, qid = str(q.get("type", "A")).upper(), str(q.get("class", "IN")).upper(), int(q.get("id", 0))
    except (ValueError, KeyError, TypeError, AttributeError):
        return json.dumps({"status": "FORMERR", "id": 0}), 12
    reply: dict[str, Any] = {
        "id": qid,
        "status": "NOERROR",
        "flags": ["qr"] + (["rd"] if q.get("rd", True) else []),
        "question": [name, qclass, qtype],
        "answer": [],
        "authority": [],
        "recursion": bool(dns.get("recursion")),
    }
    if not _allowed(dns, client_ip):
        reply["status"] = "REFUSED"
    elif qclass == "CH":
        _chaos(reply, name, qtype, hostname)
    else:
        _zone_answer(dns, reply, name, qtype)
    if reply["recursion"]:
        reply["flags"].append("ra")
    size = query_size(name)
    for section in ("answer", "authority"):
        for owner, _ttl, _cls, rtype, rdata in reply[section]:
            size += name_size(owner) if owner != name else 2  # a compressed pointer to the question
            size += 10 + _rdata_size(rtype, rdata)
    return json.dumps(reply), size


def _chaos(reply: dict[str, Any], name: str, qtype: str, hostname: str) -> None:
    values = {"hostname.bind.": hostname, "id.server.": hostname, "version.bind.": VERSION}
    if name in values and qtype in ("TXT", "ANY"):
        reply["flags"].append("aa")
        reply["answer"].append([name, 0, "CH", "TXT", f'"{values[name]}"'])
    elif name not in values:
        reply["status"] = "REFUSED"


def _zone_answer(dns: dict[str, Any], reply: dict[str, Any], name: str, qtype: str) -> None:
    zones: dict[str, list[list[Any]]] = dns.get("zones", {})
    zone = max((z for z in zones if name == z or name.endswith("." + z)), key=len, default=None)
    if zone is None:
        reply["status"] = "SERVFAIL" if dns.get("recursion") else "REFUSED"
        return
    records = zones[zone]
    reply["flags"].append("aa")
    soa = [[zone, int(r[1]), "IN", "SOA", str(r[3])] for r in records if r[0] == zone and r[2] == "SOA"]
    owned = [r for r in records if r[0] == name]
    if not owned:
        reply["status"] = "NXDOMAIN"
        reply["authority"] = soa
        return
    wanted = [r for r in owned if qtype == "ANY" or r[2] == qtype]
    if not wanted:
        wanted = [r for r in owned if r[2] == "CNAME"]
        for r in wanted:  # follow the alias inside the zone
            target = str(r[3]).lower()
            wanted = wanted + [t for t in records if t[0] == target and t[2] == qtype]
    reply["answer"] = [[str(r[0]), int(r[1]), "IN", str(r[2]), str(r[3])] for r in wanted]
    if not wanted:
        reply["authority"] = soa
