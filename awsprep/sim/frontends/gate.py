"""What the in-process AWS CLI may run: the world's simulated services' API operations, `help` and `wait`.

Everything else awscli offers is refused before it dispatches: other services, and the CLI's own high-level
commands (`s3 sync`, `cloudformation package`, `deploy push`, `ecs execute-command`, `configure`, …), which
open host files or start host programs themselves. The service and operation are found with awscli's own
parsers, so global options before the service name (`--region X`, `--region=X`, `--output`) change nothing.
Arguments are an allowlist too: an argument class awscli adds that is neither known harmless nor a path
(confined by `confine.py`) is refused when used.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from typing import Any

from awsprep.sim.core.registry import not_simulated_message
from awsprep.sim.frontends.confine import Confinement, is_path_argument

# Custom argument classes known to open nothing and start nothing (they reshape parameters or output).
SAFE_ARGUMENTS = {
    "awscli.customizations.cliinputjson.CliInputJSONArgument",  # reads files only through file:// (confined)
    "awscli.customizations.generatecliskeleton.GenerateCliSkeletonArgument",
    "awscli.customizations.paginate.PageArgument",
    "awscli.customizations.ec2.addcount.CountArgument",
    "awscli.customizations.ec2.bundleinstance.BundleArgument",
    "awscli.customizations.ec2.runinstances.AssociatePublicIpAddressArgument",
    "awscli.customizations.ec2.runinstances.NoAssociatePublicIpAddressArgument",
    "awscli.customizations.ec2.runinstances.SecondaryPrivateIpAddressCountArgument",
    "awscli.customizations.ec2.runinstances.SecondaryPrivateIpAddressesArgument",
    "awscli.customizations.ec2.secgroupsimplify.CidrArgument",
    "awscli.customizations.ec2.secgroupsimplify.GroupOwnerArgument",
    "awscli.customizations.ec2.secgroupsimplify.PortArgument",
    "awscli.customizations.ec2.secgroupsimplify.ProtocolArgument",
    "awscli.customizations.ec2.secgroupsimplify.SourceGroupArgument",
    "awscli.customizations.toplevelbool.NegativeBooleanParameter",
    "awscli.customizations.toplevelbool.PositiveBooleanArgument",
    "awscli.customizations.awslambda.ZipFileArgument",  # takes fileb:// content (confined)
    "awscli.customizations.awslambda.ReplacedZipFileArgument",
    "awscli.customizations.putmetricdata.PutMetricArgument",
    "awscli.customizations.arguments.StatefulArgument",  # keeps its value for a handler (e.g. iam's outfile's)
}
# Model arguments: their values become API parameters (a streaming blob is a path: confine.py handles it).
MODEL_ARGUMENTS = {"awscli.arguments.CLIArgument", "awscli.arguments.ListArgument", "awscli.arguments.BooleanArgument"}
CONFIG_COMMANDS = {"configure", "sso", "login", "logout", "history"}


@dataclass(frozen=True)
class Refusal:
    """Why a command may not run; `service` names a whole service the world does not simulate (so a caller that
    knows the content can point to a lesson), else None."""

    text: str
    service: str | None = None


class NotSimulated(Exception):
    """Raised from inside awscli (it prints the message as its error line and exits 255)."""


def refusal(driver: Any, argv: list[str], services: list[str]) -> Refusal | None:
    """The one-line reason `aws ARGV` may not run here, or None when it may (or awscli will refuse it itself)."""
    from awscli.clidriver import ServiceCommand, ServiceOperation
    from awscli.customizations.waiters import WaitCommand

    table = driver._get_command_table()
    parsed = _parse(driver._create_parser(table), argv)
    if parsed is None:  # a usage error or --version: awscli prints it when it runs
        return None
    top, remaining = parsed
    if top.debug:
        return Refusal("awsprep does not simulate aws --debug: its log would describe the host computer, not AWS.")
    if top.ca_bundle:
        return Refusal("awsprep does not simulate aws --ca-bundle: no TLS connection is ever made.")
    name = top.command
    if name == "help":
        return None
    if name in CONFIG_COMMANDS:
        return Refusal(f"aws {name}: not available in the awsprep simulator (credentials and Region are simulated)")
    command = table[name]
    if type(command) is not ServiceCommand or command.service_model.service_name not in services:
        return Refusal(not_simulated_message(name, _operation_word(command, remaining)), name)
    sub = _parse(command._create_parser(), remaining)
    if sub is None:
        return None
    operation = sub[0].operation
    entry = command._get_command_table().get(operation)
    if operation == "help" or type(entry) is ServiceOperation or isinstance(entry, WaitCommand):
        return None
    return Refusal(
        f"awsprep does not simulate {name} {operation}: it is an AWS CLI command that works on the local "
        "computer's files or programs, which the sandbox does not reach."
    )


def _operation_word(command: Any, remaining: list[str]) -> str | None:
    """The operation to name in a not-simulated line (`help` names the service alone)."""
    from awscli.clidriver import ServiceCommand

    if type(command) is ServiceCommand:
        sub = _parse(command._create_parser(), remaining)
        if sub is not None:
            return None if sub[0].operation == "help" else str(sub[0].operation)
    words = [w for w in remaining if not w.startswith("-")]
    return words[0] if words and words[0] != "help" else None


def _parse(parser: Any, argv: list[str]) -> tuple[Any, list[str]] | None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            parsed, remaining = parser.parse_known_args(argv)
        except SystemExit:
            return None
    return parsed, remaining


class ArgumentGuard:
    """Checks each operation's argument table just before awscli parses it (the table is final then)."""

    def __init__(self, confinement: Confinement) -> None:
        self.confinement = confinement

    def register(self, events: Any) -> None:
        """Run after every other handler of the event (customizations add their arguments there)."""
        events.register_last("before-building-argument-table-parser", self.check, unique_id="awsprep-arguments")

    def check(self, argument_table: dict[str, Any], **kwargs: Any) -> None:
        """Confine path arguments; make unknown custom arguments refuse to run when they are used."""
        for name, arg in argument_table.items():
            if getattr(arg, "_awsprep_checked", False):  # tables are cached with the driver: wrap once
                continue
            cls = type(arg)
            qualified = f"{cls.__module__}.{cls.__name__}"
            if is_path_argument(arg):
                self.confinement.confine_argument(arg)
            elif qualified not in SAFE_ARGUMENTS | MODEL_ARGUMENTS:
                _refuse_when_used(arg, name)
            arg._awsprep_checked = True


def _refuse_when_used(arg: Any, name: str) -> None:
    original = arg.add_to_params

    def add_to_params(parameters: dict[str, Any], value: Any) -> None:
        if value is not None:
            raise NotSimulated(f"awsprep does not simulate --{name}: the sandbox cannot check what it does.")
        original(parameters, value)

    arg.add_to_params = add_to_params
