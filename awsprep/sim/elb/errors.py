"""Classic Load Balancer errors (https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/CommonErrors.html
and each action's Errors section); codes as on the wire."""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

CLB_ERRORS = ErrorTable(
    {
        "LoadBalancerNotFound": (
            "LoadBalancerNotFound",
            "There is no ACTIVE Load Balancer named '{name}'",
            400,
        ),
        "DuplicateLoadBalancerName": (
            "DuplicateLoadBalancerName",
            "Load Balancer named '{name}' already exists and it is configured with different parameters.",
            400,
        ),
        "InvalidInstance": ("InvalidInstance", "EC2 instance {iid} is not in running state.", 400),
        "InvalidInstance.NotFound": ("InvalidInstance", "The requested instance {iid} is not found.", 400),
        "PolicyNotFound": ("PolicyNotFound", "There is no policy with name {policy} for load balancer {name}", 400),
        "DuplicatePolicyName": ("DuplicatePolicyName", "Policy with name {policy} already exists.", 400),
        "ListenerNotFound": ("ListenerNotFound", "There is no listener on port {port} for load balancer {name}", 400),
        "ValidationError": ("ValidationError", "{message}", 400),
        "InvalidConfigurationRequest": ("InvalidConfigurationRequest", "{message}", 409),
    }
)
