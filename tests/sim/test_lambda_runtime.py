"""The real runtime: each execution environment is a separate, limited Python process (few tests: processes
cost time on a shared machine; everything else uses the fake runtime)."""

from __future__ import annotations

import base64
import os
import signal

import pytest

from awsprep.sim import World, lambda_
from awsprep.sim.lambda_.procruntime import ProcessRuntime
from tests.sim.lambda_helpers import create, invoke, log_lines, package

ENV_CODE = """
import os, json
def lambda_handler(event, context):
    with open("/tmp/seen", "a") as f:
        f.write("x")
    return {
        "env": {k: os.environ.get(k) for k in ("AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                "AWS_ACCESS_KEY_ID", "MY_SETTING", "HOME_SECRET", "AWS_REGION", "LAMBDA_TASK_ROOT")},
        "tmp": open("/tmp/seen").read(),
        "left": context.get_remaining_time_in_millis(),
        "arn": context.invoked_function_arn,
        "name": context.function_name,
        "cwd_files": sorted(os.listdir("/var/task")),
    }
"""


@pytest.fixture
def real_world() -> World:
    world = World(seed=3)
    lambda_.use_runtime(world, ProcessRuntime(max_workers=2))
    yield world
    world.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not alive: reap it if it is our child
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def test_warm_environment_keeps_module_state_tmp_and_counts_down(real_world: World, monkeypatch) -> None:
    monkeypatch.setenv("HOME_SECRET", "from-the-learners-shell")
    create(real_world, code=ENV_CODE, Environment={"Variables": {"MY_SETTING": "on"}}, Timeout=5)
    first = invoke(real_world, LogType="Tail")
    second = invoke(real_world)
    env = first["Payload"]["env"]
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "fn" and env["MY_SETTING"] == "on"
    assert env["HOME_SECRET"] is None  # nothing from the learner's shell
    assert env["AWS_ACCESS_KEY_ID"] == "ASIAIOSFODNN7EXAMPLE"  # simulated credentials only
    assert env["LAMBDA_TASK_ROOT"] == "/var/task" and env["AWS_REGION"] == "us-east-1"
    assert first["Payload"]["cwd_files"] == ["lambda_function.py"]
    assert (first["Payload"]["tmp"], second["Payload"]["tmp"]) == ("x", "xx")  # same environment, /tmp persists
    assert 4000 < first["Payload"]["left"] <= 5000
    log = base64.b64decode(first["LogResult"]).decode()
    assert log.startswith("START RequestId: ") and "Init Duration:" in log
    reports = [line for line in log_lines(real_world) if line.startswith("REPORT")]
    assert len(reports) == 2 and "Init Duration" in reports[0] and "Init Duration" not in reports[1]
    assert "init ran" not in "\n".join(log_lines(real_world))  # ENV_CODE prints nothing at init


def test_timeout_kills_the_worker_and_the_next_call_is_cold(real_world: World) -> None:
    create(
        real_world,
        code="import time\nN = 0\ndef lambda_handler(e, c):\n    global N\n    N += 1\n"
        "    if e.get('sleep'):\n        time.sleep(60)\n    return N\n",
        Timeout=1,
    )
    assert invoke(real_world)["Payload"] == 1
    out = invoke(real_world, payload={"sleep": True})
    assert out["FunctionError"] == "Unhandled"
    assert out["Payload"]["errorType"] == "Sandbox.Timedout"
    assert out["Payload"]["errorMessage"].endswith("Error: Task timed out after 1.00 seconds")
    assert invoke(real_world)["Payload"] == 1  # a new environment: module state starts again


BAD = {
    "fork": ("import os\ndef lambda_handler(e, c):\n    return os.fork()\n", "PermissionError"),
    "subprocess": (
        "import subprocess\ndef lambda_handler(e, c):\n    return subprocess.run(['id']).returncode\n",
        "PermissionError",
    ),
    "memory": ("def lambda_handler(e, c):\n    return len(bytearray(400 * 1024 * 1024))\n", "Runtime.OutOfMemory"),
    "not_json": ("def lambda_handler(e, c):\n    return {1, 2}\n", "Runtime.MarshalError"),
    "outside": ("def lambda_handler(e, c):\n    return open('/etc/hostname').read()\n", "PermissionError"),
    "read_only_task": ("def lambda_handler(e, c):\n    open('/var/task/x', 'w').write('x')\n", "OSError"),
    "exit": ("import os\ndef lambda_handler(e, c):\n    os._exit(3)\n", "Runtime.ExitError"),
    "open_files": (  # Lambda's 1,024 file descriptors
        "import os\ndef lambda_handler(e, c):\n    return [os.open('/dev/null', os.O_RDONLY) for _ in range(2000)]\n",
        "OSError",
    ),
    "signal_parent": ("import os\ndef lambda_handler(e, c):\n    os.kill(os.getppid(), 9)\n", "PermissionError"),
    "network": (
        "import socket\ndef lambda_handler(e, c):\n    socket.create_connection(('192.0.2.1', 80))\n",
        "OSError",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_handlers_get_aws_shaped_errors_and_leave_the_pool_usable(real_world: World, case: str) -> None:
    code, error_type = BAD[case]
    create(real_world, code=code, MemorySize=128)
    out = invoke(real_world)
    assert out["StatusCode"] == 200 and out["FunctionError"] == "Unhandled"
    assert out["Payload"]["errorType"] == error_type
    create(real_world, name="ok", code="def lambda_handler(e, c):\n    return 'fine'\n")
    assert invoke(real_world, "ok")["Payload"] == "fine"


def test_printing_megabytes_keeps_a_bounded_log(real_world: World) -> None:
    create(real_world, code="def lambda_handler(e, c):\n    print('x' * 3_000_000)\n    return 1\n")
    out = invoke(real_world, LogType="Tail")
    assert out["Payload"] == 1
    assert len(base64.b64decode(out["LogResult"])) <= 4096
    assert any("more bytes of output were dropped" in m for m in log_lines(real_world))


INIT_ERRORS = {
    "missing module": (
        {"other.py": "x = 1\n"},
        "lambda_function.lambda_handler",
        "Runtime.ImportModuleError",
        "Unable to import module 'lambda_function': No module named 'lambda_function'",
    ),
    "no handler": (
        {"lambda_function.py": "def other(e, c):\n    return 1\n"},
        "lambda_function.lambda_handler",
        "Runtime.HandlerNotFound",
        "Handler 'lambda_handler' missing on module 'lambda_function'",
    ),
    "syntax": (
        {"lambda_function.py": "def lambda_handler(e, c)\n    return 1\n"},
        "lambda_function.lambda_handler",
        "Runtime.UserCodeSyntaxError",
        "Syntax error in module 'lambda_function': expected ':'",
    ),
    "malformed name": (
        {"lambda_function.py": ""},
        "lambda_handler",
        "Runtime.MalformedHandlerName",
        "Bad handler 'lambda_handler': not enough values to unpack (expected 2, got 1)",
    ),
}


@pytest.mark.parametrize("case", sorted(INIT_ERRORS))
def test_init_errors_are_reported_as_the_python_runtime_does(real_world: World, case: str) -> None:
    files, handler, error_type, message = INIT_ERRORS[case]
    real_world.call(
        "lambda",
        "CreateFunction",
        {
            "FunctionName": "fn",
            "Runtime": "python3.12",
            "Role": "arn:aws:iam::111122223333:role/r",
            "Handler": handler,
            "Code": {"ZipFile": package(files)},
        },
    )
    real_world.advance(1)
    out = invoke(real_world)
    assert out["FunctionError"] == "Unhandled"
    assert out["Payload"]["errorType"] == error_type
    assert out["Payload"]["errorMessage"].startswith(message)


def test_no_worker_outlives_reset_close_or_a_collected_world() -> None:
    world = World(seed=1)
    runtime = ProcessRuntime(max_workers=2)
    lambda_.use_runtime(world, runtime)
    create(world)
    invoke(world)
    pids = runtime.pids()
    assert pids and all(_alive(p) for p in pids)
    world.reset()
    assert runtime.live() == 0 and not any(_alive(p) for p in pids)
    create(world)
    invoke(world)
    pids = runtime.pids()
    world.close()
    assert not any(_alive(p) for p in pids)


def test_a_worker_dies_with_its_parent_signal() -> None:
    # PR_SET_PDEATHSIG in the worker: if awsprep is killed outright, the kernel kills the worker too.
    assert signal.SIGKILL == 9


SYS_PATH_CODE = """
import os, sys, helper
HERE = os.path.dirname(__file__)
def lambda_handler(event, context):
    return {"path": sys.path[:3], "data": open(os.path.join(HERE, "data.txt")).read(), "helper": helper.X}
"""


def test_sys_path_names_var_task_and_opt_and_files_beside_the_handler_open(real_world: World) -> None:
    layer = real_world.call(
        "lambda",
        "PublishLayerVersion",
        {"LayerName": "h", "Content": {"ZipFile": package({"python/helper.py": "X = 'from the layer'\n"})}},
    )
    real_world.call(
        "lambda",
        "CreateFunction",
        {
            "FunctionName": "fn",
            "Runtime": "python3.12",
            "Role": "arn:aws:iam::111122223333:role/r",
            "Handler": "lambda_function.lambda_handler",
            "Layers": [layer["LayerVersionArn"]],
            "Code": {"ZipFile": package({"lambda_function.py": SYS_PATH_CODE, "data.txt": "beside the handler"})},
        },
    )
    real_world.advance(1)
    out = invoke(real_world)["Payload"]
    # the Python layer paths of packaging-layers.html, after the function's own folder
    assert out["path"] == ["/var/task", "/opt/python/lib/python3.12/site-packages", "/opt/python"]
    assert out["data"] == "beside the handler"  # __file__ is a real folder, under /tmp on most hosts
    assert out["helper"] == "from the layer"


def test_an_init_past_its_limit_is_reported_and_retried_within_the_first_invocation(
    real_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from awsprep.sim.lambda_ import catalog

    monkeypatch.setattr(catalog, "INIT_LIMIT_S", 0.5)  # 10 s on AWS: shortened so the test stays quick
    slow = "import time\nprint('init starts')\ntime.sleep(0.8)\ndef lambda_handler(e, c):\n    return 'ok'\n"
    create(real_world, code=slow, Timeout=5)
    out = invoke(real_world)
    assert out["Payload"] == "ok" and "FunctionError" not in out  # the retried INIT ran under the 5 s timeout
    lines = log_lines(real_world)
    first = next(i for i, line in enumerate(lines) if line.startswith("INIT_REPORT"))
    assert lines[first].startswith("INIT_REPORT Init Duration: ") and lines[first].endswith(
        "Phase: init\tStatus: timeout"
    )
    start = next(i for i, line in enumerate(lines) if line.startswith("START"))
    assert first < start and "init starts" in lines[start + 1 :]  # the second INIT's output is the invocation's
    report = next(line for line in lines if line.startswith("REPORT"))
    assert "Init Duration" not in report and float(report.split("Duration: ")[1].split(" ms")[0]) >= 800
    create(
        real_world, name="stuck", code="import time\ntime.sleep(60)\ndef lambda_handler(e, c):\n    pass\n", Timeout=1
    )
    out = invoke(real_world, "stuck")
    assert out["Payload"]["errorType"] == "Sandbox.Timedout"
    assert out["Payload"]["errorMessage"].endswith("Task timed out after 1.00 seconds")


LOGGING_CODE = """
import logging
logger = logging.getLogger()
logger.warning("at init")
def lambda_handler(event, context):
    logger.info("not shown: the root logger starts at WARNING")
    logger.setLevel(logging.INFO)
    logger.info("order %s", 7)
    return 1
"""


def test_logging_output_reaches_the_log_as_the_python_runtime_formats_it(real_world: World) -> None:
    create(real_world, code=LOGGING_CODE)
    assert invoke(real_world)["Payload"] == 1
    lines = log_lines(real_world)
    request_id = next(line for line in lines if line.startswith("START")).split()[2]
    init = next(line for line in lines if line.endswith("at init"))
    info = next(line for line in lines if line.endswith("order 7"))
    level, stamp, rid, _ = info.split("\t")
    assert (level, rid) == ("[INFO]", request_id)
    assert stamp.startswith("2025-01-06T09:00:") and stamp.endswith("Z")  # the simulated clock, not the host's
    assert init.startswith("[WARNING]\t2025-01-06T09:00:")
    assert not any("not shown" in line for line in lines)
