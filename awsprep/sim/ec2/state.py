"""EC2 state for one Region, as plain dataclasses (snapshots serialise these with `core.codec`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# State name -> State.Code, as in botocore's InstanceStateName enum.
STATE_CODES = {
    "pending": 0,
    "running": 16,
    "shutting-down": 32,
    "terminated": 48,
    "stopping": 64,
    "stopped": 80,
}


@dataclass
class Vpc:
    """A VPC. Whether it reaches the internet is its route tables' and internet gateways' business."""

    vpc_id: str
    cidr: str
    is_default: bool
    # Only worlds saved before route tables existed set this: such a VPC has no route table, and this says
    # whether it had an internet gateway then (routing.internet_reaches falls back to it).
    has_internet_gateway: bool
    tags: dict[str, str] = field(default_factory=dict)
    dhcp_options_id: str = "default"


@dataclass
class Subnet:
    """A subnet in one AZ; default subnets auto-assign public IPv4 addresses."""

    subnet_id: str
    vpc_id: str
    cidr: str
    az: str
    az_id: str
    map_public_ip: bool
    default_for_az: bool
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Rule:
    """One security group rule: protocol (`-1` all, `tcp`, `udp`, `icmp`), ports, and one peer."""

    rule_id: str
    protocol: str
    from_port: int
    to_port: int
    cidr: str | None = None
    cidr_v6: str | None = None
    group_id: str | None = None
    description: str | None = None


@dataclass
class SecurityGroup:
    """A security group: stateful, allow-only inbound and outbound rules."""

    group_id: str
    name: str
    description: str
    vpc_id: str
    ingress: list[Rule] = field(default_factory=list)
    egress: list[Rule] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class KeyPair:
    """A key pair; the private material is returned once by CreateKeyPair and kept only as a fingerprint."""

    key_id: str
    name: str
    fingerprint: str
    key_type: str
    created: float
    public_key: str
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Image:
    """An AMI: public catalogue images and learners' own images (CreateImage, CopyImage)."""

    image_id: str
    name: str
    description: str
    owner_id: str
    owner_alias: str
    architecture: str
    platform: str
    platform_details: str
    root_device_name: str
    root_size_gb: int
    state: str
    created: float
    public: bool
    default_user: str
    imds_v2_required: bool
    launch_permissions: list[str] = field(default_factory=list)
    source_instance_id: str | None = None
    snapshot_id: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    guest: dict[str, Any] = field(default_factory=dict)  # baked from the source instance (golden AMIs)
    served: dict[str, ServedPort] = field(default_factory=dict)  # enabled services baked into the image


@dataclass
class Volume:
    """An EBS volume (root or extra); deleted with the instance when DeleteOnTermination is set."""

    volume_id: str
    size_gb: int
    volume_type: str
    az: str
    created: float
    state: str = "in-use"
    instance_id: str | None = None
    device: str | None = None
    delete_on_termination: bool = False
    attach_time: float = 0.0
    snapshot_id: str = ""  # the snapshot a CreateVolume started from
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Address:
    """An Elastic IP address allocated to the account."""

    allocation_id: str
    public_ip: str
    allocated: float
    association_id: str | None = None
    instance_id: str | None = None
    eni_id: str | None = None
    private_ip: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class ServedPort:
    """A TCP service listening on an instance (registered by the labs' cloud-init, e.g. httpd on 80)."""

    port: int
    body: str
    status: int = 200
    content_type: str = "text/html; charset=UTF-8"
    enabled: bool = True  # `systemctl enable`: comes back after a stop/start; otherwise gone on stop


@dataclass
class DatagramService:
    """A UDP service listening on an instance (the labs' `systemctl start named`): `service` names what answers
    (ec2/endpoints.py: "named", the DNS server, reads the guest's `dns` configuration); `tcp` when it listens on
    the same TCP port too (named answers DNS over TCP, which is what an NLB's TCP health check connects to)."""

    port: int
    service: str
    enabled: bool = True
    tcp: bool = False


@dataclass
class MetadataOptions:
    """The instance's IMDS settings (ModifyInstanceMetadataOptions)."""

    http_tokens: str = "optional"
    hop_limit: int = 1
    http_endpoint: str = "enabled"
    http_protocol_ipv6: str = "disabled"
    instance_metadata_tags: str = "disabled"


@dataclass
class Instance:
    """One EC2 instance and everything observable about it."""

    instance_id: str
    reservation_id: str
    image_id: str
    instance_type: str
    architecture: str
    platform: str
    key_name: str | None
    launch_time: float
    ami_launch_index: int
    state: str
    subnet_id: str
    vpc_id: str
    az: str
    private_ip: str
    mac: str
    eni_id: str
    attachment_id: str
    security_group_ids: list[str]
    root_device_name: str
    client_token: str
    public_ip: str | None = None  # the auto-assigned address (None while an EIP is associated)
    assign_public_ip: bool = True
    eip_allocation_id: str | None = None
    state_reason: str | None = None
    state_transition_reason: str = ""
    user_data_b64: str | None = None
    disable_api_termination: bool = False
    disable_api_stop: bool = False
    shutdown_behavior: str = "stop"
    metadata: MetadataOptions = field(default_factory=MetadataOptions)
    monitoring: str = "disabled"
    ebs_optimized: bool = False
    iam_instance_profile_arn: str | None = None
    source_dest_check: bool = True
    tags: dict[str, str] = field(default_factory=dict)
    pending_time: float = 0.0
    ever_running: bool = False
    boot_count: int = 0
    ended_at: float | None = None  # terminated: describe shows it for about an hour after this
    token: int = 0  # bumps on every transition so stale timers are ignored
    launch_template: dict[str, str] | None = None
    served: dict[str, ServedPort] = field(default_factory=dict)  # keys are port numbers as text (JSON)
    datagram: dict[str, DatagramService] = field(default_factory=dict)  # UDP services, keyed like `served`
    imds_tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry
    guest: dict[str, Any] = field(default_factory=dict)  # free JSON-ready storage for the labs (cloud-init)
    cpu_load: float = 0.0  # percent of the instance's vCPUs the guest keeps busy (CPUUtilization)
    # CloudWatch metrics are derived on query (ec2/metrics.py) from these, not published by a timer:
    running_since: float | None = None  # start of the current running interval
    runs: list[list[float]] = field(default_factory=list)  # [start, end] running intervals not yet derived
    loads: list[list[float]] = field(default_factory=list)  # [start, end, percent] guest load (stress, base)
    monitoring_log: list[list[float]] = field(default_factory=list)  # [time, 1 detailed | 0 basic]
    # [minute, bytes in, bytes out, packets in, packets out] of the data plane's traffic, not yet derived
    net_log: list[list[float]] = field(default_factory=list)
    metrics_until: float = -1.0  # datapoints derived up to here (-1: from the first run)


@dataclass
class LaunchTemplateVersion:
    """One immutable launch template version; `data` holds RequestLaunchTemplateData as given."""

    number: int
    description: str | None
    created: float
    data: dict[str, Any]


@dataclass
class LaunchTemplate:
    """A launch template with its versions and default version."""

    template_id: str
    name: str
    created: float
    default_version: int
    versions: list[LaunchTemplateVersion] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class InternetGateway:
    """An internet gateway; attached to at most one VPC."""

    igw_id: str
    vpc_id: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    """One route: a destination CIDR to `local` (inside the VPC) or to an internet gateway."""

    destination: str
    gateway_id: str
    origin: str = "CreateRoute"  # "CreateRouteTable" for the local route


@dataclass
class RouteTableAssociation:
    """A route table's link to a subnet, or its role as the VPC's main table (`subnet_id` None)."""

    association_id: str
    subnet_id: str | None = None
    main: bool = False


@dataclass
class RouteTable:
    """A route table of a VPC: the main one (for subnets with no table of their own) or a custom one."""

    route_table_id: str
    vpc_id: str
    routes: list[Route] = field(default_factory=list)
    associations: list[RouteTableAssociation] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class DhcpOptions:
    """A DHCP options set (`domain-name`, `domain-name-servers`, …) VPCs can use."""

    dhcp_options_id: str
    configurations: dict[str, list[str]] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Snapshot:
    """An EBS snapshot of a volume; `pending` until `started` + SNAPSHOT_SECONDS, then `completed`."""

    snapshot_id: str
    volume_id: str
    size_gb: int
    started: float
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class NetworkInterface:
    """A network interface made with CreateNetworkInterface (an instance's primary one lives on the Instance)."""

    eni_id: str
    subnet_id: str
    vpc_id: str
    az: str
    private_ip: str
    mac: str
    group_ids: list[str]
    description: str = ""
    instance_id: str | None = None
    attachment_id: str | None = None
    device_index: int = 0
    attach_time: float = 0.0
    source_dest_check: bool = True
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Ec2RegionState:
    """Everything EC2 holds in one Region of the world."""

    region: str
    vpcs: dict[str, Vpc] = field(default_factory=dict)
    subnets: dict[str, Subnet] = field(default_factory=dict)
    security_groups: dict[str, SecurityGroup] = field(default_factory=dict)
    key_pairs: dict[str, KeyPair] = field(default_factory=dict)
    images: dict[str, Image] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)
    volumes: dict[str, Volume] = field(default_factory=dict)
    addresses: dict[str, Address] = field(default_factory=dict)
    launch_templates: dict[str, LaunchTemplate] = field(default_factory=dict)
    internet_gateways: dict[str, InternetGateway] = field(default_factory=dict)
    route_tables: dict[str, RouteTable] = field(default_factory=dict)
    dhcp_options: dict[str, DhcpOptions] = field(default_factory=dict)
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    network_interfaces: dict[str, NetworkInterface] = field(default_factory=dict)
    released_allocations: list[str] = field(default_factory=list)
    eip_quota: int = 5
    vcpu_quota: int = 32
    metrics_ticking: bool = False  # saved worlds before lazy metrics had a per-minute timer (now unused)
