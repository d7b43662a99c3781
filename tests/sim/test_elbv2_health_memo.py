"""Health checks reuse a target's last result only while nothing the check reads has changed
(elbv2/checkmemo.py): every change a learner can make still flips health at the check that sees it."""

from __future__ import annotations

from typing import Any

import pytest

from awsprep.sim import World, ec2
from awsprep.sim.elbv2 import health
from tests.sim.elb_helpers import Estate, call, estate, states


def _healthy(world: World) -> Estate:
    e = estate(world, interval=10)  # unhealthy after 2 failed checks, healthy again after 5 passes
    world.advance(180)
    assert states(world, e.tg) == [("healthy", None)] * 2
    world.advance(30)  # a few more rounds: each target's result is now the remembered one
    return e


def _first_flips_after_two_checks(world: World, e: Estate, reason: str) -> None:
    world.advance(10)
    assert states(world, e.tg)[0] == ("healthy", None)  # one failed check: not yet
    world.advance(10)
    assert states(world, e.tg)[0] == ("unhealthy", reason)


def _rule(group_id: str, peer: dict[str, Any]) -> dict[str, Any]:
    return {"GroupId": group_id, "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, **peer}]}


def test_a_served_file_edited_to_answer_500_fails_at_the_right_check(world: World) -> None:
    e = _healthy(world)
    iid = e.instances[0]
    ec2.backend(world).serve_http(iid, 80, f"hello from {iid}\n", status=500)  # the same page, now a 500
    _first_flips_after_two_checks(world, e, "Target.ResponseCodeMismatch")
    assert states(world, e.tg)[1] == ("healthy", None)
    desc = call(world, "DescribeTargetHealth", TargetGroupArn=e.tg)["TargetHealthDescriptions"][0]
    assert desc["TargetHealth"]["Description"] == "Health checks failed with these codes: [500]"
    ec2.backend(world).serve_http(e.instances[0], 80, "fixed\n")
    world.advance(40)
    assert states(world, e.tg)[0][0] == "unhealthy"  # 4 of the 5 passes needed
    world.advance(10)
    assert states(world, e.tg)[0] == ("healthy", None)


def test_a_changed_matcher_is_used_at_the_next_checks(world: World) -> None:
    e = _healthy(world)
    call(world, "ModifyTargetGroup", TargetGroupArn=e.tg, Matcher={"HttpCode": "202"})
    world.advance(10)
    assert states(world, e.tg) == [("healthy", None)] * 2
    world.advance(10)
    assert states(world, e.tg) == [("unhealthy", "Target.ResponseCodeMismatch")] * 2


def test_a_file_on_the_health_check_path_deleted_is_a_404(world: World) -> None:
    e = estate(world, interval=10)
    for iid in e.instances:
        ec2.instance(world, "us-east-1", iid).guest.setdefault("pages", {})["80/health.html"] = "ok"  # type: ignore[union-attr]
    call(world, "ModifyTargetGroup", TargetGroupArn=e.tg, HealthCheckPath="/health.html")
    world.advance(210)
    assert states(world, e.tg) == [("healthy", None)] * 2
    pages = ec2.instance(world, "us-east-1", e.instances[0]).guest["pages"]  # type: ignore[union-attr]
    del pages["80/health.html"]  # `sudo rm /var/www/html/health.html`
    _first_flips_after_two_checks(world, e, "Target.ResponseCodeMismatch")
    pages["80/health.html"] = "ok again"
    world.advance(50)
    assert states(world, e.tg)[0] == ("healthy", None)


def test_a_revoked_inbound_rule_times_the_checks_out(world: World) -> None:
    e = _healthy(world)
    world.call("ec2", "RevokeSecurityGroupIngress", _rule(e.web_sg, {"UserIdGroupPairs": [{"GroupId": e.lb_sg}]}))
    world.advance(10)
    assert states(world, e.tg) == [("healthy", None)] * 2
    world.advance(10)
    assert states(world, e.tg) == [("unhealthy", "Target.Timeout")] * 2
    world.call("ec2", "AuthorizeSecurityGroupIngress", _rule(e.web_sg, {"IpRanges": [{"CidrIp": "172.31.0.0/16"}]}))
    world.advance(50)  # the nodes' private addresses are in the VPC's range
    assert states(world, e.tg) == [("healthy", None)] * 2


def test_the_load_balancers_outbound_rules_count_too(world: World) -> None:
    e = _healthy(world)
    everything = {"GroupId": e.lb_sg, "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}
    world.call("ec2", "RevokeSecurityGroupEgress", everything)
    world.advance(20)
    assert states(world, e.tg) == [("unhealthy", "Target.Timeout")] * 2


def test_an_instance_moved_to_another_group_times_out(world: World) -> None:
    e = _healthy(world)
    groups = world.call("ec2", "DescribeSecurityGroups", {"Filters": [{"Name": "group-name", "Values": ["default"]}]})
    default_sg = groups["SecurityGroups"][0]["GroupId"]
    world.call("ec2", "ModifyInstanceAttribute", {"InstanceId": e.instances[0], "Groups": [default_sg]})
    _first_flips_after_two_checks(world, e, "Target.Timeout")
    assert states(world, e.tg)[1] == ("healthy", None)


def test_unchanged_targets_are_not_checked_again_in_full(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    e = _healthy(world)
    full: list[str] = []
    real = health.check_target

    def counting(*args: Any) -> Any:
        full.append(args[2].target_id)
        return real(*args)

    monkeypatch.setattr(health, "check_target", counting)
    world.advance(100)  # ten rounds
    assert full == []
    ec2.backend(world).stop_serving(e.instances[1], 80)  # `sudo systemctl stop httpd`
    world.advance(10)
    assert full == [e.instances[1]]
    assert states(world, e.tg) == [("healthy", None)] * 2  # one failure: not yet
    world.advance(10)
    assert states(world, e.tg)[1] == ("unhealthy", "Target.FailedHealthChecks")


def test_php_pages_are_checked_in_full_every_time(world: World) -> None:
    e = estate(world, interval=10)
    for iid in e.instances:
        guest = ec2.instance(world, "us-east-1", iid).guest  # type: ignore[union-attr]
        guest["php"] = True
        guest.setdefault("pages", {})["80/health.php"] = "<?php echo 'ok'; ?>"
    call(world, "ModifyTargetGroup", TargetGroupArn=e.tg, HealthCheckPath="/health.php")
    world.advance(200)
    assert states(world, e.tg) == [("healthy", None)] * 2
    runs = ec2.instance(world, "us-east-1", e.instances[0]).guest["php_runs"]  # type: ignore[union-attr]
    world.advance(100)
    assert ec2.instance(world, "us-east-1", e.instances[0]).guest["php_runs"] == runs + 10  # type: ignore[union-attr]
