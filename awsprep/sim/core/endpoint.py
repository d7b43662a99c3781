"""Network endpoints: anything with an address that traffic can reach (an instance's interface today; a load
balancer node or a function URL next). Services describe theirs; `net` resolves names and evaluates security
groups for any of them the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# (status, body, content type) of an HTTP answer, or None when what listens is not an HTTP server.
HttpAnswer = tuple[int, str, str] | None


@dataclass(frozen=True)
class HttpRequest:
    """A whole HTTP request as a proxy sees it: headers (Host, Cookie) and the client's address matter to
    what answers (a load balancer's host-header and source-ip rules, stickiness cookies)."""

    port: int
    method: str = "GET"
    path: str = "/"
    headers: dict[str, str] = field(default_factory=dict)
    client_ip: str = ""
    client: str = "internet"  # `net`'s source: "internet" or the endpoint id the request comes from
    tls: bool = False  # the client speaks TLS (https://): a listener that terminates TLS must, others must not
    body: str = ""  # what a POST carries (an SNS notification to an HTTP endpoint, a form)


@dataclass
class HttpResponse:
    """A whole HTTP response: status, headers (in order) and body; `trace` lines say what handled it
    (`curl -v` shows them)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    trace: list[str] = field(default_factory=list)
    set_cookies: list[str] = field(default_factory=list)
    elapsed: float = 0.0  # simulated seconds the exchange took (a target that never answers: the idle timeout)
    answered_by: str = ""  # what behind the endpoint produced the answer (a load balancer's target), if anything
    failure: str = ""  # no HTTP answer, and why: "reset", "empty-reply", "tls-mismatch" (curl shows each its way)
    # For an answer that takes time: settle(now) is the answer that replaces this one when something cut the
    # exchange mid-request at or before `now` (a proxy's target deregistered or stopped), else None. A client
    # that waits in the foreground never needs it; a background job (`curl URL &`) asks when it ends.
    settle: Callable[[float], HttpResponse | None] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Datagram:
    """One UDP datagram as it arrives: the port, what it carries (`data`, in the application's own encoding:
    a DNS query, an echo line) and its size on the wire, and where it comes from. `host` is the address or
    name the client sent it to (a load balancer answers on the node that address names)."""

    port: int
    data: str
    size: int
    client_ip: str = ""
    client_port: int = 0
    client: str = "internet"  # `net`'s source: "internet" or the endpoint id it comes from
    host: str = ""


@dataclass
class DatagramReply:
    """What comes back for a datagram: `data` None when nothing answers (UDP says nothing of a drop), `trace`
    lines for a verbose client, and who answered."""

    data: str | None
    size: int = 0
    trace: list[str] = field(default_factory=list)
    answered_by: str = ""
    elapsed: float = 0.0


DatagramHandler = Callable[[Datagram], "DatagramReply | None"]


def _nothing(port: int, protocol: str) -> bool:
    return False


def _no_http(port: int, method: str, path: str) -> HttpAnswer:
    return None


HttpHandler = Callable[[HttpRequest], "HttpResponse | None"]


@dataclass(frozen=True)
class Endpoint:
    """One addressable thing in one Region.

    `public_names`/`private_names` are the DNS names that resolve to it; `security_group_ids` are checked for
    inbound traffic (and outbound, when it is the source); `up` is False while it cannot answer (`down_reason`
    says why: "instance i-… is stopped"); `internet` says whether the internet can route to its public address.
    `listens(port, protocol)` and `serve(port, method, path)` play what runs on it; `http(request)`, when set,
    answers a whole request (headers, client address) for what needs them (a load balancer node); `udp(datagram)`
    answers a UDP datagram on a port it `listens(port, "udp")` on (a DNS server, a UDP listener).
    `unfiltered` endpoints have no security groups at all, so nothing filters what reaches them (a Network
    Load Balancer created without groups).
    """

    endpoint_id: str
    kind: str  # "instance", "load-balancer-node", "function-url"
    service: str
    region: str
    vpc_id: str
    private_ip: str | None
    public_ip: str | None
    security_group_ids: tuple[str, ...] = ()
    public_names: tuple[str, ...] = ()
    private_names: tuple[str, ...] = ()
    up: bool = True
    down_reason: str = ""
    internet: bool = False
    listens: Callable[[int, str], bool] = _nothing
    serve: Callable[[int, str, str], HttpAnswer] = _no_http
    http: HttpHandler | None = None
    unfiltered: bool = False
    udp: DatagramHandler | None = None

    def answers_to(self, host: str) -> bool:
        """Whether `host` (an address or DNS name) names this endpoint."""
        return host in (self.public_ip, self.private_ip) or host in self.public_names or host in self.private_names

    def is_private_name(self, host: str) -> bool:
        """Whether `host` is one of its addresses inside the VPC."""
        return host == self.private_ip or host in self.private_names
