"""Lambda through the real front ends: the AWS CLI writes Invoke's payload to its outfile, boto3 reads it as a
stream (the glue turns a streaming blob into a StreamingBody), and a throttle's Reason reaches boto3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from awsprep.sim import World, boto3_session, lambda_, run_cli
from tests.sim.lambda_helpers import create, package


@pytest.fixture
def lw() -> World:
    world = World(seed=2)
    lambda_.use_runtime(world, lambda_.FakeRuntime())
    return world


def test_cli_zip_file_and_invoke_outfile(lw: World, tmp_path: Path) -> None:
    (tmp_path / "fn.zip").write_bytes(package({"lambda_function.py": "def lambda_handler(e, c):\n    return e\n"}))
    res = run_cli(
        lw,
        [
            "lambda",
            "create-function",
            "--function-name",
            "f",
            "--runtime",
            "python3.12",
            "--role",
            "arn:aws:iam::111122223333:role/r",
            "--handler",
            "lambda_function.lambda_handler",
            "--zip-file",
            "fileb://fn.zip",
        ],
        file_root=tmp_path,
    )
    assert res.exit_code == 0, res.stderr
    assert (
        run_cli(lw, ["lambda", "wait", "function-active-v2", "--function-name", "f"], file_root=tmp_path).exit_code == 0
    )
    res = run_cli(
        lw,
        [
            "lambda",
            "invoke",
            "--function-name",
            "f",
            "--cli-binary-format",
            "raw-in-base64-out",
            "--payload",
            '{"hello": "world"}',
            "out.json",
        ],
        file_root=tmp_path,
    )
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["StatusCode"] == 200
    assert json.loads((tmp_path / "out.json").read_text()) == {"hello": "world"}


def test_boto3_reads_the_payload_stream_and_the_throttle_reason(lw: World) -> None:
    create(lw)
    client = boto3_session(lw).client("lambda", region_name="us-east-1")
    out = client.invoke(FunctionName="fn", Payload=b'{"n": 1}')
    assert json.loads(out["Payload"].read()) == {"n": 1}
    client.put_function_concurrency(FunctionName="fn", ReservedConcurrentExecutions=0)
    with pytest.raises(ClientError) as info:
        client.invoke(FunctionName="fn")
    assert info.value.response["Error"]["Code"] == "TooManyRequestsException"
    assert info.value.response["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"


def test_the_cli_retries_a_throttle_as_v2_does_and_says_so(lw: World) -> None:
    from awsprep.sim.core.metrics import metric_key

    create(lw, name="f")
    lw.call("lambda", "PutFunctionConcurrency", {"FunctionName": "f", "ReservedConcurrentExecutions": 0})
    res = run_cli(lw, ["lambda", "invoke", "--function-name", "f", "/dev/null"])
    assert res.exit_code == 255
    # spec 6.3: standard retry mode, 3 attempts; each attempt is a throttle Lambda counts
    assert (
        "An error occurred (TooManyRequestsException) when calling the Invoke operation (reached max retries: 2): "
        "Rate Exceeded." in res.stderr
    )
    series = lw.metrics.series[metric_key("AWS/Lambda", "Throttles", {"FunctionName": "f"})]
    assert sum(series.values) == 3
    missing = run_cli(lw, ["lambda", "get-function", "--function-name", "nope"])
    assert "when calling the GetFunction operation: Function not found" in missing.stderr  # not retried
