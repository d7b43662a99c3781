"""Every EC2 error the simulator returns: code, message template, HTTP status, in one table.

Messages marked [REAL] in ../specs/aws-behaviour.md were recorded from AWS; the others follow the
errors overview (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html) and can be
corrected here without touching the logic.
"""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

EC2_ERRORS = ErrorTable(
    {
        "DryRunOperation": ("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412),
        "UnauthorizedOperation": (
            "UnauthorizedOperation",
            "You are not authorized to perform this operation. User: {arn} is not authorized to perform: {action} "
            "because no identity-based policy allows the {action} action.",
            403,
        ),
        "AuthFailure": ("AuthFailure", "You do not have permission to access the specified resource.", 400),
        # Instance state
        "start.IncorrectState": (
            "IncorrectInstanceState",
            "The instance '{iid}' is not in a state from which it can be started.",
            400,
        ),
        "stop.NeverRan": (
            "IncorrectInstanceState",
            "Instance '{iid}' cannot be stopped as it has never reached the 'running' state.",
            400,
        ),
        "stop.IncorrectState": (
            "IncorrectInstanceState",
            "This instance '{iid}' is not in a state from which it can be stopped.",
            400,
        ),
        "reboot.IncorrectState": (
            "IncorrectInstanceState",
            "The instance '{iid}' is not in a state from which it can be rebooted.",
            400,
        ),
        "attr.NotStopped": ("IncorrectInstanceState", "The instance '{iid}' is not in the 'stopped' state.", 400),
        "attr.Terminated": (
            "IncorrectInstanceState",
            "The instance '{iid}' is not in a state from which its attributes can be modified.",
            400,
        ),
        "image.IncorrectState": (
            "IncorrectInstanceState",
            "The instance '{iid}' is not in a state from which an image can be created.",
            400,
        ),
        "associate.Pending": (
            "InvalidInstanceID",
            "The pending instance '{iid}' is not in a valid state for this operation.",
            400,
        ),
        "associate.Gone": (
            "InvalidInstanceID",
            "The instance '{iid}' is not in a valid state for this operation.",
            400,
        ),
        "terminate.Protected": (
            "OperationNotPermitted",
            "The instance '{iid}' may not be terminated. Modify its 'disableApiTermination' instance attribute "
            "and try again.",
            400,
        ),
        "terminate.StopProtected": (
            "OperationNotPermitted",
            "The instance '{iid}' may not be terminated. Modify its 'disableApiStop' instance attribute and try again.",
            400,
        ),
        "stop.Protected": (
            "OperationNotPermitted",
            "The instance '{iid}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.",
            400,
        ),
        "stop.InstanceStore": (
            "UnsupportedOperation",
            "The instance '{iid}' does not have an 'ebs' root device type and cannot be stopped.",
            400,
        ),
        "InvalidInstanceID.NotFound": ("InvalidInstanceID.NotFound", "The instance ID '{iid}' does not exist", 400),
        "InvalidInstanceIDs.NotFound": (
            "InvalidInstanceID.NotFound",
            "The instance IDs '{iids}' do not exist",
            400,
        ),
        "InvalidInstanceID.Malformed": ("InvalidInstanceID.Malformed", 'Invalid id: "{iid}"', 400),
        "InvalidInstanceAttributeValue.Type": (
            "InvalidInstanceAttributeValue",
            "Modifying the instance type from {old} to {new} is not allowed.",
            400,
        ),
        "InvalidInstanceAttributeValue.Unknown": (
            "InvalidInstanceAttributeValue",
            "Value ({value}) for parameter attribute is invalid. Unknown attribute.",
            400,
        ),
        "InvalidParameterValue.InstanceType": (
            "InvalidParameterValue",
            "Invalid value '{value}' for InstanceType.",
            400,
        ),
        "InvalidParameterValue.Architecture": (
            "InvalidParameterValue",
            "The architecture '{type_arch}' of the specified instance type does not match the architecture "
            "'{ami_arch}' of the specified AMI. Specify an instance type and an AMI that have matching "
            "architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to "
            "discover the architecture of the instance type or AMI.",
            400,
        ),
        "InvalidParameterValue.ShutdownBehavior": (
            "InvalidParameterValue",
            "Value ({value}) for parameter instanceInitiatedShutdownBehavior is invalid. "
            "Valid values are 'stop' and 'terminate'.",
            400,
        ),
        "InvalidParameterValue.UserDataSize": (
            "InvalidParameterValue",
            "User data is limited to 16384 bytes",
            400,
        ),
        "InvalidParameterValue.Count": (
            "InvalidParameterValue",
            "Invalid value '{value}' for {name}. It must be at least 1.",
            400,
        ),
        "InvalidParameterValue.Generic": ("InvalidParameterValue", "{message}", 400),
        "InvalidParameterValue.Filter": ("InvalidParameterValue", "The filter '{name}' is invalid", 400),
        "InvalidParameterValue.ReleasePublicIp": (
            "InvalidParameterValue",
            "You must specify an allocation id when releasing a VPC elastic IP address",
            400,
        ),
        "InvalidParameterCombination": ("InvalidParameterCombination", "{message}", 400),
        "MissingParameter": ("MissingParameter", "The request must contain the parameter {name}", 400),
        "VcpuLimitExceeded": (
            "VcpuLimitExceeded",
            "You have requested more vCPU capacity than your current vCPU limit of {limit} allows for the "
            "instance bucket that the specified instance type belongs to. Please visit "
            "http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
            400,
        ),
        # Addresses
        "InvalidAllocationID.NotFound": (
            "InvalidAllocationID.NotFound",
            "The allocation ID '{alloc}' does not exist",
            400,
        ),
        "InvalidAssociationID.NotFound": (
            "InvalidAssociationID.NotFound",
            "The association ID '{assoc}' does not exist",
            400,
        ),
        "InvalidAddress.NotFound": ("InvalidAddress.NotFound", "Address '{ip}' not found.", 400),
        "InvalidIPAddress.InUse": (
            "InvalidIPAddress.InUse",
            "Address {ip} is in use.",
            400,
        ),
        "AddressLimitExceeded": (
            "AddressLimitExceeded",
            "The maximum number of addresses has been reached.",
            400,
        ),
        "Resource.AlreadyAssociated": (
            "Resource.AlreadyAssociated",
            "resource {alloc} is already associated with associate-id {assoc}",
            400,
        ),
        # Images and key pairs
        "InvalidAMIID.NotFound": ("InvalidAMIID.NotFound", "The image id '[{ami}]' does not exist", 400),
        "InvalidAMIID.Malformed": ("InvalidAMIID.Malformed", 'Invalid id: "{ami}" (expecting "ami-...")', 400),
        "InvalidAMIID.Unavailable": (
            "InvalidAMIID.Unavailable",
            "Image {ami} is not available; it is in state '{state}'.",
            400,
        ),
        "InvalidAMIName.Duplicate": (
            "InvalidAMIName.Duplicate",
            "AMI name {name} is already in use by AMI {ami}",
            400,
        ),
        # [REAL] ImportKeyPair of anything but an OpenSSH/RFC 4716 RSA or ED25519 public key (CloudTrail records)
        "InvalidKey.Format": ("InvalidKey.Format", "Key is not in valid OpenSSH public key format", 400),
        "InvalidKeyPair.NotFound": ("InvalidKeyPair.NotFound", "The key pair '{name}' does not exist", 400),
        "InvalidKeyPair.Duplicate": ("InvalidKeyPair.Duplicate", "The keypair '{name}' already exists.", 400),
        # Security groups
        "InvalidGroup.NotFound": ("InvalidGroup.NotFound", "The security group '{group}' does not exist", 400),
        "InvalidGroup.NotFoundForLaunch": (
            "InvalidGroup.NotFound",
            "The security group '{group}' does not exist in VPC '{vpc}'",
            400,
        ),
        "InvalidInstanceType": (
            "InvalidInstanceType",
            "The following supplied instance types do not exist: [{types}]",
            400,
        ),
        "Paging.MaxResults": (
            "InvalidParameterValue",
            "Value ( {value} ) for parameter maxResults is invalid. Parameter must be between {lo} and {hi}.",
            400,
        ),
        "Paging.Token": ("InvalidParameterValue", "Invalid value '{token}' for nextToken.", 400),
        "Paging.WithIds": (
            "InvalidParameterCombination",
            "The parameter {ids} cannot be used with the parameter maxResults",
            400,
        ),
        "NoInstancesSpecified": ("InvalidParameterCombination", "No instances specified", 400),
        "PrivateIp.OutsideSubnet": (
            "InvalidParameterValue",
            "Address {ip} does not fall within the subnet's address range",
            400,
        ),
        "PrivateIp.Reserved": ("InvalidParameterValue", "Address {ip} is in subnet's reserved address range", 400),
        "PrivateIp.Malformed": (
            "InvalidParameterValue",
            "Value ({ip}) for parameter privateIpAddress is invalid. This is not a valid IP address.",
            400,
        ),
        "InvalidGroup.NotFoundInVpc": (
            "InvalidGroup.NotFound",
            "The security group '{group}' does not exist in default VPC '{vpc}'",
            400,
        ),
        "InvalidGroup.Duplicate": (
            "InvalidGroup.Duplicate",
            "The security group '{name}' already exists for VPC '{vpc}'",
            400,
        ),
        "InvalidGroup.Reserved": (
            "InvalidGroup.Reserved",
            "The security group 'default' is reserved",
            400,
        ),
        "CannotDelete.Default": (
            "CannotDelete",
            'the specified group: "{group}" name: "default" cannot be deleted by a user',
            400,
        ),
        "InvalidPermission.Duplicate": (
            "InvalidPermission.Duplicate",
            'the specified rule "{rule}" already exists',
            400,
        ),
        "InvalidPermission.NotFound": (
            "InvalidPermission.NotFound",
            "The specified rule does not exist in this security group.",
            400,
        ),
        "InvalidPermission.Malformed": ("InvalidPermission.Malformed", "{message}", 400),
        "DependencyViolation": ("DependencyViolation", "resource {resource} has a dependent object", 400),
        # Networking
        "InvalidVpcID.NotFound": ("InvalidVpcID.NotFound", "The vpc ID '{vpc}' does not exist", 400),
        "InvalidSubnetID.NotFound": ("InvalidSubnetID.NotFound", "The subnet ID '{subnet}' does not exist", 400),
        "InvalidSubnet.Range": ("InvalidSubnet.Range", "The CIDR '{cidr}' is invalid.", 400),
        "InvalidSubnet.Conflict": (
            "InvalidSubnet.Conflict",
            "The CIDR '{cidr}' conflicts with another subnet",
            400,
        ),
        "InvalidVolume.NotFound": ("InvalidVolume.NotFound", "The volume '{vol}' does not exist.", 400),
        "InvalidVolume.ZoneMismatch": (
            "InvalidVolume.ZoneMismatch",
            "The volume '{vol}' is not in the same availability zone as instance '{iid}'",
            400,
        ),
        "VolumeInUse.Attached": ("VolumeInUse", "{message}", 400),
        "IncorrectState.Generic": ("IncorrectState", "{message}", 400),
        "IncorrectInstanceState.Generic": ("IncorrectInstanceState", "{message}", 400),
        "InvalidAttachment.NotFound": ("InvalidAttachment.NotFound", "{message}", 400),
        "MissingParameter.Volume": (
            "MissingParameter",
            "The request must contain the parameter size or snapshotId",
            400,
        ),
        "InvalidSnapshot.NotFound": ("InvalidSnapshot.NotFound", "The snapshot '{snap}' does not exist.", 400),
        "InvalidSnapshot.InUse": ("InvalidSnapshot.InUse", "The snapshot {snap} is currently in use by {ami}", 400),
        "InvalidNetworkInterfaceID.NotFound": (
            "InvalidNetworkInterfaceID.NotFound",
            "The networkInterface ID '{eni}' does not exist",
            400,
        ),
        "InvalidNetworkInterface.InUse": ("InvalidNetworkInterface.InUse", "Interface: [{eni}] in use.", 400),
        "InvalidAttachmentID.NotFound": (
            "InvalidAttachmentID.NotFound",
            "The attachment ID '{att}' does not exist",
            400,
        ),
        "OperationNotPermitted.Generic": ("OperationNotPermitted", "{message}", 400),
        # Internet gateways, route tables, DHCP options (codes from the errors overview)
        "InvalidInternetGatewayID.NotFound": (
            "InvalidInternetGatewayID.NotFound",
            "The internetGateway ID '{igw}' does not exist",
            400,
        ),
        "InvalidRouteTableID.NotFound": (
            "InvalidRouteTableID.NotFound",
            "The routeTable ID '{rtb}' does not exist",
            400,
        ),
        "InvalidDhcpOptionsID.NotFound": (
            "InvalidDhcpOptionsID.NotFound",
            "The dhcpOption ID '{dopt}' does not exist",
            400,
        ),
        "InvalidGatewayID.NotFound": ("InvalidGatewayID.NotFound", "The gateway ID '{gateway}' does not exist", 400),
        "Resource.AlreadyAssociated.Gateway": (
            "Resource.AlreadyAssociated",
            "resource {igw} is already attached to network {vpc}",
            400,
        ),
        "Resource.AlreadyAssociated.Subnet": (
            "Resource.AlreadyAssociated",
            "the specified association for route table {rtb} conflicts with an existing association",
            400,
        ),
        "Gateway.NotAttached": ("Gateway.NotAttached", "resource {igw} is not attached to network {vpc}", 400),
        "DependencyViolation.Named": (
            "DependencyViolation",
            "The {kind} '{rid}' has dependencies and cannot be deleted.",
            400,
        ),
        "RouteAlreadyExists": ("RouteAlreadyExists", "The route identified by {cidr} already exists.", 400),
        "InvalidRoute.NotFound": (
            "InvalidRoute.NotFound",
            "no route with destination-cidr-block {cidr} in route table {rtb}",
            400,
        ),
        "MissingParameter.Target": (
            "MissingParameter",
            "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, "
            "vpcPeeringConnectionId, egressOnlyInternetGatewayId, transitGatewayId, localGatewayId, "
            "carrierGatewayId, instanceId, coreNetworkArn or vpcEndpointId",
            400,
        ),
        # [REAL] CreateVpc outside /16–/28 (Terraform and boto users quote it)
        "InvalidVpc.Range": ("InvalidVpc.Range", "The CIDR '{cidr}' is invalid.", 400),
        # Launch templates
        "InvalidLaunchTemplateName.AlreadyExistsException": (
            "InvalidLaunchTemplateName.AlreadyExistsException",
            "Launch template name already in use.",
            400,
        ),
        "InvalidLaunchTemplateName.NotFoundException": (
            "InvalidLaunchTemplateName.NotFoundException",
            "At least one of the launch templates specified in the request does not exist.",
            400,
        ),
        # [REAL] describe-launch-template-versions --launch-template-name, also RunInstances by name.
        "InvalidLaunchTemplateName.NotFoundByName": (
            "InvalidLaunchTemplateName.NotFoundException",
            "The specified launch template, with template name {name}, does not exist.",
            400,
        ),
        "LaunchTemplate.MissingNameOrId": (
            "MissingParameter",
            "The request must contain the parameter launchTemplateName or launchTemplateId",
            400,
        ),
        "LaunchTemplate.NameAndId": (
            "InvalidParameterCombination",
            "Only one of launchTemplateName or launchTemplateId may be specified",
            400,
        ),
        "InvalidLaunchTemplateId.NotFound": (
            "InvalidLaunchTemplateId.NotFound",
            "The specified launch template, with template ID {lt}, does not exist.",
            400,
        ),
        "InvalidLaunchTemplateId.VersionNotFound": (
            "InvalidLaunchTemplateId.VersionNotFound",
            "Could not find the specified version {version} for the launch template with ID {lt}.",
            400,
        ),
        "InvalidLaunchTemplateId.Malformed": (
            "InvalidLaunchTemplateId.Malformed",
            "The launch template ID '{lt}' is malformed.",
            400,
        ),
        "InvalidRegion": ("InvalidRegion", "The Region '{region}' is not available in the simulator.", 400),
        "InvalidID": ("InvalidID", 'The ID "{rid}" is not valid', 400),
        "InsufficientInstanceCapacity": (
            "InsufficientInstanceCapacity",
            "We currently do not have sufficient {itype} capacity in the Availability Zone you requested ({az}).",
            500,
        ),
    }
)
