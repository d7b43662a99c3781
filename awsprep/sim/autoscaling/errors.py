"""Every Auto Scaling error the simulator returns: code, message template, HTTP status, in one table.

Auto Scaling's wire codes (botocore): AlreadyExists, LimitExceeded, ResourceInUse, ScalingActivityInProgress,
ResourceContention, InstanceRefreshInProgress, ActiveInstanceRefreshNotFound and the generic ValidationError.
Messages marked [REAL] in shared/specs/aws-behaviour.md §1.3 were recorded from AWS (min/max bounds, desired
outside the bounds, SetDesiredCapacity above max, duplicate name, terminate-with-decrement at min, complete a
lifecycle action with none pending); the others are written in AWS's style and can be corrected here alone.
"""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

ASG_ERRORS = ErrorTable(
    {
        "AccessDenied": ("AccessDenied", "User: {arn} is not authorized to perform: {action}", 403),
        "Validation": ("ValidationError", "{message}", 400),
        "MinMax": ("ValidationError", "Max bound, {max}, must be greater than or equal to min bound, {min}", 400),
        "DesiredBounds": (
            "ValidationError",
            "Desired capacity:{desired} must be between the specified min size:{min} and max size:{max}",
            400,
        ),
        "DesiredAboveMax": (
            "ValidationError",
            "New SetDesiredCapacity value {desired} is above max value {max} for the AutoScalingGroup.",
            400,
        ),
        "DesiredBelowMin": (
            "ValidationError",
            "New SetDesiredCapacity value {desired} is below min value {min} for the AutoScalingGroup.",
            400,
        ),
        "AlreadyExists": (
            "AlreadyExists",
            "AutoScalingGroup by this name already exists - A group with the name {name} already exists",
            400,
        ),
        "LaunchConfigExists": (
            "AlreadyExists",
            "Launch Configuration by this name already exists - A launch configuration already exists with the "
            "name {name}",
            400,
        ),
        "GroupNotFound": (
            "ValidationError",
            "AutoScalingGroup name not found - AutoScalingGroup {name} not found",
            400,
        ),
        "LaunchConfigNotFound": ("ValidationError", "Launch configuration name not found - {name}", 400),
        "LaunchConfigInUse": (
            "ResourceInUse",
            "Cannot delete launch configuration {name} because it is attached to AutoScalingGroup {group}",
            400,
        ),
        "InUse": (
            "ResourceInUse",
            "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) "
            "still in the group.",
            400,
        ),
        "Deleting": ("ValidationError", "AutoScalingGroup {name} is pending delete.", 400),
        "ActivityInProgress": (
            "ScalingActivityInProgress",
            "Scaling activity {activity} is in progress and blocks this action.",
            400,
        ),
        "Cooldown": (
            "ScalingActivityInProgress",
            "The AutoScalingGroup {name} is in a cooldown period; the request was not honored.",
            400,
        ),
        "DecrementBelowMin": (
            "ValidationError",
            "Currently, desiredSize equals minSize ({min}). Terminating instance without replacement will violate "
            "group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's "
            "min size.",
            400,
        ),
        "NoLifecycleAction": ("ValidationError", "No active Lifecycle Action found with instance ID {iid}", 400),
        "NoLifecycleActionToken": ("ValidationError", "No active Lifecycle Action found with token {token}", 400),
        "HookNotFound": (
            "ValidationError",
            "No Lifecycle Hook found with name {hook} for Auto Scaling group {group}",
            400,
        ),
        "InstanceNotInGroup": (
            "ValidationError",
            "Instance Id not found - No managed instance found for instance ID: {iid}",
            400,
        ),
        "InstanceNotInThisGroup": (
            "ValidationError",
            "The instance {iid} is not part of Auto Scaling group {group}.",
            400,
        ),
        "InstanceState": ("ValidationError", "The instance {iid} is not in {state}.", 400),
        "InstanceInOtherGroup": (
            "ValidationError",
            "The instance {iid} is already part of another Auto Scaling group.",
            400,
        ),
        "InstanceNotRunning": ("ValidationError", "Instance {iid} is not in correct state", 400),
        "InstanceNotFound": ("ValidationError", "Instance ID(s) not found - {iid}", 400),
        "AttachAboveMax": (
            "ValidationError",
            "Attaching {count} instance(s) would make the AutoScalingGroup exceed its max size of {max}.",
            400,
        ),
        "DetachBelowMin": (
            "ValidationError",
            "Detaching {count} instance(s) without decrementing would violate the group's min size constraint.",
            400,
        ),
        "LaunchTemplateNotFound": (
            "ValidationError",
            "You must use a valid fully-formed launch template. The specified launch template, with template "
            "{how} {value}, does not exist.",
            400,
        ),
        "LaunchTemplateVersion": (
            "ValidationError",
            "You must use a valid fully-formed launch template. The specified launch template version {version} "
            "does not exist.",
            400,
        ),
        "NoLaunchSource": (
            "ValidationError",
            "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or "
            "MixedInstancesPolicy parameter.",
            400,
        ),
        "BothLaunchSources": (
            "ValidationError",
            "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or "
            "MixedInstancesPolicy parameter, but not more than one.",
            400,
        ),
        "NoZones": ("ValidationError", "At least one Availability Zone or VPC Subnet is required.", 400),
        "SubnetNotFound": ("ValidationError", "The subnet ID '{subnet}' does not exist", 400),
        "SubnetsVpc": ("ValidationError", "The subnets '{subnets}' must all belong to the same VPC.", 400),
        "BadZone": ("ValidationError", "The availability zone {zone} is not legitimate", 400),
        "PolicyNotFound": ("ValidationError", "Policy {name} not found for AutoScalingGroup {group}.", 400),
        "PolicyNotFoundArn": ("ValidationError", "Policy ARN {arn} not found.", 400),
        "ScheduledNotFound": ("ValidationError", "Scheduled action name not found - {name}", 400),
        "ScheduledExists": (
            "AlreadyExists",
            "Scheduled action by this name already exists - An action with the name {name} already exists",
            400,
        ),
        "TargetGroupNotFound": ("ValidationError", "Provided Target Groups may not be valid.", 400),
        "RefreshInProgress": (
            "InstanceRefreshInProgress",
            "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.",
            400,
        ),
        "NoActiveRefresh": (
            "ActiveInstanceRefreshNotFound",
            "No in progress or pending Instance Refresh found for Auto Scaling group {name}",
            400,
        ),
        "LimitGroups": (
            "LimitExceeded",
            "You have reached your limit of {limit} Auto Scaling groups in this Region.",
            400,
        ),
        "LimitHooks": (
            "LimitExceeded",
            "You have reached your limit of {limit} lifecycle hooks for Auto Scaling group {name}.",
            400,
        ),
        "LimitPolicies": (
            "LimitExceeded",
            "You have reached your limit of {limit} scaling policies for Auto Scaling group {name}.",
            400,
        ),
        "LimitLaunchConfigs": (
            "LimitExceeded",
            "You have reached your limit of {limit} launch configurations in this Region.",
            400,
        ),
    }
)
