"""Every ELBv2 error the simulator returns: code, message template, HTTP status, in one table.

Codes drop botocore's `Exception` suffix, as on the wire (spec §1.2). Messages marked [REAL] in the spec were
recorded from AWS (PriorityInUse, DuplicateListener, the two-AZ rule); the others follow the API reference's
error descriptions and can be corrected here without touching the logic.
"""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

ELB_ERRORS = ErrorTable(
    {
        "AccessDenied": ("AccessDenied", "User: {arn} is not authorized to perform: {action}", 403),
        "LoadBalancerNotFound": ("LoadBalancerNotFound", "One or more load balancers not found", 400),
        "LoadBalancerNotFound.Names": ("LoadBalancerNotFound", "Load balancers '[{names}]' not found", 400),
        "TargetGroupNotFound": ("TargetGroupNotFound", "One or more target groups not found", 400),
        "TargetGroupNotFound.Names": ("TargetGroupNotFound", "Target groups '[{names}]' not found", 400),
        "ListenerNotFound": ("ListenerNotFound", "One or more listeners not found", 400),
        "RuleNotFound": ("RuleNotFound", "One or more rules not found", 400),
        "DuplicateLoadBalancerName": (
            "DuplicateLoadBalancerName",
            "A load balancer with the same name '{name}' exists, but with different settings",
            400,
        ),
        "DuplicateTargetGroupName": (
            "DuplicateTargetGroupName",
            "A target group with the same name '{name}' exists, but with different settings",
            400,
        ),
        "DuplicateListener": (
            "DuplicateListener",
            "A listener already exists on this port for this load balancer",
            400,
        ),
        "PriorityInUse": ("PriorityInUse", "Priority '{priority}' is currently in use", 400),
        "ResourceInUse": (
            "ResourceInUse",
            "Target group '{arn}' is currently in use by a listener or a rule",
            400,
        ),
        "InvalidTarget.NotRunning": (
            "InvalidTarget",
            "The following targets are not in a running state and cannot be registered: '{ids}'",
            400,
        ),
        "InvalidTarget.NotFound": ("InvalidTarget", "The following targets are not valid: '{ids}'", 400),
        "InvalidTarget.OutsideVpc": (
            "InvalidTarget",
            "The following targets are not in the target group VPC '{vpc}': '{ids}'",
            400,
        ),
        "InvalidTarget.Lambda": ("InvalidTarget", "A Lambda target group can only have one target", 400),
        "TooManyRules": ("TooManyRules", "You've reached the limit on the number of rules per load balancer", 400),
        "TooManyTargetGroups.Forward": (
            "TooManyTargetGroups",
            "You've reached the limit on the number of target groups per action",
            400,
        ),
        # the API reference's description of TooManyTargetsException [INF: not recorded from AWS]
        "TooManyTargets": ("TooManyTargets", "You've reached the limit on the number of targets.", 400),
        "TooManyActions": ("TooManyActions", "You've reached the limit on the number of actions per rule", 400),
        "TooManyConditionValues": ("ValidationError", "A rule can only have '{limit}' condition values", 400),
        "TooManyWildcards": ("ValidationError", "A rule can only have '5' wildcards", 400),
        "TargetGroupAssociationLimit": (
            "TargetGroupAssociationLimit",
            "The following target groups cannot be associated with more than one load balancer: '{arn}'",
            400,
        ),
        "IncompatibleProtocols": (
            "IncompatibleProtocols",
            "The protocol of the target group '{arn}' is not compatible with the listener protocol '{protocol}'",
            400,
        ),
        "InvalidLoadBalancerAction": ("InvalidLoadBalancerAction", "{message}", 400),
        "OperationNotPermitted.DefaultRule": (
            "OperationNotPermitted",
            "Default rule '{arn}' cannot be modified this way",
            400,
        ),
        "OperationNotPermitted": ("OperationNotPermitted", "{message}", 400),
        "InvalidConfigurationRequest": ("InvalidConfigurationRequest", "{message}", 400),
        "InvalidSubnet": ("InvalidSubnet", "The subnet ID '{subnet}' is not valid", 400),
        "SubnetNotFound": ("SubnetNotFound", "The subnet ID '{subnet}' is not valid", 400),
        "InvalidSecurityGroup": ("InvalidSecurityGroup", "One or more security groups are invalid", 400),
        "AllocationIdNotFound": ("AllocationIdNotFound", "The allocation ID '{alloc}' does not exist", 400),
        "CertificateNotFound": ("CertificateNotFound", "Certificate '{arn}' not found", 400),
        "TwoZones": (
            "ValidationError",
            "At least two subnets in two different Availability Zones must be specified",
            400,
        ),
        "Validation": ("ValidationError", "{message}", 400),
        # AWS's words today (terraform-provider-aws #48070, tflint-ruleset-aws #404); moto keeps a 2017 text
        "HealthTimeout": ("ValidationError", "Health check interval must be greater than the timeout.", 400),
    }
)
