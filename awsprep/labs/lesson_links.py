"""Which lesson to read about a service the simulator does not run. The simulator knows no content, so this
map lives here, in the layer that joins content and simulator; only topics of the catalog that have a lesson
are ever linked (a planned topic without its lesson yet is skipped)."""

from __future__ import annotations

# AWS CLI command name -> topic ids, best first (ids as in content/topics.yaml; see signals in issue 17)
SERVICE_TOPICS: dict[str, tuple[str, ...]] = {
    "dynamodb": ("dynamodb.basics", "dynamodb.queries-indexes"),
    "dynamodbstreams": ("dynamodb.advanced", "lambda.event-source-mappings"),
    "dax": ("dynamodb.advanced",),
    "s3": ("s3.basics",),
    "s3api": ("s3.basics", "s3.developer-features"),
    "apigateway": ("apigw.basics", "apigw.advanced"),
    "apigatewayv2": ("apigw.basics",),
    "appsync": ("appsync.graphql",),
    "sqs": ("sqs.queues",),
    "sns": ("sns.pubsub",),
    "events": ("eventbridge.events",),
    "scheduler": ("eventbridge.events",),
    "kinesis": ("kinesis.streams",),
    "firehose": ("kinesis.streams",),
    "stepfunctions": ("stepfunctions.workflows",),
    "elasticache": ("elasticache.caching",),
    "rds": ("rds.developer",),
    "iam": ("iam.roles-sts", "iam.policy-evaluation", "iam.users-groups"),
    "sts": ("iam.roles-sts",),
    "cognito-idp": ("cognito.user-pools",),
    "cognito-identity": ("cognito.identity-pools",),
    "kms": ("kms.keys",),
    "secretsmanager": ("secrets.secrets-manager",),
    "ssm": ("secrets.parameter-store",),
    "acm": ("acm.certificates",),
    "acm-pca": ("acm.certificates",),
    "cloudformation": ("cfn.templates", "sam.applications"),
    "codepipeline": ("cicd.codepipeline",),
    "codebuild": ("cicd.codebuild",),
    "deploy": ("cicd.codedeploy", "deploy.strategies"),
    "codeartifact": ("cicd.codeartifact-repos",),
    "codecommit": ("cicd.codeartifact-repos",),
    "elasticbeanstalk": ("beanstalk.deployments",),
    "ecs": ("containers.ecs-ecr-fargate",),
    "ecr": ("containers.ecs-ecr-fargate",),
    "appconfig": ("appconfig.feature-flags",),
    "appconfigdata": ("appconfig.feature-flags",),
    "amplify": ("amplify.apps",),
    "logs": ("cloudwatch.logs-insights",),
    "cloudwatch": ("cloudwatch.metrics-emf",),
    "xray": ("xray.tracing",),
    "cloudtrail": ("cloudtrail.auditing",),
    "cloudfront": ("cloudfront.developer",),
    "lambda": ("lambda.basics",),
    "elbv2": ("elb.types",),
    "elb": ("elb.types",),
    "autoscaling": ("asg.overview",),
    "ec2": ("ec2.overview",),
}


_installed: frozenset[str] = frozenset()


def install(lessons: frozenset[str]) -> None:
    """The topics that have a lesson, set by the command that opens the shell (it holds the catalog). The shell
    never reads content files itself: a command run in it touches nothing outside its scratch folder."""
    global _installed  # noqa: PLW0603 - one learner's shell per process
    _installed = lessons


def _lessons() -> frozenset[str]:
    return _installed


def lesson_hint(service: str, lessons: frozenset[str] | None = None) -> str | None:
    """`read the lesson: awsprep study TOPIC` for the first topic of `service` that has a lesson, else None."""
    have = _lessons() if lessons is None else lessons
    topic = next((t for t in SERVICE_TOPICS.get(service, ()) if t in have), None)
    return f"read the lesson: awsprep study {topic}" if topic else None
