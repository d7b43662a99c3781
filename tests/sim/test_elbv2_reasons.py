"""Reason codes of spec §4b the other health tests do not reach: a new target that fails its first check is
still `initial` (Elb.InitialHealthChecking) until the unhealthy threshold, and a stopped instance is `unused`
(Target.InvalidState) until it runs again."""

from __future__ import annotations

from awsprep.sim import World, ec2
from tests.sim.elb_helpers import call, estate


def _health(world: World, tg: str, iid: str) -> tuple[str, str | None, str | None]:
    out = call(world, "DescribeTargetHealth", TargetGroupArn=tg, Targets=[{"Id": iid}])
    health = out["TargetHealthDescriptions"][0]["TargetHealth"]
    return health["State"], health.get("Reason"), health.get("Description")


def test_a_new_target_failing_its_first_check_stays_initial_until_the_threshold(world: World) -> None:
    e = estate(world, interval=10)
    ec2.backend(world).stop_serving(e.instances[0], 80)
    seen = []
    for _ in range(25):  # provisioning (180 s), then a check every 10 s
        world.advance(10)
        now = _health(world, e.tg, e.instances[0])
        if not seen or seen[-1][0] != now:
            seen.append((now, world.now))
    assert [s for s, _ in seen] == [
        ("initial", "Elb.RegistrationInProgress", "Target registration is in progress"),
        ("initial", "Elb.InitialHealthChecking", "Initial health checks in progress"),
        ("unhealthy", "Target.FailedHealthChecks", "Health checks failed"),
    ]
    assert seen[2][1] - seen[1][1] == 10  # one interval after the first failure: UnhealthyThresholdCount (2)
    assert _health(world, e.tg, e.instances[1])[:2] == ("healthy", None)


def test_a_stopped_instance_is_unused_with_invalid_state(world: World) -> None:
    e = estate(world, interval=10)
    world.advance(200)
    world.call("ec2", "StopInstances", {"InstanceIds": [e.instances[0]]})
    assert _health(world, e.tg, e.instances[0]) == ("unused", "Target.InvalidState", "Target is in the stopping state")
    world.advance(30)
    assert _health(world, e.tg, e.instances[0]) == ("unused", "Target.InvalidState", "Target is in the stopped state")
    world.call("ec2", "StartInstances", {"InstanceIds": [e.instances[0]]})
    world.advance(30)
    state = _health(world, e.tg, e.instances[0])[0]
    assert state in ("initial", "healthy", "unhealthy")  # checked again once it runs


def test_healthy_and_unhealthy_host_counts_follow_the_checks_in_cloudwatch(world: World) -> None:
    import json

    from awsprep.sim import run_cli

    e = estate(world, interval=10)
    world.advance(200)
    ec2.backend(world).stop_serving(e.instances[0], 80)
    world.advance(60)
    dims = [
        f"Name=LoadBalancer,Value={e.lb.split(':loadbalancer/')[1]}",
        f"Name=TargetGroup,Value={e.tg.split(':', 5)[5]}",
    ]

    def minimum_and_maximum(metric: str) -> list[tuple[float, float]]:
        res = run_cli(
            world,
            ["cloudwatch", "get-metric-statistics", "--namespace", "AWS/ApplicationELB", "--metric-name", metric,
             "--dimensions", *dims, "--start-time", "2025-01-06T09:04:00Z", "--end-time", "2025-01-06T09:05:00Z",
             "--period", "60", "--statistics", "Minimum", "Maximum"],
        )  # fmt: skip
        assert res.exit_code == 0, res.stderr
        points = sorted(json.loads(res.stdout)["Datapoints"], key=lambda p: p["Timestamp"])
        return [(p["Minimum"], p["Maximum"]) for p in points]

    # httpd stopped at 09:03:50; checks at 09:04:00 and 09:04:10 fail: unhealthy from the second
    assert minimum_and_maximum("HealthyHostCount") == [(1.0, 2.0)]
    assert minimum_and_maximum("UnHealthyHostCount") == [(0.0, 1.0)]
