"""Lambda's fixed facts: runtimes, quotas, timings and prices (each with its source)."""

from __future__ import annotations

from awsprep.sim.core.pricing import Price, flat

# Runtimes the control plane accepts (botocore's enum, the ones still creatable). Only Python ones run here,
# on the host's Python (the minor version a function names is shown, not enforced).
PYTHON_RUNTIMES = ("python3.9", "python3.10", "python3.11", "python3.12", "python3.13")
OTHER_RUNTIMES = (
    "nodejs18.x",
    "nodejs20.x",
    "nodejs22.x",
    "java11",
    "java17",
    "java21",
    "java8.al2",
    "dotnet8",
    "ruby3.2",
    "ruby3.3",
    "provided.al2",
    "provided.al2023",
)
RUNTIMES = PYTHON_RUNTIMES + OTHER_RUNTIMES

# Quotas (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, API_Invoke.html).
ACCOUNT_CONCURRENCY = 1000
MIN_UNRESERVED = 100
SYNC_PAYLOAD = 6 * 1024 * 1024  # 6 MB
ASYNC_PAYLOAD = 1024 * 1024  # 1 MB (raised from 256 KB)
# A synchronous response is limited to 6 MB too; the error Lambda returns names this figure (6 MB + 100 bytes)
# [INF: observed answers, the API reference gives no message]
RESPONSE_PAYLOAD = 6291556
MAX_LAYERS = 5
CODE_STORAGE = 80530636800  # 75 GB of code per Region
ZIPPED_MAX = 52428800  # 50 MB direct upload
UNZIPPED_MAX = 262144000  # 250 MB
TAIL_BYTES = 4096  # --log-type Tail: the last 4 KB of the log

# Scaling (https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html): per function, 1,000 new
# execution environments every 10 seconds, refilled continuously, not accumulated.
SCALE_BURST = 1000
SCALE_PER_SECOND = 100.0

# Timings on the virtual clock [INF where AWS publishes no figure].
PENDING_SECONDS = 1.0  # create/update: Pending -> Active, InProgress -> Successful
PROVISIONED_SECONDS = 120.0  # provisioned concurrency IN_PROGRESS -> READY ("over minutes")
# INIT is limited to 10 s on demand; past that Lambda retries it at the first invocation under the function's
# timeout. Provisioned environments may take max(130 s, timeout) (lambda-runtime-environment.html).
INIT_LIMIT_S = 10.0
PROVISIONED_INIT_LIMIT_S = 130.0
IDLE_REAP_SECONDS = 600.0  # an idle environment is reclaimed (LocalStack's default keep-alive; AWS does not say)
RETRY_DELAYS = (60.0, 120.0)  # async function-error retries: about 1, then 2 minutes (invocation-async)
THROTTLE_FIRST, THROTTLE_MAX = 1.0, 300.0  # async throttle backoff from 1 s up to 5 minutes
DEFAULT_MAX_AGE = 21600  # 6 hours
ESM_POLL_SECONDS = 1.0  # the SQS poller looks at the queue once a simulated second [INF: AWS long-polls]
ESM_BATCHES = 5  # "Lambda starts processing five batches at a time with five concurrent invocations" (with-sqs.html)
DEFAULT_RETRIES = 2

# Prices (https://aws.amazon.com/lambda/pricing/, US East (N. Virginia), used for every Region), by architecture.
# Requests and x86/arm duration as the page lists them ($0.20 per 1M requests; $0.0000166667 / $0.0000133334 per
# GB-second); the provisioned concurrency, provisioned duration and ephemeral storage rates are the page's
# us-east-1 figures as of 2025 (the page renders its tables in the browser, so they could not be re-read here).
REQUEST = 0.20 / 1_000_000
DURATION = {"x86_64": 0.0000166667, "arm64": 0.0000133334}  # per GB-second
PROVISIONED = {"x86_64": 0.0000041667, "arm64": 0.0000033334}  # per GB-second configured
PROVISIONED_DURATION = {"x86_64": 0.0000097222, "arm64": 0.0000077778}  # per GB-second run on provisioned
EPHEMERAL = 0.0000000309  # per GB-second of ephemeral storage above 512 MB


def _per_arch(rates: dict[str, float], hourly: bool = False) -> Price:
    scale = 3600.0 if hourly else 1.0
    if hourly:
        return Price(lambda rec: rates.get(rec.unit, rates["x86_64"]) * scale, "hour", "USD/GB-hour", "GB-hours")
    return Price(lambda rec: rates.get(rec.unit, rates["x86_64"]), "request", "USD/GB-second", "GB-seconds")


PRICES = {
    "lambda-requests": flat(REQUEST, "request", "USD/request", "requests"),
    "lambda-duration": _per_arch(DURATION),
    "lambda-provisioned-duration": _per_arch(PROVISIONED_DURATION),
    # provisioned concurrency is charged for time configured: a record open from put to delete, quantity = GB
    "lambda-provisioned": _per_arch(PROVISIONED, hourly=True),
    "lambda-ephemeral-storage": flat(EPHEMERAL, "request", "USD/GB-second", "GB-seconds"),
}
