"""IMDS (spec §3), the billing meter, reachability, snapshots and state-machine invariants."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from awsprep.sim import Outcome, World, bill, connect, ec2, http_get, imds_request

from .conftest import describe, launch

TTL = {"X-aws-ec2-metadata-token-ttl-seconds": "60"}


def test_imds_v2_token_flow(world: World) -> None:
    iid = launch(world)  # AL2023: HttpTokens=required
    assert imds_request(world, iid, "GET", "/latest/meta-data/instance-id").status == 401
    status, headers, token = imds_request(world, iid, "PUT", "/latest/api/token", TTL)
    assert status == 200 and headers["x-aws-ec2-metadata-token-ttl-seconds"] == "60"
    got = imds_request(world, iid, "GET", "/latest/meta-data/instance-id", {"X-aws-ec2-metadata-token": token})
    assert (got.status, got.body) == (200, iid)
    assert (
        imds_request(world, iid, "GET", "/latest/meta-data/ami-id", {"X-aws-ec2-metadata-token": "bad"}).status == 401
    )
    world.advance(61)
    assert imds_request(world, iid, "GET", "/latest/meta-data/", {"X-aws-ec2-metadata-token": token}).status == 401


def test_imds_token_errors(world: World) -> None:
    iid = launch(world)
    assert imds_request(world, iid, "PUT", "/latest/api/token").status == 400
    assert imds_request(world, iid, "PUT", "/latest/api/token", {TTL_KEY: "21601"}).status == 400
    assert imds_request(world, iid, "PUT", "/latest/api/token", {TTL_KEY: "0"}).status == 400
    assert imds_request(world, iid, "PUT", "/2021-03-23/api/token", TTL).status == 403
    assert imds_request(world, iid, "PUT", "/latest/api/token", {**TTL, "X-Forwarded-For": "1.2.3.4"}).status == 403


TTL_KEY = "X-aws-ec2-metadata-token-ttl-seconds"


def test_imds_v1_paths_and_public_ip_rules(world: World) -> None:
    iid = launch(world, MetadataOptions={"HttpTokens": "optional"})
    get = lambda p: imds_request(world, iid, "GET", p)  # noqa: E731
    assert (
        get("/latest/meta-data/placement/availability-zone").body
        == describe(world, iid)["Placement"]["AvailabilityZone"]
    )
    assert get("/latest/meta-data/security-groups").body == "default"
    assert get("/latest/meta-data/local-ipv4").body == describe(world, iid)["PrivateIpAddress"]
    assert "placement/" in get("/latest/meta-data/").body.splitlines()
    assert get("/latest/user-data").status == 404
    doc = json.loads(get("/latest/dynamic/instance-identity/document").body)
    assert doc["instanceId"] == iid and doc["accountId"] == "111122223333"
    ip = get("/latest/meta-data/public-ipv4").body
    world.call("ec2", "RebootInstances", {"InstanceIds": [iid]})
    assert get("/latest/meta-data/public-ipv4").body == ip
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    world.call("ec2", "StartInstances", {"InstanceIds": [iid]})
    world.advance(30)
    assert get("/latest/meta-data/public-ipv4").body != ip
    assert json.loads(get("/latest/dynamic/instance-identity/document").body)["pendingTime"] != doc["pendingTime"]


def test_imds_user_data_and_metadata_options(world: World) -> None:
    iid = launch(world, UserData="ZWNobyBoaQ==", MetadataOptions={"HttpTokens": "optional"})
    assert imds_request(world, iid, "GET", "/latest/user-data").body == "echo hi"
    out = world.call("ec2", "ModifyInstanceMetadataOptions", {"InstanceId": iid, "HttpTokens": "required"})
    assert out["InstanceMetadataOptions"]["State"] == "pending"
    assert imds_request(world, iid, "GET", "/latest/user-data").status == 401
    world.call("ec2", "ModifyInstanceMetadataOptions", {"InstanceId": iid, "HttpEndpoint": "disabled"})
    assert imds_request(world, iid, "GET", "/latest/meta-data/").status == 403
    assert imds_request(world, iid, "GET", "/latest/meta-data/nope").status == 403


def test_imds_public_ipv4_404_without_public_ip(world: World) -> None:
    iid = launch(
        world,
        MetadataOptions={"HttpTokens": "optional"},
        NetworkInterfaces=[{"DeviceIndex": 0, "AssociatePublicIpAddress": False}],
    )
    assert imds_request(world, iid, "GET", "/latest/meta-data/public-ipv4").status == 404
    eip = world.call("ec2", "AllocateAddress", {})
    world.call("ec2", "AssociateAddress", {"AllocationId": eip["AllocationId"], "InstanceId": iid})
    assert imds_request(world, iid, "GET", "/latest/meta-data/public-ipv4").body == eip["PublicIp"]


def test_billing_per_second_minimum_minute_ebs_and_ipv4(world: World) -> None:
    iid = launch(world, boot=False)
    world.advance(10)  # boot finishes at 10 s
    world.advance(30)
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    items = {i.kind: i for i in bill(world).items}
    assert abs(items["instance"].quantity - 60 / 3600) < 1e-9  # 30 s running, billed the 60 s minimum
    world.advance(3600)
    items = {i.kind: i for i in bill(world).items}
    assert abs(items["instance"].cost - 0.0104 * 60 / 3600) < 1e-9  # stopped: no more instance cost
    assert items["ebs"].running and items["ebs"].cost > 0  # the volume keeps costing
    eip = world.call("ec2", "AllocateAddress", {})
    world.advance(3600)
    idle = next(i for i in bill(world).items if i.resource_id == eip["AllocationId"])
    assert abs(idle.cost - 0.005) < 1e-9
    assert abs(bill(world).total - sum(i.cost for i in bill(world).items)) < 1e-12


def test_reachability_timeout_refused_connected(world: World) -> None:
    sg = world.call("ec2", "CreateSecurityGroup", {"GroupName": "web", "Description": "web"})["GroupId"]
    iid = launch(world, SecurityGroupIds=[sg])
    ip = describe(world, iid)["PublicIpAddress"]
    assert connect(world, ip, 80).outcome is Outcome.TIMEOUT
    world.call(
        "ec2",
        "AuthorizeSecurityGroupIngress",
        {
            "GroupId": sg,
            "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
            ],
        },
    )
    assert connect(world, ip, 80).outcome is Outcome.REFUSED
    ec2.backend(world).serve_http(iid, 80, "<h1>hello</h1>")
    reply = http_get(world, ip)
    assert (reply.status, reply.body) == (200, "<h1>hello</h1>")
    assert connect(world, ip, 0, "icmp").outcome is Outcome.TIMEOUT
    peer = launch(world, SecurityGroupIds=[sg])
    world.call(
        "ec2",
        "AuthorizeSecurityGroupIngress",
        {
            "GroupId": sg,
            "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "UserIdGroupPairs": [{"GroupId": sg}]}
            ],
        },
    )
    private = describe(world, iid)["PrivateIpAddress"]
    assert connect(world, private, 22, source=peer).outcome is Outcome.CONNECTED
    assert connect(world, ip, 22).outcome is Outcome.TIMEOUT
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    assert connect(world, ip, 80).outcome is Outcome.TIMEOUT


def test_snapshot_restore_round_trip_through_json(world: World) -> None:
    iid = launch(world, boot=False)
    world.call("ec2", "CreateKeyPair", {"KeyName": "k"})
    saved = world.save()
    world.advance(30)
    restored = World.load(saved)
    assert describe(restored, iid)["State"]["Name"] == "pending"
    restored.advance(30)
    assert describe(restored, iid) == describe(world, iid)
    assert restored.snapshot() == json.loads(json.dumps(world.snapshot()))


def test_same_seed_same_world() -> None:
    a, b = World(seed=3), World(seed=3)
    assert describe(a, launch(a)) == describe(b, launch(b))
    a.reset()
    assert a.call("ec2", "DescribeInstances", {})["Reservations"] == []


OPS = st.lists(
    st.tuples(st.sampled_from(["start", "stop", "reboot", "terminate", "advance", "shutdown"]), st.integers(0, 40)),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(OPS)
def test_state_machine_invariants(ops: list[tuple[str, int]]) -> None:
    world = World(seed=1)
    iid = launch(world, boot=False)
    calls = {
        "start": "StartInstances",
        "stop": "StopInstances",
        "reboot": "RebootInstances",
        "terminate": "TerminateInstances",
    }
    for op, n in ops:
        if op == "advance":
            world.advance(n)
        elif op == "shutdown":
            ec2.backend(world).os_shutdown(iid)
        else:
            try:
                world.call("ec2", calls[op], {"InstanceIds": [iid]})
            except Exception as exc:  # only real AWS errors are allowed
                assert type(exc).__name__ == "AwsError"
        inst = ec2.backend(world).state.instances.get(iid)
        if inst is None:
            return
        public = ec2.backend(world).public_address(inst)
        assert (public is not None) == (inst.state == "running")  # a public IP only while running
        open_instance_meter = f"instance/{iid}" in world.meter.open
        assert open_instance_meter == (inst.state == "running")  # billed only while running
        if inst.state == "terminated":
            assert all(v.instance_id != iid for v in ec2.backend(world).state.volumes.values())


def test_the_web_server_answers_sub_paths_even_behind_the_test_page(world: World) -> None:
    """One web server for `curl` and lab checks: files under the web root are served even when `/` is Apache's
    403 test page (no index.html), a missing file is 404, and a method other than GET/HEAD is 405."""
    from awsprep.sim.net import serve

    sg = world.call("ec2", "CreateSecurityGroup", {"GroupName": "web", "Description": "web"})["GroupId"]
    world.call(
        "ec2",
        "AuthorizeSecurityGroupIngress",
        {"GroupId": sg, "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
    )
    iid = launch(world, SecurityGroupIds=[sg])
    ec2.backend(world).serve_http(iid, 80, "Apache test page", status=403)
    ec2.backend(world).instance(iid).guest["pages"] = {"80/about.html": "<p>about</p>"}
    ip = describe(world, iid)["PublicIpAddress"]

    assert serve(world, iid, 80)[:2] == (403, "Apache test page")
    assert serve(world, iid, 80, "GET", "/about.html?x=1")[:2] == (200, "<p>about</p>")
    assert serve(world, iid, 80, "GET", "/missing")[0] == 404
    assert serve(world, iid, 80, "POST", "/")[0] == 405
    assert serve(world, iid, 22) is None  # sshd, not HTTP
    reply = http_get(world, ip, path="/about.html")  # what a lab check sees is what curl sees
    assert (reply.status, reply.body) == (200, "<p>about</p>")
