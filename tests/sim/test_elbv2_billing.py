"""Load balancer billing (https://aws.amazon.com/elasticloadbalancing/pricing/, us-east-1): $0.0225 per
load-balancer-hour for an ALB and an NLB; LCU-hours at $0.008 (ALB) and NLCU-hours at $0.006 (NLB), each the
highest dimension used in the hour. A new connection per second is 1/25 of an ALB LCU but 1/800 of an NLB's
NLCU (TCP): the same traffic costs an NLB far fewer capacity units."""

from __future__ import annotations

import pytest

from awsprep.sim import World, bill, elbv2
from awsprep.sim.net import http_request
from tests.sim.elb_helpers import estate
from tests.sim.test_elbv2_nlb import _nlb


def _items(world: World, kind: str) -> list[tuple[float, float, float]]:
    return [(i.quantity, i.rate, i.cost) for i in bill(world).items if i.kind == kind]


def test_an_alb_pays_its_hours_and_an_lcu_for_25_new_connections_a_second(world: World) -> None:
    e = estate(world)
    world.advance(200)
    for _ in range(900):  # one request, one new connection, each
        elbv2.request(world, e.lb, "/")
    world.advance(3600)
    ((quantity, rate, cost),) = _items(world, "alb-lcu")
    assert cost == pytest.approx(quantity * 0.008, abs=1e-6)
    assert rate == 0.008 and quantity == pytest.approx(900 / (25 * 3600))
    hours = _items(world, "alb")
    assert hours and hours[0][1] == 0.0225 and hours[0][0] == pytest.approx((3600 + 200) / 3600, abs=0.02)


def test_an_nlb_counts_800_new_tcp_connections_a_second_per_nlcu(world: World) -> None:
    _e, lb, _eips = _nlb(world, "0.0.0.0/0")
    world.advance(200)
    for _ in range(900):
        http_request(world, lb["DNSName"], 80)
    world.advance(3600)
    ((quantity, rate, _cost),) = _items(world, "nlb-lcu")
    assert rate == 0.006 and quantity == pytest.approx(900 / (800 * 3600))
    assert _items(world, "nlb")[0][1] == 0.0225
