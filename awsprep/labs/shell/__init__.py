"""The sandbox shell: `Shell(world, scratch_dir).run_line(line) -> Result` (no terminal in here).

`awsprep sandbox` wraps it in a prompt; the lab runner drives the same object.
"""

from awsprep.labs.shell.base import Result
from awsprep.labs.shell.laptop import Entry, Shell
from awsprep.labs.shell.script import ScriptLine, script_lines
from awsprep.labs.shell.views import Table, bill_table, render, state_tables

__all__ = ["Entry", "Result", "ScriptLine", "Shell", "Table", "bill_table", "render", "script_lines", "state_tables"]
