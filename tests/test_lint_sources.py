"""The SDK-generated-reference lint: such a citation is reported where it is written; guides are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprep.content.catalog import load_sources
from awsprep.content.lint_sources import GENERATED, lint_sources

KOTLIN = (
    "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/sqs/aws.sdk.kotlin.services.sqs.model/"
    "-send-message-request/delay-seconds.html"
)


@pytest.mark.parametrize(
    ("url", "generated"),
    [
        (KOTLIN, True),
        ("https://docs.aws.amazon.com/sdkfornet/v3/apidocs/items/DynamoDBv2/MIDynamoDBScanScanRequest.html", True),
        ("https://docs.aws.amazon.com/AWSJavaSDK/latest/javadoc/com/amazonaws/services/sqs/AmazonSQS.html", True),
        ("https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/home.html", False),  # a guide, not generated
        ("https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html", False),
        ("https://docs.aws.amazon.com/lambda/latest/dg/welcome.html", False),
    ],
)
def test_generated_references_are_told_from_guides(url: str, generated: bool) -> None:
    assert bool(GENERATED.match(url)) is generated


def test_the_shipped_content_cites_no_generated_reference() -> None:
    assert [str(f) for f in lint_sources(load_sources())] == []


def test_a_generated_reference_is_reported_at_its_place(content_copy: Path, cli) -> None:  # type: ignore[no-untyped-def]
    deck = content_copy / "decks" / "lambda.layers.yaml"
    text = deck.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip().startswith("source: "))
    deck.write_text(text.replace(first, first.split("source: ")[0] + "source: " + KOTLIN, 1), encoding="utf-8")
    line = 1 + text.splitlines().index(first)
    col = 1 + first.index("source: ") + len("source: ")

    found = [str(f) for f in lint_sources(load_sources(content_copy))]

    assert found == [
        f"{deck}:{line}:{col}: lambda-layers-n01: {KOTLIN} is an SDK's generated reference: "
        "cite the service's guide or API reference instead"
    ]
    result = cli("validate", "--strict", str(deck))
    assert result.exit_code == 1 and "an SDK's generated reference" in result.stderr
