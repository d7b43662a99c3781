"""Auto Scaling behind a load balancer: instances registered when InService, ELB health checks after the grace
period, deregistration and draining before termination, instance refresh, scheduled actions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from awsprep.sim import AwsError, World, ec2, elbv2
from awsprep.sim.core.events import SimEvent
from tests.sim.asg_helpers import activities, asg, describe, group, in_service, members, template
from tests.sim.elb_helpers import call, estate


def _serve(world: World) -> None:
    b = ec2.backend(world)
    for iid in in_service(world):
        if not b.served(iid, 80):
            b.serve_http(iid, 80, f"hello from {iid}\n")


def _boot_web_server(world: World, event: SimEvent) -> None:
    """What the user data's web server would do: serve once the instance runs."""
    if event.kind == "instance-state" and event.detail.get("current") == "running":
        ec2.backend(world).serve_http(event.resource_id, 80, f"hello from {event.resource_id}\n")


def _web(world: World, grace: int = 120, desired: int = 2) -> str:
    world.watch(_boot_web_server)
    e = estate(world)
    call(world, "DeregisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": i} for i in e.instances])
    template(world, SecurityGroupIds=[e.web_sg])
    group(world, desired=desired, TargetGroupARNs=[e.tg], HealthCheckType="ELB", HealthCheckGracePeriod=grace)
    _serve(world)
    world.advance(120)
    return e.tg


def test_in_service_instances_are_registered_and_become_healthy(world: World) -> None:
    tg = _web(world)
    states = elbv2.target_states(world, "us-east-1", tg)
    assert sorted(states) == in_service(world) and set(states.values()) == {"healthy"}


def test_the_grace_period_delays_elb_health_replacement(world: World) -> None:
    e = estate(world)
    template(world, SecurityGroupIds=[e.web_sg])
    group(world, desired=1, TargetGroupARNs=[e.tg], HealthCheckType="ELB", HealthCheckGracePeriod=300)
    first = in_service(world)[0]  # it never serves: the target goes unhealthy, but the grace period holds
    world.advance(180)
    assert elbv2.target_states(world, "us-east-1", e.tg)[first] == "unhealthy"
    assert in_service(world) == [first]
    world.advance(180)
    assert first not in in_service(world)
    cause = next(a["Cause"] for a in activities(world) if a["Description"] == f"Terminating EC2 instance: {first}")
    assert cause.endswith("an instance was taken out of service in response to an ELB system health check failure.")


def test_a_dead_web_server_is_replaced_after_elb_marks_it_unhealthy(world: World) -> None:
    tg = _web(world, grace=60)
    victim = in_service(world)[0]
    ec2.backend(world).stop_serving(victim, 80)
    world.advance(90)
    assert victim not in members(world) or members(world)[victim]["HealthStatus"] == "Unhealthy"
    world.advance(240)
    assert victim not in in_service(world) and len(in_service(world)) == 2
    assert set(elbv2.target_states(world, "us-east-1", tg).values()) == {"healthy"}


def test_termination_waits_for_connection_draining(world: World) -> None:
    tg = _web(world)
    lb = next(iter(elbv2.backend(world).state.load_balancers))
    for _ in range(4):
        elbv2.request(world, lb)
    victim = in_service(world)[0]
    asg(world, "TerminateInstanceInAutoScalingGroup", InstanceId=victim, ShouldDecrementDesiredCapacity=True)
    world.advance(60)
    assert members(world)[victim]["LifecycleState"] == "Terminating"
    assert activities(world)[0]["StatusCode"] == "WaitingForELBConnectionDraining"
    assert elbv2.target_states(world, "us-east-1", tg)[victim] == "draining"
    inst = ec2.instance(world, "us-east-1", victim)
    assert inst is not None and inst.state == "running"
    world.advance(300)
    assert victim not in members(world)
    assert ec2.instance(world, "us-east-1", victim).state == "terminated"  # type: ignore[union-attr]


def test_an_unknown_target_group_is_refused(world: World) -> None:
    template(world)
    with pytest.raises(AwsError) as err:
        group(world, TargetGroupARNs=["arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/x/0123"])
    assert err.value.message == "Provided Target Groups may not be valid."


def test_instance_refresh_replaces_in_batches_keeping_min_healthy(world: World) -> None:
    lt = template(world)
    group(world, desired=4, max_size=8, DefaultInstanceWarmup=60)
    old = set(in_service(world))
    world.call(
        "ec2",
        "CreateLaunchTemplateVersion",
        {"LaunchTemplateId": lt, "SourceVersion": "1", "LaunchTemplateData": {"InstanceType": "t3.small"}},
    )
    rid = asg(
        world,
        "StartInstanceRefresh",
        AutoScalingGroupName="g",
        Preferences={"MinHealthyPercentage": 50, "SkipMatching": True},
    )["InstanceRefreshId"]
    with pytest.raises(AwsError) as err:
        asg(world, "StartInstanceRefresh", AutoScalingGroupName="g")
    assert err.value.code == "InstanceRefreshInProgress"
    lowest = 4
    for _ in range(20):
        world.advance(30)
        lowest = min(lowest, sum(1 for m in members(world).values() if m["LifecycleState"] == "InService"))
    r = asg(world, "DescribeInstanceRefreshes", AutoScalingGroupName="g")["InstanceRefreshes"][0]
    assert (r["InstanceRefreshId"], r["Status"], r["PercentageComplete"]) == (rid, "Successful", 100)
    now = members(world)
    assert not old & set(now) and {m["LaunchTemplate"]["Version"] for m in now.values()} == {"2"}
    assert lowest >= 2  # 50 % of 4 stayed in service
    with pytest.raises(AwsError) as err:
        asg(world, "CancelInstanceRefresh", AutoScalingGroupName="g")
    assert err.value.code == "ActiveInstanceRefreshNotFound"


def test_max_healthy_above_100_launches_before_it_terminates(world: World) -> None:
    """RefreshPreferences: MaxHealthyPercentage is the most of the desired capacity that may be in service or
    pending during the refresh. With 100/150 a group of 4 launches 2 new instances, waits for them, then lets 2
    old ones go, twice: it never has fewer than 4 in service or more than 6 instances."""
    lt = template(world)
    group(world, desired=4, max_size=8, DefaultInstanceWarmup=60)
    old = set(in_service(world))
    world.call(
        "ec2",
        "CreateLaunchTemplateVersion",
        {"LaunchTemplateId": lt, "SourceVersion": "1", "LaunchTemplateData": {"InstanceType": "t3.small"}},
    )
    prefs = {"MinHealthyPercentage": 100, "MaxHealthyPercentage": 150, "SkipMatching": True}
    asg(world, "StartInstanceRefresh", AutoScalingGroupName="g", Preferences=prefs)
    lowest, highest = 4, 4
    for _ in range(40):
        world.advance(15)
        states = [m["LifecycleState"] for m in members(world).values()]
        lowest = min(lowest, states.count("InService"))
        highest = max(highest, sum(1 for s in states if not s.startswith("Terminat")))
    r = asg(world, "DescribeInstanceRefreshes", AutoScalingGroupName="g")["InstanceRefreshes"][0]
    assert (r["Status"], r["PercentageComplete"]) == ("Successful", 100)
    assert r["Preferences"]["MaxHealthyPercentage"] == 150
    now = members(world)
    assert len(now) == 4 and not old & set(now) and {m["LaunchTemplate"]["Version"] for m in now.values()} == {"2"}
    assert lowest == 4 and highest == 6
    assert describe(world)["DesiredCapacity"] == 4


def test_skip_matching_leaves_instances_already_on_the_version(world: World) -> None:
    group(world, desired=2, DefaultInstanceWarmup=0)
    before = set(in_service(world))
    asg(world, "StartInstanceRefresh", AutoScalingGroupName="g", Preferences={"SkipMatching": True})
    world.advance(120)
    r = asg(world, "DescribeInstanceRefreshes", AutoScalingGroupName="g")["InstanceRefreshes"][0]
    assert r["Status"] == "Successful" and set(in_service(world)) == before


def test_scheduled_actions_one_off_and_cron_in_a_time_zone(world: World) -> None:
    group(world, desired=1, max_size=6)
    at = datetime.fromtimestamp(world.now + 600, tz=UTC)
    asg(
        world,
        "PutScheduledUpdateGroupAction",
        AutoScalingGroupName="g",
        ScheduledActionName="once",
        StartTime=at,
        DesiredCapacity=3,
    )
    # 09:00 on weekdays in New York is 14:00 UTC in January.
    asg(
        world,
        "PutScheduledUpdateGroupAction",
        AutoScalingGroupName="g",
        ScheduledActionName="morning",
        Recurrence="0 9 * * 1-5",
        TimeZone="America/New_York",
        DesiredCapacity=5,
    )
    world.advance(660)
    assert describe(world)["DesiredCapacity"] == 3
    names = [
        s["ScheduledActionName"]
        for s in asg(world, "DescribeScheduledActions", AutoScalingGroupName="g")["ScheduledUpdateGroupActions"]
    ]
    assert names == ["morning"]  # a one-off action is gone once it ran
    world.advance(4 * 3600 - 660 + 120)  # to 13:02 UTC: not yet
    assert describe(world)["DesiredCapacity"] == 3
    world.advance(3600)
    assert describe(world)["DesiredCapacity"] == 5
    cause = next(a["Cause"] for a in activities(world) if a["Description"].startswith("Launching"))
    assert "a scheduled action update of AutoScalingGroup constraints to min: 1, max: 6, desired: 5" in cause
    with pytest.raises(AwsError):
        asg(
            world,
            "PutScheduledUpdateGroupAction",
            AutoScalingGroupName="g",
            ScheduledActionName="bad",
            Recurrence="61 * * * *",
            DesiredCapacity=1,
        )
