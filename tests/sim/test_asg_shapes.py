"""Every Auto Scaling operation's response against its botocore output shape."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import botocore.session

from awsprep.sim import World
from awsprep.sim.autoscaling.responses import OPERATIONS
from tests.sim.asg_helpers import AMI, asg, group, in_service, subnets
from tests.sim.elb_helpers import estate
from tests.sim.test_frontends import check_shape

MODEL = botocore.session.get_session().get_service_model("autoscaling")


def test_every_autoscaling_operation_matches_its_botocore_output_shape() -> None:
    w = World(seed=5)
    e = estate(w)
    group(w, desired=2, TargetGroupARNs=[e.tg], DefaultInstanceWarmup=60)
    a, b = in_service(w)
    asg(
        w,
        "PutLifecycleHook",
        AutoScalingGroupName="g",
        LifecycleHookName="h",
        LifecycleTransition="autoscaling:EC2_INSTANCE_LAUNCHING",
    )
    asg(w, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=3)
    w.advance(60)
    waiting = next(
        i["InstanceId"]
        for i in asg(w, "DescribeAutoScalingInstances")["AutoScalingInstances"]
        if i["LifecycleState"] == "Pending:Wait"
    )
    soon = datetime.fromtimestamp(w.now + 3600, tz=UTC)
    tt: dict[str, Any] = {
        "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
        "TargetValue": 50.0,
    }
    params: dict[str, dict[str, Any]] = {
        "CreateLaunchConfiguration": {"LaunchConfigurationName": "lc", "ImageId": AMI, "InstanceType": "t3.micro"},
        "DescribeLaunchConfigurations": {},
        "CreateAutoScalingGroup": {
            "AutoScalingGroupName": "other",
            "LaunchConfigurationName": "lc",
            "MinSize": 0,
            "MaxSize": 1,
            "VPCZoneIdentifier": subnets(w)[0],
        },
        "UpdateAutoScalingGroup": {"AutoScalingGroupName": "g", "MaxSize": 8},
        "DescribeAutoScalingGroups": {},
        "DescribeAutoScalingInstances": {},
        "DescribeScalingActivities": {"AutoScalingGroupName": "g"},
        "SetDesiredCapacity": {"AutoScalingGroupName": "g", "DesiredCapacity": 3},
        "SetInstanceProtection": {"AutoScalingGroupName": "g", "InstanceIds": [a], "ProtectedFromScaleIn": True},
        "SetInstanceHealth": {"InstanceId": a, "HealthStatus": "Healthy"},
        "EnterStandby": {"AutoScalingGroupName": "g", "InstanceIds": [b], "ShouldDecrementDesiredCapacity": True},
        "ExitStandby": {"AutoScalingGroupName": "g", "InstanceIds": [b]},
        "DescribeLifecycleHooks": {"AutoScalingGroupName": "g"},
        "DescribeLifecycleHookTypes": {},
        "RecordLifecycleActionHeartbeat": {
            "AutoScalingGroupName": "g",
            "LifecycleHookName": "h",
            "InstanceId": waiting,
        },
        "CompleteLifecycleAction": {
            "AutoScalingGroupName": "g",
            "LifecycleHookName": "h",
            "InstanceId": waiting,
            "LifecycleActionResult": "CONTINUE",
        },
        "PutLifecycleHook": {
            "AutoScalingGroupName": "g",
            "LifecycleHookName": "h2",
            "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
        },
        "DeleteLifecycleHook": {"AutoScalingGroupName": "g", "LifecycleHookName": "h2"},
        "PutScalingPolicy": {
            "AutoScalingGroupName": "g",
            "PolicyName": "tt",
            "PolicyType": "TargetTrackingScaling",
            "TargetTrackingConfiguration": tt,
        },
        "DescribePolicies": {"AutoScalingGroupName": "g"},
        "ExecutePolicy": {"AutoScalingGroupName": "g", "PolicyName": "simple"},
        "DeletePolicy": {"AutoScalingGroupName": "g", "PolicyName": "simple"},
        "DescribeAdjustmentTypes": {},
        "PutScheduledUpdateGroupAction": {
            "AutoScalingGroupName": "g",
            "ScheduledActionName": "s",
            "StartTime": soon,
            "DesiredCapacity": 2,
        },
        "DescribeScheduledActions": {"AutoScalingGroupName": "g"},
        "DeleteScheduledAction": {"AutoScalingGroupName": "g", "ScheduledActionName": "s"},
        "AttachLoadBalancerTargetGroups": {"AutoScalingGroupName": "g", "TargetGroupARNs": [e.tg]},
        "DescribeLoadBalancerTargetGroups": {"AutoScalingGroupName": "g"},
        "DetachLoadBalancerTargetGroups": {"AutoScalingGroupName": "other", "TargetGroupARNs": [e.tg]},
        "AttachTrafficSources": {"AutoScalingGroupName": "g", "TrafficSources": [{"Identifier": e.tg}]},
        "DescribeTrafficSources": {"AutoScalingGroupName": "g"},
        "DetachTrafficSources": {"AutoScalingGroupName": "other", "TrafficSources": [{"Identifier": e.tg}]},
        "DescribeLoadBalancers": {"AutoScalingGroupName": "g"},
        "SuspendProcesses": {"AutoScalingGroupName": "other", "ScalingProcesses": ["AZRebalance"]},
        "ResumeProcesses": {"AutoScalingGroupName": "other", "ScalingProcesses": ["AZRebalance"]},
        "DescribeScalingProcessTypes": {},
        "DescribeTerminationPolicyTypes": {},
        "CreateOrUpdateTags": {
            "Tags": [
                {
                    "ResourceId": "g",
                    "ResourceType": "auto-scaling-group",
                    "Key": "k",
                    "Value": "v",
                    "PropagateAtLaunch": True,
                }
            ]
        },
        "DescribeTags": {},
        "DeleteTags": {"Tags": [{"ResourceId": "g", "ResourceType": "auto-scaling-group", "Key": "k"}]},
        "PutNotificationConfiguration": {
            "AutoScalingGroupName": "g",
            "TopicARN": "arn:aws:sns:us-east-1:111122223333:t",
            "NotificationTypes": ["autoscaling:EC2_INSTANCE_LAUNCH"],
        },
        "DescribeNotificationConfigurations": {},
        "DeleteNotificationConfiguration": {
            "AutoScalingGroupName": "g",
            "TopicARN": "arn:aws:sns:us-east-1:111122223333:t",
        },
        "DescribeAutoScalingNotificationTypes": {},
        "TerminateInstanceInAutoScalingGroup": {"InstanceId": a, "ShouldDecrementDesiredCapacity": False},
        "DetachInstances": {"AutoScalingGroupName": "g", "InstanceIds": [b], "ShouldDecrementDesiredCapacity": False},
        "StartInstanceRefresh": {"AutoScalingGroupName": "g", "Preferences": {"MinHealthyPercentage": 50}},
        "DescribeInstanceRefreshes": {"AutoScalingGroupName": "g"},
        "CancelInstanceRefresh": {"AutoScalingGroupName": "g"},
        "AttachInstances": {"AutoScalingGroupName": "other", "InstanceIds": []},
        "DescribeAccountLimits": {},
        "EnableMetricsCollection": {"AutoScalingGroupName": "g", "Granularity": "1Minute"},
        "DescribeMetricCollectionTypes": {},
        "DisableMetricsCollection": {"AutoScalingGroupName": "g", "Metrics": ["GroupMaxSize"]},
        "DeleteAutoScalingGroup": {"AutoScalingGroupName": "other"},
        "DeleteLaunchConfiguration": {"LaunchConfigurationName": "lc"},
    }
    asg(
        w,
        "PutScalingPolicy",
        AutoScalingGroupName="g",
        PolicyName="simple",
        AdjustmentType="ChangeInCapacity",
        ScalingAdjustment=1,
    )
    assert sorted(params) == sorted(OPERATIONS), "list every implemented operation here"
    for op, p in params.items():
        out = w.call("autoscaling", op, p)
        shape = MODEL.operation_model(op).output_shape
        if shape is None:
            assert out == {}, op  # the CLI prints nothing
        else:
            check_shape(out, shape, op)
        w.advance(5)
