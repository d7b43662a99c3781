"""The first paint (cli/prompts.py `_painted_first`) only happens on a real terminal; anywhere else it steps
aside without a sound, so prompt_toolkit alone handles the prompt as before."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

CODE = """
from awsprep.cli import prompts
p = prompts._ChoicePrompt("AB", lambda t: prompts.Reply(done=True), "Pick one.", True, None, None, None, None)
with prompts._painted_first(p):
    pass
print("ok", p.erase_first == "", "prompt_toolkit" in __import__("sys").modules)
"""


def test_no_first_paint_without_a_terminal() -> None:
    env = {**os.environ, "TERM": "xterm"}
    with open(os.devnull) as null:
        proc = subprocess.run(
            [sys.executable, "-c", CODE], stdin=null, capture_output=True, text=True, env=env, cwd=ROOT, check=False
        )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "ok True False\n"  # nothing painted, nothing to erase, the prompt library not loaded
