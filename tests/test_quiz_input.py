"""Bad input to `awsprep quiz`: one clear line, exit 2, and a suggestion where one helps."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--topic", "ec2.elastic-ipp"], "unknown topic 'ec2.elastic-ipp'"),
        (["--area", "lamda"], "unknown area 'lamda'"),
        (["--domain", "5"], "unknown domain 5"),
        (["--topic", "ec2.elastic-ip", "--count", "9999"], "questions match; use --count"),
        (["--topic", "ec2.elastic-ip", "--count", "0"], "--count must be at least 1"),
    ],
)
def test_bad_filters(cli, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("quiz", *args, "--answers", "A")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_misspelt_topic_gets_a_suggestion(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("quiz", "--topic", "ec2.elastic-ipp", "--answers", "A")
    assert "did you mean ec2.elastic-ip" in result.stderr


def test_a_misspelt_area_gets_a_suggestion(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("quiz", "--area", "lamda", "--answers", "A")
    assert "did you mean lambda" in result.stderr
