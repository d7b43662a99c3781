"""`dig [@SERVER] [-p PORT] [-b ADDR#PORT] NAME [TYPE] [CLASS] [+short] [+time=S] [+tries=N]`: a DNS query over
UDP through the simulated network, printed as BIND 9.18's dig prints it.

Each query goes out from a new ephemeral source port (as dig does), so through a Network Load Balancer it is a
new UDP flow; `-b 0.0.0.0#53001` fixes the source port, so the queries are one flow and stay on one target.
A query nobody answers (a security group drops it, no healthy target, nothing listens behind the load
balancer) waits `+time` seconds (5) for each of `+tries` tries (3) on the simulated clock, then prints
"no servers could be reached" and exits 9, as dig does. Without `@SERVER` the laptop's resolver answers the
A records of the names the simulated world has (a load balancer's DNS name gives its nodes' addresses).
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from typing import Any

from awsprep.labs.shell.base import Result
from awsprep.labs.shell.netcmd import Origin
from awsprep.sim import Outcome
from awsprep.sim.core.clock import to_datetime
from awsprep.sim.ec2.dns import query_size
from awsprep.sim.net import udp_request

TYPES = ("A", "AAAA", "CNAME", "MX", "NS", "SOA", "TXT", "ANY")
CLASSES = {"IN": "IN", "CH": "CH", "CHAOS": "CH"}
RESOLVER = "127.0.0.53"  # systemd-resolved on the laptop
FLAG_ORDER = ("qr", "aa", "tc", "rd", "ra")
USAGE = "usage: dig [@server] [-p port] [-b address#port] name [type] [class] [+short] [+time=S] [+tries=N]\n"


@dataclass
class Query:
    """What the command line asks."""

    name: str = ""
    qtype: str = "A"
    qclass: str = "IN"
    server: str | None = None
    port: int = 53
    source_port: int = 0
    short: bool = False
    wait: int = 5
    tries: int = 3


def _parse(args: list[str]) -> Query | Result:
    q = Query()
    words: list[str] = []
    it = iter(args)
    for arg in it:
        if arg.startswith("@"):
            q.server = arg[1:]
        elif arg in ("-p", "-b"):
            value = next(it, "")
            text = value if arg == "-p" else value.partition("#")[2]
            if (arg == "-p" or text) and not text.isdigit():
                return Result(1, "", f"dig: invalid port number '{text}'\n")
            if arg == "-p":
                q.port = int(text)
            elif text:
                q.source_port = int(text)
        elif arg == "+short":
            q.short = True
        elif arg.startswith(("+time=", "+tries=")):
            key, _, value = arg[1:].partition("=")
            if not value.isdigit() or int(value) < 1:
                return Result(1, "", f"dig: '{arg}': invalid value\n")
            if key == "time":
                q.wait = int(value)
            else:
                q.tries = int(value)
        elif not arg.startswith(("+", "-")):  # other options (+noall, -4 …) change only the layout
            words.append(arg)
    if not words:
        return Result(1, "", USAGE)
    q.name = words[0]
    for word in words[1:]:
        if word.upper() in TYPES:
            q.qtype = word.upper()
        elif word.upper() in CLASSES:
            q.qclass = CLASSES[word.upper()]
    return q


def dig(origin: Origin, args: list[str]) -> Result:
    """Run one query and print the answer the way dig does."""
    q = _parse(args)
    if isinstance(q, Result):
        return q
    name, qtype, qclass, server, port, short = q.name, q.qtype, q.qclass, q.server, q.port, q.short
    now = origin.world.now
    qid = int(now * 1000) * 2654435761 % 65536
    command = f"; <<>> DiG 9.18.28 <<>> {' '.join(args)}\n"
    if server is None:
        return _resolver(origin, name, qtype, qclass, qid, short, command)
    if origin.instance_id and server in ("127.0.0.1", "localhost"):
        return _loopback(origin, q, qid, command)
    addresses = _addresses(origin, server)
    if not addresses:
        return Result(10, "", f"dig: couldn't get address for '{server}': not found\n")
    target = addresses[qid % len(addresses)]  # the resolver hands the addresses out in turn
    found = f"; ({len(addresses)} server{'s' if len(addresses) > 1 else ''} found)\n"
    query = json.dumps({"id": qid, "name": name, "type": qtype, "class": qclass, "rd": True})
    client_port = q.source_port or 32768 + qid * 7 % 28232  # Linux's ephemeral range
    reach, reply = udp_request(
        origin.world, target, port, query, query_size(name), origin.source, origin.region, client_port
    )
    if reply is None or reply.data is None:
        refused = reach.outcome is Outcome.REFUSED
        errors = "".join(
            f";; communications error to {target}#{port}: {'connection refused' if refused else 'timed out'}\n"
            for _ in range(q.tries)
        )
        if not refused:
            origin.sleep(float(q.wait * q.tries))
        head = "" if short else f"\n{command}{found};; global options: +cmd\n"
        return Result(9, errors + head + ";; no servers could be reached\n")
    rtt = 0.001 if origin.instance_id else 0.012
    origin.sleep(rtt + reply.elapsed)
    answer = json.loads(reply.data)
    if short:
        return Result(0, "".join(f"{r[4]}\n" for r in answer.get("answer", [])))
    server_line = f";; SERVER: {target}#{port}({target}) (UDP)\n"
    return Result(0, command + found + _render(answer, qtype, qclass, rtt, server_line, reply.size, now))


def _loopback(origin: Origin, q: Query, qid: int, command: str) -> Result:
    """`dig @127.0.0.1` on an instance: its own named, with no security group in between."""
    from awsprep.sim import ec2
    from awsprep.sim.core.endpoint import Datagram
    from awsprep.sim.ec2.endpoints import loopback_datagram

    b = ec2.backend(origin.world, origin.region)
    inst = b.instance(str(origin.instance_id))
    query = json.dumps({"id": qid, "name": q.name, "type": q.qtype, "class": q.qclass, "rd": True})
    reply = loopback_datagram(b, inst, Datagram(q.port, query, query_size(q.name), "127.0.0.1", 53001, "local"))
    if reply is None or reply.data is None:
        errors = f";; communications error to 127.0.0.1#{q.port}: connection refused\n" * q.tries
        head = "" if q.short else f"\n{command}; (1 server found)\n;; global options: +cmd\n"
        return Result(9, errors + head + ";; no servers could be reached\n")
    answer = json.loads(reply.data)
    if q.short:
        return Result(0, "".join(f"{r[4]}\n" for r in answer.get("answer", [])))
    server_line = f";; SERVER: 127.0.0.1#{q.port}(127.0.0.1) (UDP)\n"
    body = _render(answer, q.qtype, q.qclass, 0.0001, server_line, reply.size, origin.world.now)
    return Result(0, command + "; (1 server found)\n" + body)


def _addresses(origin: Origin, server: str) -> list[str]:
    try:
        ipaddress.ip_address(server)
        return [server]
    except ValueError:
        pass
    inside = origin.instance_id is not None
    out = []
    for ep in origin.world.endpoints(origin.region):
        if ep.answers_to(server):
            ip = ep.private_ip if inside or ep.is_private_name(server) else ep.public_ip
            if ip and ip not in out:
                out.append(ip)
    return out


def _resolver(origin: Origin, name: str, qtype: str, qclass: str, qid: int, short: bool, command: str) -> Result:
    """The laptop's own resolver: A records of the world's public names, NXDOMAIN for the rest."""
    fqdn = name.rstrip(".") + "."
    ips = _addresses(origin, name.rstrip(".")) if qtype == "A" and qclass == "IN" else []
    records = [[fqdn, 60, "IN", "A", ip] for ip in ips]
    answer: dict[str, Any] = {
        "id": qid,
        "status": "NOERROR" if ips or qtype != "A" else "NXDOMAIN",
        "flags": ["qr", "rd", "ra"],
        "question": [fqdn, qclass, qtype],
        "answer": records,
        "authority": [],
        "recursion": True,
    }
    origin.sleep(0.012)
    if short:
        return Result(0, "".join(f"{r[4]}\n" for r in records))
    size = query_size(name) + 16 * len(records)
    server_line = f";; SERVER: {RESOLVER}#53({RESOLVER}) (UDP)\n"
    return Result(0, command + _render(answer, qtype, qclass, 0.012, server_line, size, origin.world.now))


def _render(answer: dict[str, Any], qtype: str, qclass: str, rtt: float, server: str, size: int, now: float) -> str:
    flags = [f for f in FLAG_ORDER if f in (answer.get("flags") or [])]
    records = list(answer.get("answer") or [])
    authority = list(answer.get("authority") or [])
    question = list(answer.get("question") or [])
    lines = [
        ";; global options: +cmd\n",
        ";; Got answer:\n",
        f";; ->>HEADER<<- opcode: QUERY, status: {answer.get('status')}, id: {answer.get('id')}\n",
        f";; flags: {' '.join(flags)}; QUERY: 1, ANSWER: {len(records)}, AUTHORITY: {len(authority)}, ADDITIONAL: 1\n",
    ]
    if "rd" in flags and "ra" not in flags:
        lines.append(";; WARNING: recursion requested but not available\n")
    lines += ["\n;; OPT PSEUDOSECTION:\n", "; EDNS: version: 0, flags:; udp: 1232\n", ";; QUESTION SECTION:\n"]
    qname = question[0] if question else "."
    lines.append(f";{qname}\t\t\t{qclass}\t{qtype}\n")
    for title, rows in (("ANSWER", records), ("AUTHORITY", authority)):
        if rows:
            lines.append(f"\n;; {title} SECTION:\n")
            lines += [f"{r[0]}\t\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]}\n" for r in rows]
    when = to_datetime(now).strftime("%a %b %d %H:%M:%S UTC %Y")
    lines += [
        f"\n;; Query time: {max(1, round(rtt * 1000))} msec\n",
        server,
        f";; WHEN: {when}\n",
        f";; MSG SIZE  rcvd: {size}\n\n",
    ]
    return "".join(lines)
