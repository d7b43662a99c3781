"""The one place where a local path the in-process AWS CLI opens is confined to the sandbox's folder.

awscli opens local files in several places of its own: `file://` and `fileb://` parameter values (also inside
shorthand values and `--cli-input-json`), streaming-blob parameters (a path), and custom arguments such as
`ec2 get-password-data --priv-launch-key` or the outfile of `lambda invoke`. Rewriting argv cannot find them all
(`--flag=value`, any position, nested values), so this module hooks awscli where it opens them, after its own
parser has run, and sends every path through `Confinement.path`.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Custom argument classes whose value is a local path the CLI opens (reads or writes) itself.
PATH_ARGUMENTS = {
    "awscli.customizations.ec2.decryptpassword.LaunchKeyArgument",
    "awscli.customizations.streamingoutputarg.StreamingOutputArgument",
    "awscli.customizations.s3events.S3SelectStreamOutputArgument",
    "awscli.customizations.iamvirtmfa.FileArgument",
    "awscli.customizations.arguments.QueryOutFileArgument",
}
DENIED = "Permission denied (outside the sandbox folder)"


class OutsideSandbox(PermissionError):
    """A path that would leave the sandbox's folder (awscli prints the message as its error line)."""


@dataclass
class Confinement:
    """Paths resolve inside `root` (`~` is `root`); with no root, no local file may be opened at all."""

    root: Path | None = None

    def path(self, value: str) -> str:
        """The host path for a path the learner gave, or `OutsideSandbox`."""
        if value == os.devnull:  # `> /dev/null` and `lambda invoke … /dev/null` are too common to refuse
            return value
        if self.root is None:
            raise OutsideSandbox(f"{value}: Permission denied (no local files are reachable here)")
        if not value or "\x00" in value:
            raise FileNotFoundError(f"{value.replace(chr(0), '')}: No such file or directory")
        rel = value
        if rel == "~" or rel.startswith("~/"):
            rel = rel[2:] or "."
        root = self.root.resolve()
        if os.path.isabs(rel) or rel.startswith("\\"):
            raise OutsideSandbox(f"{value}: {DENIED}")
        target = (root / rel).resolve()
        text = str(target)
        # awscli expands $VARS and ~ in some paths after we hand them over: a path that would change is refused.
        if root not in (target, *target.parents) or os.path.expandvars(text) != text:
            raise OutsideSandbox(f"{value}: {DENIED}")
        return text

    # ----- the hooks -------------------------------------------------------------------------------------
    def install(self, session: Any) -> None:
        """Route every local file awscli opens through `path` (call once per driver)."""
        from awscli import paramfile

        # awscli registers its file:// / http:// handler on every `session-initialized`; use its own handler
        # over the local prefixes only (no URL is ever fetched). The prefix map is the same dict object that
        # shorthand values and `--cli-input-json` read files through, so patching it covers them too.
        session.unregister("session-initialized", paramfile.register_uri_param_handler)
        paramfile.LOCAL_PREFIX_MAP["file://"] = (self._get_file, {"mode": "r"})
        paramfile.LOCAL_PREFIX_MAP["fileb://"] = (self._get_file, {"mode": "rb"})
        session.register("load-cli-arg", paramfile.URIArgumentHandler(paramfile.LOCAL_PREFIX_MAP))

    def _get_file(self, prefix: str, path: str, mode: str) -> str | bytes:
        from awscli.paramfile import ResourceLoadingError

        try:
            with open(self.path(path[len(prefix) :]), mode, encoding=None if "b" in mode else "utf-8") as f:
                data: str | bytes = f.read()
                return data
        except UnicodeDecodeError:
            raise ResourceLoadingError(
                f"Unable to load paramfile ({path}), text contents could not be decoded. If this is a binary "
                "file, please use the fileb:// prefix instead of the file:// prefix."
            ) from None
        except OSError as err:
            raise ResourceLoadingError(f"Unable to load paramfile {path}: {err}") from None

    def confine_argument(self, arg: Any) -> None:
        """Make a path-valued argument (see `is_path_argument`) open only confined paths."""
        original = arg.add_to_params

        def add_to_params(parameters: dict[str, Any], value: Any, *, _original: Any = original) -> None:
            if isinstance(value, str):
                value = self.path(value)
            _original(parameters, value)

        arg.add_to_params = functools.wraps(original)(add_to_params)


def is_path_argument(arg: Any) -> bool:
    """Whether the CLI treats this argument's value as a local path and opens it itself."""
    cls = type(arg)
    if f"{cls.__module__}.{cls.__name__}" in PATH_ARGUMENTS:
        return True
    model = getattr(arg, "argument_model", None)  # a streaming blob input (`--body PATH`) is a path too
    return bool(model is not None and model.type_name == "blob" and model.serialization.get("streaming"))
