"""`awsprep lab`: guided labs on the simulator."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command(epilog="Examples:\n\n  awsprep lab\n\n  awsprep lab ec2-elastic-ip")(lab)


def lab(name: Annotated[str | None, typer.Argument(help="The lab to run, e.g. ec2-elastic-ip.")] = None) -> None:
    """Run a guided lab against the bundled AWS simulator."""
    from awsprep.cli.session import open_catalog
    from awsprep.errors import AwsprepError

    catalog = open_catalog()
    if not catalog.labs:
        raise AwsprepError(
            "no labs are installed yet", hint="labs arrive with the lab runner; meanwhile try `awsprep study`"
        )
    raise AwsprepError(
        "the lab runner is not installed yet", hint=f"labs found: {', '.join(x.id for x in catalog.labs)}"
    )
