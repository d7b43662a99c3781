"""The shipped content against the accuracy lints (issue 16 §1), over the whole bank.

Both sweeps (cloud/iam/global/ec2/vpc/billing/net and elb/asg/lambda/serverless) have landed, so every file must
pass the absolute-word lint, and the bank as a whole must keep its answer-length cues inside the gate.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest

from awsprep.content.catalog import load_sources
from awsprep.content.lint import Sources
from awsprep.content.lint_claims import lint_claims
from awsprep.content.lint_cues import RATIO_BAND, SHARE_BAND, lint_cues, measure

ROOT = Path(__file__).resolve().parent.parent
DOC_RANGES = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]


@pytest.fixture(scope="module")
def shipped() -> Sources:
    return load_sources()


def test_no_unsourced_absolute_claim_in_the_bank(shipped: Sources) -> None:
    found = [str(f) for f in lint_claims(shipped)]
    assert found == [], "\n".join(found)


def test_answer_cues_of_the_bank_are_near_chance(shipped: Sources) -> None:
    cues = measure("bank", (q for _, q in shipped.catalog.questions))
    assert cues.single > 0 and cues.multiple > 0, str(cues)
    low, high = SHARE_BAND
    for count in (cues.shortest, cues.longest):
        share = cues.share(count)
        assert share is not None and low <= share <= high, str(cues)
    assert cues.ratio is not None and RATIO_BAND[0] <= cues.ratio <= RATIO_BAND[1], str(cues)


def test_the_cue_lint_finds_nothing_in_the_bank(shipped: Sources) -> None:
    """The lint's own gate: bank outside its bands (a whole-tree check) or any file with an extreme share."""
    assert shipped.whole
    found = [str(f) for f in lint_cues(shipped)]
    assert found == [], "\n".join(found)


def test_no_real_ec2_host_name_or_notes_key_file_in_content() -> None:
    """Public DNS names in content embed documentation addresses only; the notes' own key file is not quoted."""
    host = re.compile(r"ec2-(\d+)-(\d+)-(\d+)-(\d+)\.[a-z0-9.-]*compute[a-z0-9.-]*\.amazonaws\.com")
    bad: list[str] = []
    for path in sorted([*ROOT.glob("content/**/*.yaml"), *ROOT.glob("decks/*.yaml")]):
        text = path.read_text(encoding="utf-8")
        for m in host.finditer(text):
            address = ipaddress.ip_address(".".join(m.groups()))
            if not any(address in net for net in DOC_RANGES):
                bad.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
        bad += [f"{path.relative_to(ROOT)}: key file from the notes" for _ in re.finditer(r"mykeypair", text, re.I)]
    assert bad == []
