"""Application-based stickiness (sticky-sessions.html): the target's own cookie makes the ALB add AWSALBAPP-0;
both cookies sent back keep the session on one target for the configured duration, which every response
starts over; without the application's cookie, or after the duration, requests are balanced again."""

from __future__ import annotations

import pytest

from awsprep.sim import World, elbv2
from awsprep.sim.core.endpoint import HttpResponse
from awsprep.sim.core.errors import AwsError
from tests.sim.elb_helpers import Estate, call, estate
from tests.sim.test_elbv2_latency import php_page


def app_sticky(world: World, duration: int = 60) -> Estate:
    e = estate(world)
    for iid in e.instances:
        php_page(world, iid, "/cart.php", "<?php session_start(); echo gethostname(); ?>")
    call(
        world,
        "ModifyTargetGroupAttributes",
        TargetGroupArn=e.tg,
        Attributes=[
            {"Key": "stickiness.enabled", "Value": "true"},
            {"Key": "stickiness.type", "Value": "app_cookie"},
            {"Key": "stickiness.app_cookie.cookie_name", "Value": "PHPSESSID"},
            {"Key": "stickiness.app_cookie.duration_seconds", "Value": str(duration)},
        ],
    )
    world.advance(200)
    return e


def jar(response: HttpResponse, cookies: dict[str, str]) -> dict[str, str]:
    """What a client keeps: every Set-Cookie's name and value."""
    for c in response.set_cookies:
        name, _, rest = c.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    return cookies


def send(world: World, e: Estate, cookies: dict[str, str], path: str = "/cart.php") -> HttpResponse:
    header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    return elbv2.request(world, e.lb, path, headers=header)


def test_the_application_cookie_makes_the_alb_add_awsalbapp_and_requests_stick(world: World) -> None:
    e = app_sticky(world)
    first = send(world, e, {})
    names = [c.split("=", 1)[0] for c in first.set_cookies]
    assert names == ["PHPSESSID", "AWSALBAPP-0"]
    albapp = first.set_cookies[1]
    assert "; Expires=" in albapp and albapp.endswith(" GMT; Path=/") and "Max-Age" not in albapp
    cookies = jar(first, {})
    for _ in range(6):
        again = send(world, e, cookies)
        assert again.answered_by == first.answered_by
        assert [c.split("=", 1)[0] for c in again.set_cookies] == ["AWSALBAPP-0"]  # the duration starts over
        jar(again, cookies)
        world.advance(40)  # 40 s between requests: within the 60 s each response renews
    without_app_cookie = {send(world, e, {"AWSALBAPP-0": cookies["AWSALBAPP-0"]}).answered_by for _ in range(4)}
    assert len(without_app_cookie) == 2  # both cookies are needed


def test_the_session_ends_after_the_duration_and_a_page_without_the_cookie_adds_none(world: World) -> None:
    e = app_sticky(world, duration=30)
    cookies = jar(send(world, e, {}), {})
    world.advance(31)
    seen = {send(world, e, dict(cookies), "/").answered_by for _ in range(4)}
    assert len(seen) == 2  # expired: balanced again
    plain = send(world, e, {}, "/")
    assert plain.set_cookies == []  # the application set no cookie, so the ALB adds none


def test_a_session_on_a_failed_target_moves_and_sticks_to_the_new_one(world: World) -> None:
    from awsprep.sim import ec2

    e = app_sticky(world)
    first = send(world, e, {})
    cookies = jar(first, {})
    failed = first.answered_by.split(":")[0]
    ec2.backend(world).stop_serving(failed, 80)
    world.advance(30)  # two failed checks at the 10 s interval: unhealthy
    moved = send(world, e, cookies, "/")
    assert moved.answered_by != first.answered_by and moved.set_cookies[0].startswith("AWSALBAPP-0=")
    jar(moved, cookies)
    assert {send(world, e, cookies, "/").answered_by for _ in range(4)} == {moved.answered_by}


def test_reserved_cookie_names_are_refused(world: World) -> None:
    e = estate(world)
    with pytest.raises(AwsError) as err:
        call(
            world,
            "ModifyTargetGroupAttributes",
            TargetGroupArn=e.tg,
            Attributes=[
                {"Key": "stickiness.enabled", "Value": "true"},
                {"Key": "stickiness.type", "Value": "app_cookie"},
                {"Key": "stickiness.app_cookie.cookie_name", "Value": "AWSALBTG"},
            ],
        )
    assert err.value.code == "ValidationError"
