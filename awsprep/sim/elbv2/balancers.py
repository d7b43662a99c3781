"""Load balancers and listeners: create, describe, modify, delete (spec §1.2)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from awsprep.sim import ec2
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.meter import close_record, open_record
from awsprep.sim.elbv2 import catalog
from awsprep.sim.elbv2.errors import ELB_ERRORS as E
from awsprep.sim.elbv2.state import Listener, LoadBalancer, Node, Rule

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend

_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")


def check_name(name: str, what: str = "load balancer") -> None:
    """ELB names: at most 32 letters, digits and hyphens, not starting or ending with a hyphen."""
    if len(name) > catalog.MAX_LB_NAME:
        raise E("Validation", message=f"The {what} name '{name}' cannot be longer than '32' characters")
    if not _NAME.match(name):
        raise E(
            "Validation",
            message=f"The {what} name '{name}' can only contain characters that are alphanumeric characters "
            "or hyphens(-), and must not begin or end with a hyphen",
        )
    if what == "load balancer" and name.startswith("internal-"):
        raise E("Validation", message=f"The load balancer name '{name}' cannot begin with 'internal-'")


def _subnet_mappings(b: ElbBackend, params: dict[str, Any]) -> list[dict[str, Any]]:
    mappings = [dict(m) for m in params.get("SubnetMappings") or []]
    mappings += [{"SubnetId": s} for s in params.get("Subnets") or []]
    if not mappings:
        raise E("Validation", message="At least one subnet must be specified")
    return mappings


def _nodes(b: ElbBackend, lb_type: str, scheme: str, mappings: list[dict[str, Any]]) -> tuple[str, list[Node]]:
    nodes: list[Node] = []
    vpc_id = ""
    taken = ec2.backend(b.world, b.region).private_ips_in_use() | {
        n.private_ip for lb in b.state.load_balancers.values() for n in lb.nodes
    }
    for m in mappings:
        try:
            subnet = ec2.subnet(b.world, b.region, m["SubnetId"])
        except AwsError:
            raise E("SubnetNotFound", subnet=m["SubnetId"]) from None
        if vpc_id and subnet.vpc_id != vpc_id:
            raise E("InvalidConfigurationRequest", message="The subnets must all be in the same VPC")
        vpc_id = subnet.vpc_id
        if any(n.zone == subnet.az for n in nodes):
            raise E(
                "InvalidConfigurationRequest",
                message="A load balancer cannot be attached to multiple subnets in the same Availability Zone",
            )
        private_ip = m.get("PrivateIPv4Address") or b.world.ids.private_ip(subnet.cidr, taken)
        taken.add(private_ip)
        node = Node(subnet.az, subnet.subnet_id, private_ip)
        alloc = m.get("AllocationId")
        if alloc:
            if lb_type != "network":
                raise E("InvalidConfigurationRequest", message="Elastic IP addresses are supported only for NLBs")
            addr = next((a for a in ec2.addresses(b.world, b.region) if a.allocation_id == alloc), None)
            if addr is None:
                raise E("AllocationIdNotFound", alloc=alloc)
            if addr.association_id is not None:
                raise E("InvalidConfigurationRequest", message=f"The allocation ID '{alloc}' is already in use")
            node.allocation_id = alloc
            node.public_ip = addr.public_ip
        nodes.append(node)
    if lb_type == "application" and len(nodes) < 2:
        raise E("TwoZones")
    return vpc_id, nodes


def create_load_balancer(b: ElbBackend, params: dict[str, Any]) -> LoadBalancer:
    """CreateLoadBalancer: idempotent for the same name and settings; `provisioning` for a few minutes."""
    name = params["Name"]
    check_name(name)
    lb_type = params.get("Type") or "application"
    if lb_type not in ("application", "network"):
        raise AwsError("UnsupportedOperation", "awsprep simulates application and network load balancers only.")
    scheme = params.get("Scheme") or "internet-facing"
    mappings = _subnet_mappings(b, params)
    groups = list(params.get("SecurityGroups") or [])
    existing = next((lb for lb in b.state.load_balancers.values() if lb.name == name), None)
    if existing is not None:
        same = (
            existing.lb_type == lb_type
            and existing.scheme == scheme
            and sorted(n.subnet_id for n in existing.nodes) == sorted(m["SubnetId"] for m in mappings)
            and (not groups or sorted(groups) == sorted(existing.security_groups))
        )
        if not same:
            raise E("DuplicateLoadBalancerName", name=name)
        return existing
    vpc_id, nodes = _nodes(b, lb_type, scheme, mappings)
    for g in groups:
        try:
            sg = ec2.security_group(b.world, b.region, g)
        except AwsError:
            raise E("InvalidSecurityGroup") from None
        if sg.vpc_id != vpc_id:
            raise E("InvalidSecurityGroup")
    if lb_type == "application" and not groups:
        default = next(
            (
                g
                for g in ec2.backend(b.world, b.region).state.security_groups.values()
                if g.vpc_id == vpc_id and g.name == "default"
            ),
            None,
        )
        groups = [default.group_id] if default else []
    hex_id = b.new_hex()
    numeric = str(b.world.ids.rng.randrange(10**9, 10**10))
    kind = "app" if lb_type == "application" else "net"
    for node in nodes:
        if scheme == "internet-facing" and node.public_ip is None:
            node.public_ip = b.world.take_public_ip(b.region)
    for node in nodes:
        if node.allocation_id:
            addr = next(a for a in ec2.addresses(b.world, b.region) if a.allocation_id == node.allocation_id)
            addr.association_id = b.world.ids.hex_id("eipassoc")
            addr.eni_id = b.world.ids.hex_id("eni")
            addr.private_ip = node.private_ip
    lb = LoadBalancer(
        arn=b.arn(f"loadbalancer/{kind}/{name}/{hex_id}"),
        name=name,
        lb_type=lb_type,
        scheme=scheme,
        vpc_id=vpc_id,
        dns_name=catalog.dns_name(name, b.region, lb_type, scheme, numeric, hex_id),
        created=b.world.now,
        active_at=b.world.now + catalog.PROVISIONING_SECONDS,
        nodes=nodes,
        security_groups=groups,
        ip_address_type=params.get("IpAddressType") or "ipv4",
        attributes=dict(catalog.ALB_ATTRIBUTE_DEFAULTS if lb_type == "application" else catalog.NLB_ATTRIBUTE_DEFAULTS),
        tags={t["Key"]: t.get("Value", "") for t in params.get("Tags") or []},
    )
    b.state.load_balancers[lb.arn] = lb
    open_record(b.world.meter, b.world.now, resource_id=lb.arn, region=b.region, kind=_kind(lb), unit=lb.lb_type)
    b.world.schedule(3600.0, "elbv2", b.region, "lcu", lb.arn, every=3600.0)
    return lb


def _kind(lb: LoadBalancer) -> str:
    return "alb" if lb.lb_type == "application" else "nlb"


def delete_load_balancer(b: ElbBackend, arn: str) -> None:
    """DeleteLoadBalancer: its listeners and rules go with it; target groups stay (and become unused)."""
    lb = b.state.load_balancers.get(arn)
    if lb is None:
        return  # AWS: deleting a load balancer that is already gone succeeds
    if lb.attributes.get("deletion_protection.enabled") == "true":
        raise E(
            "OperationNotPermitted",
            message=f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled",
        )
    for listener in b.listeners_of(arn):
        delete_listener(b, listener.arn)
    for node in lb.nodes:
        if node.allocation_id:
            addr = next((a for a in ec2.addresses(b.world, b.region) if a.allocation_id == node.allocation_id), None)
            if addr is not None:
                addr.association_id = addr.eni_id = addr.private_ip = None
        elif node.public_ip:
            b.world.release_public_ip(node.public_ip)
    del b.state.load_balancers[arn]
    close_record(b.world.meter, b.world.now, resource_id=arn, kind=_kind(lb))
    b.world.cancel_timers("elbv2", b.region, kind="lcu", target=arn)


def create_listener(b: ElbBackend, params: dict[str, Any]) -> Listener:
    """CreateListener: one per port; ALB HTTP/HTTPS (a certificate for HTTPS), NLB TCP/UDP/TLS/TCP_UDP."""
    from awsprep.sim.elbv2.rules import check_actions

    lb = b.load_balancer(params["LoadBalancerArn"])
    port = int(params["Port"]) if params.get("Port") is not None else None
    protocol = params.get("Protocol") or ("HTTP" if lb.lb_type == "application" else "TCP")
    allowed = catalog.LAYER7 if lb.lb_type == "application" else catalog.LAYER4
    if protocol not in allowed:
        raise E("Validation", message=f"Listener protocol '{protocol}' must be one of '{', '.join(allowed)}'")
    if port is None:
        raise E("Validation", message="A listener port must be specified")
    certs = [c["CertificateArn"] for c in params.get("Certificates") or [] if c.get("CertificateArn")]
    if protocol in ("HTTPS", "TLS") and not certs:
        raise E("Validation", message=f"A certificate must be specified for {protocol} listeners")
    for li in b.listeners_of(lb.arn):
        if li.port == port:
            same = li.protocol == protocol
            if (
                same
                and li.rules
                and li.default_rule.actions == check_actions(b, lb, protocol, params["DefaultActions"])
            ):
                return li  # idempotent
            raise E("DuplicateListener")
    actions = check_actions(b, lb, protocol, params["DefaultActions"])
    lid = b.new_hex()
    kind = "app" if lb.lb_type == "application" else "net"
    arn = b.arn(f"listener/{kind}/{lb.name}/{lb.lb_id}/{lid}")
    default = Rule(b.arn(f"listener-rule/{kind}/{lb.name}/{lb.lb_id}/{lid}/{b.new_hex()}"), 0, [], actions)
    listener = Listener(
        arn=arn,
        lb_arn=lb.arn,
        port=port,
        protocol=protocol,
        rules=[default],
        certificates=certs,
        ssl_policy=(params.get("SslPolicy") or "ELBSecurityPolicy-2016-08") if protocol in ("HTTPS", "TLS") else None,
        alpn_policy=list(params.get("AlpnPolicy") or []),
        tags={t["Key"]: t.get("Value", "") for t in params.get("Tags") or []},
    )
    b.state.listeners[arn] = listener
    b.state.rule_index[default.arn] = arn
    from awsprep.sim.elbv2.health import refresh_usage

    refresh_usage(b)
    return listener


def modify_listener(b: ElbBackend, params: dict[str, Any]) -> Listener:
    """ModifyListener: port, protocol, certificates, default actions."""
    from awsprep.sim.elbv2.rules import check_actions

    listener = b.listener(params["ListenerArn"])
    lb = b.load_balancer(listener.lb_arn)
    if params.get("Port") is not None and int(params["Port"]) != listener.port:
        if any(li.port == int(params["Port"]) for li in b.listeners_of(lb.arn)):
            raise E("DuplicateListener")
        listener.port = int(params["Port"])
    if params.get("Protocol"):
        listener.protocol = params["Protocol"]
    if params.get("Certificates"):
        listener.certificates = [c["CertificateArn"] for c in params["Certificates"]]
    if params.get("SslPolicy"):
        listener.ssl_policy = params["SslPolicy"]
    if params.get("DefaultActions"):
        listener.default_rule.actions = check_actions(b, lb, listener.protocol, params["DefaultActions"])
    from awsprep.sim.elbv2.health import refresh_usage

    refresh_usage(b)
    return listener


def delete_listener(b: ElbBackend, arn: str) -> None:
    """DeleteListener: its rules go with it."""
    listener = b.listener(arn)
    for rule in listener.rules:
        b.state.rule_index.pop(rule.arn, None)
    del b.state.listeners[arn]
    from awsprep.sim.elbv2.health import refresh_usage

    refresh_usage(b)
