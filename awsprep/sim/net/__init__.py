"""The data plane: endpoints (what has an address), reachability through security groups, HTTP."""

from awsprep.sim.net.reach import (
    INTERNET,
    HttpReply,
    Outcome,
    Reach,
    admits,
    connect,
    endpoint_by_id,
    find_endpoint,
    http_get,
    http_request,
    serve,
    udp_request,
)

__all__ = [
    "INTERNET",
    "HttpReply",
    "Outcome",
    "Reach",
    "admits",
    "connect",
    "endpoint_by_id",
    "find_endpoint",
    "http_get",
    "http_request",
    "serve",
    "udp_request",
]
