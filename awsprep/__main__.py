"""Entry point: `awsprep` and `python -m awsprep`.

`--version` is answered before anything heavy is imported; every other command goes through the Typer app inside
one error boundary that turns an `AwsprepError` into a single line and an exit code.
"""

from __future__ import annotations

import sys


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("awsprep")
    except PackageNotFoundError:  # pragma: no cover - uninstalled checkout
        return "0+unknown"


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        sys.stdout.write(f"awsprep {_version()}\n")
        return
    from awsprep.cli.boundary import run

    run(args)


if __name__ == "__main__":
    main()
