"""The data plane: endpoints (what has an address), reachability through security groups, HTTP."""

from awsprep.sim.net.reach import INTERNET, HttpReply, Outcome, Reach, connect, find_endpoint, http_get, serve

__all__ = ["INTERNET", "HttpReply", "Outcome", "Reach", "connect", "find_endpoint", "http_get", "serve"]
