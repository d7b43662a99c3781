"""Spec §4's matching table, request by request through the data plane: which condition matches what."""

from __future__ import annotations

from typing import Any

from awsprep.sim import World, elbv2
from tests.sim.elb_helpers import call, estate


def _rule(world: World, listener: str, priority: int, conditions: list[dict[str, Any]], text: str) -> None:
    fixed = {"StatusCode": "200", "ContentType": "text/plain", "MessageBody": text}
    call(world, "CreateRule", ListenerArn=listener, Priority=priority, Conditions=conditions,
         Actions=[{"Type": "fixed-response", "FixedResponseConfig": fixed}])  # fmt: skip


def test_each_condition_matches_as_the_alb_guide_says(world: World) -> None:
    e = estate(world)
    world.advance(200)
    r = _rule
    r(world, e.listener, 1, [{"Field": "host-header", "HostHeaderConfig": {"Values": ["*.example.com"]}}], "host")
    r(world, e.listener, 2, [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/img/*", "/pic?"]}}], "path")
    r(world, e.listener, 3, [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Env",
                                                                          "Values": ["blue*"]}}], "header")  # fmt: skip
    r(world, e.listener, 4, [{"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["POST"]}}], "post")
    r(
        world,
        e.listener,
        5,
        [{"Field": "query-string", "QueryStringConfig": {"Values": [{"Value": "beta"}]}}],
        "any-key",
    )
    r(world, e.listener, 6, [{"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "v", "Value": "2*"}]}}],
      "v2")  # fmt: skip
    r(world, e.listener, 7, [{"Field": "source-ip", "SourceIpConfig": {"Values": ["198.51.100.0/24"]}}], "office")
    r(world, e.listener, 8, [{"Field": "path-pattern", "Values": ["/both"]},
                             {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["GET"]}}],
      "and")  # fmt: skip

    def body(path: str = "/", method: str = "GET", client: str | None = None, **headers: str) -> str:
        out = elbv2.request(world, e.lb, path, headers={k.replace("_", "-"): v for k, v in headers.items()},
                            method=method, client_ip=client)  # fmt: skip
        return out.body if out.status == 200 and "hello from" not in out.body else "default"

    assert body(Host="TEST.Example.com") == "host"  # case-insensitive, wildcard
    assert body(Host="example.com") == "default"  # *.example.com needs something before the dot
    assert body("/img/a.jpg") == "path" and body("/pic1") == "path"  # * and ?
    assert body("/IMG/a.jpg") == "default" and body("/pic12") == "default"  # case-sensitive; ? is one character
    assert body("/img/a.jpg?x=1") == "path"  # the query string is not part of the path
    assert body(x_env="BLUE-2") == "header" and body(X_ENV="blue") == "header"  # name and value: any case
    assert body(method="POST") == "post" and body(method="post") == "default"  # the method: case-sensitive
    assert body("/?anything=beta") == "any-key" and body("/?v=BETA") == "any-key"  # no key: any key's value
    assert body("/?v=25") == "v2" and body("/?V=2") == "v2"  # key and value: case-insensitive, wildcards
    assert body(client="198.51.100.7") == "office"
    assert body(client="203.0.113.25", X_Forwarded_For="198.51.100.7") == "default"  # the connection's address
    assert body("/both") == "and" and body("/both", method="PUT") == "default"  # AND across conditions
