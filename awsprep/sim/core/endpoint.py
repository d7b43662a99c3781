"""Network endpoints: anything with an address that traffic can reach (an instance's interface today; a load
balancer node or a function URL next). Services describe theirs; `net` resolves names and evaluates security
groups for any of them the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# (status, body, content type) of an HTTP answer, or None when what listens is not an HTTP server.
HttpAnswer = tuple[int, str, str] | None


def _nothing(port: int, protocol: str) -> bool:
    return False


def _no_http(port: int, method: str, path: str) -> HttpAnswer:
    return None


@dataclass(frozen=True)
class Endpoint:
    """One addressable thing in one Region.

    `public_names`/`private_names` are the DNS names that resolve to it; `security_group_ids` are checked for
    inbound traffic (and outbound, when it is the source); `up` is False while it cannot answer (`down_reason`
    says why: "instance i-… is stopped"); `internet` says whether the internet can route to its public address.
    `listens(port, protocol)` and `serve(port, method, path)` play what runs on it.
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

    def answers_to(self, host: str) -> bool:
        """Whether `host` (an address or DNS name) names this endpoint."""
        return host in (self.public_ip, self.private_ip) or host in self.public_names or host in self.private_names

    def is_private_name(self, host: str) -> bool:
        """Whether `host` is one of its addresses inside the VPC."""
        return host == self.private_ip or host in self.private_names
