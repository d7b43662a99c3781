"""Rules are evaluated in priority order, first match wins, even though runs of path-pattern rules are matched
with one regular expression (built once per set of rules): changed conditions and priorities are seen at once."""

from __future__ import annotations

from typing import Any

from awsprep.sim import World, elbv2
from tests.sim.elb_helpers import call, estate


def fixed(text: str) -> list[dict[str, Any]]:
    return [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200", "MessageBody": text}}]


def test_first_match_in_priority_order_across_path_runs_and_other_conditions(world: World) -> None:
    e = estate(world)
    world.advance(200)

    def rule(priority: int, conditions: list[dict[str, Any]], text: str) -> str:
        out = call(
            world, "CreateRule", ListenerArn=e.listener, Priority=priority, Conditions=conditions, Actions=fixed(text)
        )
        arn: str = out["Rules"][0]["RuleArn"]
        return arn

    def path(*values: str) -> list[dict[str, Any]]:
        return [{"Field": "path-pattern", "PathPatternConfig": {"Values": list(values)}}]

    api = rule(10, path("/api/*"), "api")
    v2 = rule(5, path("/api/v2/*", "/v2"), "v2")
    host = rule(7, [{"Field": "host-header", "HostHeaderConfig": {"Values": ["admin.example.com"]}}], "admin")
    rule(20, path("/static/*"), "static")

    def body(p: str, headers: dict[str, str] | None = None) -> str:
        return elbv2.request(world, e.lb, p, headers=headers).body

    assert body("/api/v2/users") == "v2"  # priority 5 before 10, although both match
    assert body("/v2") == "v2" and body("/api/users") == "api" and body("/static/a.css") == "static"
    assert body("/api/users", {"Host": "admin.example.com"}) == "admin"  # 7 before 10
    assert body("/v2?x=1", {"Host": "admin.example.com"}) == "v2"
    assert "/other was not found" in body("/other")  # the default rule: forwarded to a web server
    call(world, "SetRulePriorities", RulePriorities=[{"RuleArn": api, "Priority": 1}])
    assert body("/api/v2/users") == "api"  # reordered: seen at once
    call(world, "ModifyRule", RuleArn=v2, Conditions=path("/beta/*"))
    assert "not found" in body("/v2") and body("/beta/x") == "v2"
    call(world, "DeleteRule", RuleArn=host)
    assert body("/api/users", {"Host": "admin.example.com"}) == "api"


def test_modify_listener_changes_the_default_rule_not_the_first_rule(world: World) -> None:
    e = estate(world)
    world.advance(200)
    conditions = [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/a"]}}]
    call(world, "CreateRule", ListenerArn=e.listener, Priority=1, Conditions=conditions, Actions=fixed("a"))
    default = call(world, "DescribeListeners", ListenerArns=[e.listener])["Listeners"][0]["DefaultActions"]
    assert default[0]["Type"] == "forward"  # the default rule's action, not rule 1's
    call(world, "ModifyListener", ListenerArn=e.listener, DefaultActions=fixed("nothing here"))
    assert elbv2.request(world, e.lb, "/a").body == "a"  # rule 1 is untouched
    assert elbv2.request(world, e.lb, "/b").body == "nothing here"
