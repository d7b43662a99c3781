"""SNS's own address on the simulated internet, `sns.REGION.amazonaws.com`, so the links SNS sends can be
followed with `curl`: the `SubscribeURL` of an HTTP/HTTPS or email-json confirmation
(`/?Action=ConfirmSubscription&TopicArn=…&Token=…`, answered with ConfirmSubscription's XML, as the developer
guide's "visit the SubscribeURL" step shows), the email's confirmation link (`/confirmation.html?…`, a small HTML
page) and the unsubscribe link of a notification (`/?Action=Unsubscribe&SubscriptionArn=…`).

The address is a fixed documentation-range one (198.51.100.10, TEST-NET-2), so following links never takes an
address from the pool instances get theirs from. The endpoint exists in a Region once SNS is used there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from awsprep.sim.core.endpoint import Endpoint, HttpRequest, HttpResponse
from awsprep.sim.core.errors import AwsError

if TYPE_CHECKING:
    from awsprep.sim.world import World

ADDRESS = "198.51.100.10"
XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/"


def endpoints(world: World, region: str) -> list[Endpoint]:
    if not world.has_region_state("sns", region):
        return []
    return [
        Endpoint(
            endpoint_id=f"sns-{region}",
            kind="service",
            service="sns",
            region=region,
            vpc_id="",
            private_ip=None,
            public_ip=ADDRESS,
            public_names=(f"sns.{region}.amazonaws.com",),
            internet=True,
            unfiltered=True,
            listens=lambda port, proto: proto == "tcp" and port in (80, 443),
            http=lambda request: _answer(world, region, request),
        )
    ]


def _xml(status: int, body: str) -> HttpResponse:
    return HttpResponse(status, {"Content-Type": "text/xml"}, f'<?xml version="1.0"?>\n{body}\n')


def _error(request_id: str, code: str, message: str) -> HttpResponse:
    return _xml(
        400,
        f'<ErrorResponse xmlns="{XMLNS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>{code}</Code>\n'
        f"    <Message>{message}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n"
        "</ErrorResponse>",
    )


def _answer(world: World, region: str, request: HttpRequest) -> HttpResponse:
    from awsprep.sim.sns.api import backend

    b = backend(world, region)
    parts = urlsplit(request.path)
    q: dict[str, Any] = {k: v[0] for k, v in parse_qs(parts.query).items()}
    action = q.get("Action")
    try:
        if action == "ConfirmSubscription" or parts.path.endswith("/confirmation.html"):
            from awsprep.sim.sns.subscriptions import confirm

            sub = confirm(b, str(q.get("TopicArn") or ""), str(q.get("Token") or ""))
            if parts.path.endswith("/confirmation.html"):
                return HttpResponse(
                    200,
                    {"Content-Type": "text/html; charset=UTF-8"},
                    "<html><body><h1>Subscription confirmed!</h1>\n"
                    f"<p>You have successfully subscribed.</p><p>Your subscription's id is: {sub.arn}</p>"
                    "</body></html>\n",
                )
            return _xml(
                200,
                f'<ConfirmSubscriptionResponse xmlns="{XMLNS}">\n  <ConfirmSubscriptionResult>\n'
                f"    <SubscriptionArn>{sub.arn}</SubscriptionArn>\n  </ConfirmSubscriptionResult>\n"
                f"  <ResponseMetadata>\n    <RequestId>{b.new_uuid()}</RequestId>\n  </ResponseMetadata>\n"
                "</ConfirmSubscriptionResponse>",
            )
        if action == "Unsubscribe" or parts.path.endswith("/unsubscribe.html"):
            from awsprep.sim.sns.subscriptions import unsubscribe

            unsubscribe(b, {"SubscriptionArn": q.get("SubscriptionArn")})
            return _xml(
                200,
                f'<UnsubscribeResponse xmlns="{XMLNS}">\n  <ResponseMetadata>\n'
                f"    <RequestId>{b.new_uuid()}</RequestId>\n  </ResponseMetadata>\n</UnsubscribeResponse>",
            )
    except AwsError as err:
        return _error(b.new_uuid(), err.code, err.message)
    return _error(b.new_uuid(), "InvalidAction", f"The action {action or 'None'} is not valid for this web service.")
