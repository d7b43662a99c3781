"""`aws …` on the laptop: the real AWS CLI run in-process by the simulator, confined to the scratch folder.

The CLI driver is expensive to build (botocore loads its models), so it is built once, either by the
first `aws` command or ahead of time (`awsprep.sim.warm_up_cli`, which the CLI starts in a background thread).
"""

from __future__ import annotations

from awsprep.labs.shell.base import Result
from awsprep.labs.shell.scratch import ScratchFS
from awsprep.sim import World


def aws(world: World, fs: ScratchFS, args: list[str], env: dict[str, str]) -> Result:
    """Run `aws ARGS`; `AWS_REGION`/`AWS_DEFAULT_REGION` from the shell act like `--region`.

    Every local path the CLI opens (file://, outfiles, key files) resolves inside the scratch folder: the
    simulator's front end confines them where awscli opens them, after its own parser (`sim/frontends/confine.py`).
    """
    argv = list(args)
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
    if region and not any(a == "--region" or a.startswith("--region=") for a in argv):
        argv += ["--region", region]
    from awsprep.labs.lesson_links import lesson_hint
    from awsprep.sim import run_cli

    r = run_cli(world, argv, file_root=fs.root, hint=lesson_hint)
    return Result(r.exit_code, r.stdout, r.stderr)


# What the interactive prompt offers after `aws` and `aws ec2` (the CLI itself knows hundreds more).
AWS_SERVICES = ("ec2", "sts", "lambda", "elbv2", "autoscaling", "cloudwatch", "sqs", "sns", "logs", "help")
EC2_SUBCOMMANDS = [
    "run-instances",
    "describe-instances",
    "start-instances",
    "stop-instances",
    "reboot-instances",
    "terminate-instances",
    "describe-instance-status",
    "describe-instance-attribute",
    "modify-instance-attribute",
    "modify-instance-metadata-options",
    "get-console-output",
    "create-key-pair",
    "describe-key-pairs",
    "delete-key-pair",
    "import-key-pair",
    "create-security-group",
    "describe-security-groups",
    "delete-security-group",
    "authorize-security-group-ingress",
    "revoke-security-group-ingress",
    "authorize-security-group-egress",
    "allocate-address",
    "associate-address",
    "disassociate-address",
    "release-address",
    "describe-addresses",
    "create-image",
    "describe-images",
    "copy-image",
    "deregister-image",
    "modify-image-attribute",
    "create-launch-template",
    "create-launch-template-version",
    "describe-launch-templates",
    "describe-launch-template-versions",
    "modify-launch-template",
    "describe-volumes",
    "describe-vpcs",
    "describe-subnets",
    "create-tags",
    "describe-tags",
    "wait",
    "help",
]


def completions(words: list[str], current: str, command_names: list[str]) -> list[str]:
    """Candidates for the word being typed: a command name, an `aws` service or an `aws ec2` subcommand."""
    if not words:
        pool: list[str] | tuple[str, ...] = command_names
    elif words == ["aws"]:
        pool = AWS_SERVICES
    elif words == ["aws", "ec2"]:
        pool = EC2_SUBCOMMANDS
    else:
        return []
    return sorted(c for c in pool if c.startswith(current))
