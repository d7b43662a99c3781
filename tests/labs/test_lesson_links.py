"""The sandbox's line for a service the simulator does not run points to the lesson (issue 17), and only to
topics of the catalog that have one; the simulator itself only passes the service name to a hint callback."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprep.content.catalog import load_catalog
from awsprep.labs.lesson_links import SERVICE_TOPICS, lesson_hint
from awsprep.sim import World, run_cli
from awsprep.sim.core import registry


def test_the_hint_links_only_topics_that_have_a_lesson() -> None:
    assert lesson_hint("dynamodb", frozenset({"dynamodb.basics"})) == "read the lesson: awsprep study dynamodb.basics"
    assert lesson_hint("dynamodb", frozenset({"dynamodb.queries-indexes"})) == (
        "read the lesson: awsprep study dynamodb.queries-indexes"
    )
    assert lesson_hint("dynamodb", frozenset()) is None
    assert lesson_hint("no-such-service", frozenset({"dynamodb.basics"})) is None


# the topic ids planned for issue 17 (/work/wt/signals/new-topics.md); writers add them with their lessons
PLANNED = {
    "dev.sdk-and-retries",
    "dev.architecture-patterns",
    "dynamodb.basics",
    "dynamodb.queries-indexes",
    "dynamodb.advanced",
    "s3.basics",
    "s3.developer-features",
    "elasticache.caching",
    "rds.developer",
    "apigw.basics",
    "apigw.advanced",
    "appsync.graphql",
    "sqs.queues",
    "sns.pubsub",
    "eventbridge.events",
    "kinesis.streams",
    "stepfunctions.workflows",
    "lambda.event-source-mappings",
    "lambda.vpc-access",
    "iam.roles-sts",
    "iam.policy-evaluation",
    "cognito.user-pools",
    "cognito.identity-pools",
    "kms.keys",
    "encryption.at-rest-in-transit",
    "acm.certificates",
    "secrets.secrets-manager",
    "secrets.parameter-store",
    "security.sensitive-data",
    "cfn.templates",
    "sam.applications",
    "cdk.apps",
    "cicd.codepipeline",
    "cicd.codebuild",
    "cicd.codedeploy",
    "cicd.codeartifact-repos",
    "beanstalk.deployments",
    "containers.ecs-ecr-fargate",
    "deploy.strategies",
    "appconfig.feature-flags",
    "amplify.apps",
    "testing.dev-environments",
    "cloudwatch.logs-insights",
    "cloudwatch.metrics-emf",
    "xray.tracing",
    "cloudtrail.auditing",
    "troubleshooting.errors-throttling",
    "optimization.caching-performance",
    "cloudfront.developer",
}


def test_every_mapped_topic_is_in_the_catalog_or_planned() -> None:
    known = {t.id for t in load_catalog().topics}
    mapped = {t for topics in SERVICE_TOPICS.values() for t in topics}
    assert mapped <= known | PLANNED, mapped - known - PLANNED


def test_the_simulator_passes_the_refused_service_to_the_hint() -> None:
    seen: list[str] = []

    def hint(service: str) -> str | None:
        seen.append(service)
        return "read the lesson: awsprep study dynamodb.basics"

    world = World()
    res = run_cli(world, ["dynamodb", "list-tables"], hint=hint)
    assert res.exit_code == 255 and seen == ["dynamodb"]
    assert res.stderr == (
        "awsprep does not simulate dynamodb list-tables; read the lesson: awsprep study dynamodb.basics\n"
    )
    seen.clear()
    ok = run_cli(world, ["ec2", "describe-instances"], hint=hint)
    assert ok.exit_code == 0 and seen == []  # a simulated service is never refused
    local = run_cli(world, ["s3", "sync", ".", "s3://b"], hint=hint)
    assert seen == ["s3"] and "read the lesson" in local.stderr  # s3 is not simulated at all
    assert run_cli(world, ["dynamodb", "list-tables"]).stderr == "awsprep does not simulate dynamodb list-tables.\n"


def test_the_sandbox_points_to_the_lesson(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Through the real entry point: the sandbox installs the catalog's lessons; lambda.basics ships today."""
    if "lambda" in registry.simulated():
        pytest.skip("lambda is simulated now: its commands are no longer refused")
    script = tmp_path / "s.sh"
    script.write_text("aws lambda list-functions\naws dynamodb list-tables\n")
    r = cli("sandbox", "--script", str(script))
    text = r.stdout + r.stderr
    assert "(lambda) is planned; read the lesson: awsprep study lambda.basics" in text
    dynamo = next(line for line in text.splitlines() if "does not simulate dynamodb" in line)
    known = set(load_catalog().lesson_by_topic)
    assert ("read the lesson: awsprep study dynamodb.basics" in dynamo) == ("dynamodb.basics" in known)


def test_the_shipped_catalog_links_a_lesson_that_exists() -> None:
    lessons = frozenset(load_catalog().lesson_by_topic)
    for service in SERVICE_TOPICS:
        hint = lesson_hint(service, lessons)
        if hint is not None:
            assert hint.rsplit(" ", 1)[1] in lessons
