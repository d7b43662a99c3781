"""Terminal control characters in text that is shown to the learner (card and content text).

C0 controls other than tab and newline, DEL and the C1 range (ESC, BEL, CSI, OSC, …) let text retitle, clear or
recolour a terminal, or write its clipboard (OSC 52). Text from outside (an imported deck) is stripped of them,
content files may not hold them, and the CLI shows any that are left (from an older import) escaped.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """The text without control characters (tab and newline stay)."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def escape_controls(text: str) -> str:
    """The text with each control character shown as a visible escape (`\\x1b`), for a terminal."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text) if CONTROL.search(text) else text


def first_control(text: str) -> int | None:
    """The offset of the first control character, or None."""
    found = CONTROL.search(text)
    return None if found is None else found.start()
