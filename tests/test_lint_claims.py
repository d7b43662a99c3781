"""The absolute-word lint: words found and harmless uses left alone, the reference rule, and file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprep.content.catalog import load_sources
from awsprep.content.lint_claims import absolute_words, lint_claims
from conftest import shown

FIXTURE = Path(__file__).parent / "fixtures" / "claims"
QUESTIONS = shown(FIXTURE / "content/questions/demo.claims.yaml")
LESSON = shown(FIXTURE / "content/lessons/demo.claims.yaml")
RULES = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("EC2 never keeps it, and it always changes.", ["never", "always"]),
        ("You cannot, can not or can't do it.", ["cannot", "can not", "can't"]),
        ("It can’t be moved.", ["can't"]),
        ("Only the owner, and all accounts, none of them.", ["only", "all", "none"]),
        ("NEVER in capitals", ["never"]),
        ("not only this, no token at all, allows all outbound, all traffic, all-or-nothing", []),
        ("read-only access, a write-only field, root-only tasks, an IPv6-only subnet", []),
        ("| Default | None | **None**: no inbound | All ICMP - IPv4 |", []),
        ("Before.\n```bash\n# allow SSH from one address only\naws ec2 run-instances\n```\nAfter, never.", ["never"]),
        ("the literal `--protocol all` and `only` in code", []),
        ("Allowance, overall, installed, nonempty, forever", []),
    ],
)
def test_absolute_words(text: str, words: list[str]) -> None:
    assert absolute_words(text) == words


@pytest.fixture(scope="module")
def findings() -> list[str]:
    return [str(f) for f in lint_claims(load_sources(FIXTURE))]


def test_each_unsourced_claim_is_reported_at_its_place(findings: list[str]) -> None:
    assert findings == [
        f'{QUESTIONS}:15:22: claims-q01: option B: absolute "never" with no `source` on the option '
        "(cite the page that says so, or say what is true and when)",
        f'{QUESTIONS}:18:22: claims-q01: option C: absolute "can\'t" with no `source` on the option '
        "(cite the page that says so, or say what is true and when)",
        f"{QUESTIONS}:46:17: claims-q02: option D: source {RULES} is not in the question's references",
        f"{LESSON}:8:11: demo.claims: section 'Without a page': absolute \"always\" with no `sources` on the section",
        f"{LESSON}:17:14: demo.claims: section 'With a page the lesson does not list': source {RULES} "
        "is not in the lesson's references",
    ]


def test_the_lint_runs_in_validate_strict(findings: list[str]) -> None:
    from awsprep.content.lint import lint

    everything = [str(f) for f in lint(load_sources(FIXTURE))]
    assert set(findings) <= set(everything)


def test_the_lint_runs_on_given_files_at_their_real_paths(cli) -> None:  # type: ignore[no-untyped-def]
    questions = FIXTURE / "content/questions/demo.claims.yaml"
    result = cli("validate", "--strict", str(questions))
    assert result.exit_code == 1
    assert f'{questions}:15:22: claims-q01: option B: absolute "never"' in result.stderr
