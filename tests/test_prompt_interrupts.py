"""Ctrl-C is never lost, whenever it comes: while a prompt waits (a key), or as the prompt closes (a SIGINT).

In a terminal, a Ctrl-C typed while a prompt is up is a key (raw mode); typed between two prompts it is a SIGINT.
prompt_toolkit's own SIGINT handler stayed installed while a finished prompt closed, and fed the SIGINT to that
finished prompt, which dropped it: the learner's Ctrl-C did nothing and the next question came up (the quiz and
exam pty tests hung on it under load). These tests send the SIGINT at that moment, deterministically.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def keys(text: str) -> Iterator[None]:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(text)
        yield


def test_a_sigint_as_the_answer_prompt_closes_interrupts(home: object) -> None:
    from awsprep.cli import prompts

    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # what a learner's process has
    done: list[str] = []

    def submit(text: str) -> prompts.Reply:
        done.append(text)
        return prompts.Reply(done=True)

    def after_key() -> None:
        if done:  # Enter was taken and the prompt is closing: now the Ctrl-C comes
            os.kill(os.getpid(), signal.SIGINT)

    with keys("a\r"), pytest.raises(KeyboardInterrupt):
        prompts.choose("AB", submit, hint="Choose one.", single=True, on_key=after_key)
    assert done == ["a"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # nothing left behind for the next prompt


def test_ctrl_c_at_a_prompt_is_a_keyboard_interrupt(home: object) -> None:
    from awsprep.cli import prompts

    with keys("\x03"), pytest.raises(KeyboardInterrupt):
        prompts.choose("AB", lambda _t: prompts.Reply(done=True), hint="Choose one.", single=True)
    with keys("\x03"), pytest.raises(KeyboardInterrupt):
        prompts.confirm("Resume it?")
    with keys("\x03"), pytest.raises(KeyboardInterrupt):
        prompts.key("Rate it: 1-4", {"1": 1, "2": 2})
