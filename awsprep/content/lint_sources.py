"""Citations of SDK-generated reference pages (`awsprep validate --strict`).

The pages under docs.aws.amazon.com/sdk-for-kotlin/api/, the Javadoc and the other SDKs' generated API references
are built from the service model for one language's programmers. A learner preparing for the exam should be sent to
the service's own guide or API reference (for DynamoDB's Query, `amazondynamodb/latest/APIReference/API_Query.html`),
which carries the same parameter text and is what the exam is written from. SDK developer guides (how to use an
SDK) are not generated references and stay allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from awsprep.content.lint import Finding, Sources

GENERATED = re.compile(
    r"https?://docs\.aws\.amazon\.com/(?:"
    r"sdk-for-[a-z0-9-]+/(?:v\d+/)?api(?:/|-reference/|$)"  # Kotlin, Rust, Swift, Java v2, Go v2 … references
    r"|AWSJavaSDK/latest/javadoc/|AWSJavaScriptSDK/|sdkfornet/v3/apidocs/|sdk-for-go/api/|aws-sdk-php/v3/api/"
    r")",
    re.IGNORECASE,
)


def lint_sources(sources: Sources) -> Iterator[Finding]:
    """Each citation of a generated SDK reference, at the file:line:col of the field that holds it."""
    for model in sources.models():
        for name in type(model).model_fields:
            value = getattr(model, name)
            urls = (
                [(None, value)] if isinstance(value, str) else list(enumerate(value)) if isinstance(value, list) else []
            )
            for index, url in urls:
                if isinstance(url, str) and GENERATED.match(url):
                    where = (name,) if index is None else (name, index)
                    yield sources.finding(
                        model,
                        _item(sources, model),
                        f"{url} is an SDK's generated reference: cite the service's guide or API reference instead",
                        *where,
                    )


def _item(sources: Sources, model: BaseModel) -> str:
    item = getattr(model, "id", None)
    item = item if isinstance(item, str) else getattr(model, "topic", None)
    return item if isinstance(item, str) else sources.path_of(model)
