"""A small simulated cloud-init: user data runs once, at first boot, and leaves a log.

`install(world)` subscribes `on_event` to the simulator's events by name, so the subscription is part of the
world: a saved and loaded lab keeps running cloud-init. When an instance reaches `running`:
- every boot, services enabled with `systemctl enable` start again (httpd after a stop/start);
- on the first boot only, a `#!/bin/bash` user data script runs as root, without a terminal, through
  the instance shell (`yum`, `systemctl`, `echo … > file`, `mkdir`, `curl` to IMDS, `$(hostname -f)` …).
  Its output goes to `/var/log/cloud-init-output.log` (and the console output); commands the sandbox
  does not know are reported there as bash would report them, never run.
The script runs at the instant the instance reaches `running`: simulated package installs take no time.
"""

from __future__ import annotations

from awsprep.labs.shell.guest import CLOUD_INIT_LOG, Guest
from awsprep.labs.shell.instance import InstanceShell
from awsprep.labs.shell.script import script_lines
from awsprep.sim import SimEvent, World, ec2
from awsprep.sim.core.clock import to_datetime

VERSION = "22.2.2"
SCRIPT_PATH = "/var/lib/cloud/instance/scripts/part-001"
BASH_SHEBANGS = ("#!/bin/bash", "#!/bin/sh", "#!/usr/bin/env bash", "#!/usr/bin/bash")
BOOT_UP = 9.52  # seconds since kernel start that the log reports for the modules:final stage
RUN_SECONDS = 21.0


def install(world: World) -> None:
    """Run cloud-init on `world`'s instances from now on (calling it again changes nothing)."""
    world.subscribe(on_event, kinds=("instance-state", "instance-reboot"))


def on_event(world: World, event: SimEvent) -> None:
    """The simulator's event hook."""
    if event.service != "ec2":
        return
    if event.kind == "instance-state" and event.detail.get("current") == "running":
        boot(world, event.region, event.resource_id, first_boot=bool(event.detail.get("first_boot")))
    elif event.kind == "instance-reboot":
        boot(world, event.region, event.resource_id, first_boot=False)


def boot(world: World, region: str, instance_id: str, first_boot: bool) -> None:
    """What happens in the guest when it comes up."""
    b = ec2.backend(world, region)
    if instance_id not in b.state.instances or b.instance(instance_id).platform == "windows":
        return
    Guest(b, instance_id).on_boot()
    if first_boot:
        run_user_data(world, region, instance_id)


def _stamp(ts: float) -> str:
    return to_datetime(ts).strftime("%a, %d %b %Y %H:%M:%S +0000")


def run_user_data(world: World, region: str, instance_id: str) -> str:
    """Run the instance's user data as cloud-init would and return the log it wrote."""
    b = ec2.backend(world, region)
    raw = b.user_data(instance_id)
    now = world.now
    log = [f"Cloud-init v. {VERSION} running 'modules:final' at {_stamp(now)}. Up {BOOT_UP:.2f} seconds.\n"]
    status = 0
    if raw is not None:
        text = raw.decode("utf-8", errors="replace")
        first = text.lstrip().split("\n", 1)[0].strip()
        if first.startswith(BASH_SHEBANGS):
            status = _run_script(world, region, instance_id, text, log)
        elif first.startswith("#cloud-config"):
            log.append("awsprep: #cloud-config user data is not simulated; only #!/bin/bash scripts run.\n")
        elif first.startswith("#!"):
            log.append(f"awsprep: user data with '{first}' is not simulated; only #!/bin/bash scripts run.\n")
        else:
            # The classic mistake: no `#!/bin/bash` first line, so cloud-init does not treat it as a script.
            preview = text[:60].encode("unicode_escape").decode()
            log.append(f"Unhandled non-multipart (text/x-not-multipart) userdata: 'b'{preview}...''\n")
    if status != 0:
        log.append(
            f"{_stamp(now + RUN_SECONDS)} - cc_scripts_user.py[WARNING]: Failed to run module scripts-user "
            "(scripts in /var/lib/cloud/instance/scripts)\n"
            f"{_stamp(now + RUN_SECONDS)} - util.py[WARNING]: Running module scripts-user "
            "(<module 'cloudinit.config.cc_scripts_user' from '/usr/lib/python3.9/site-packages/cloudinit/config/"
            "cc_scripts_user.py'>) failed\n"
        )
    up = BOOT_UP + RUN_SECONDS
    log.append(
        f"Cloud-init v. {VERSION} finished at {_stamp(now + RUN_SECONDS)}. "
        f"Datasource DataSourceEc2.  Up {up:.2f} seconds\n"
    )
    text_log = "".join(log)
    guest = Guest(b, instance_id)
    guest.write(CLOUD_INIT_LOG, text_log, append=True)
    guest.data["console"] = str(guest.data.get("console", "")) + text_log
    return text_log


def _run_script(world: World, region: str, instance_id: str, text: str, log: list[str]) -> int:
    """Each line through a root shell without a terminal; bash carries on after a failing command."""
    shell = InstanceShell(world, instance_id, region, user="root", interactive=False)
    shell.cwd = "/"
    status = 0
    for line in script_lines(text):
        shell.prefix = f"{SCRIPT_PATH}: line {line.number}"
        result = shell.run_line(line.text, line.heredocs)
        log.append(result.stdout)
        log.append(result.stderr)
        status = result.exit_code
        if shell.exited:
            break
    return status
