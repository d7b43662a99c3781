"""Seeded identifiers and addresses: the same seed and the same calls give the same ids in every run."""

from __future__ import annotations

import base64
import ipaddress
import random
from functools import cache
from typing import Any

# Public IPv4 blocks Amazon announces in us-east-1 / us-west-2 (from ip-ranges.json); any would do, these
# just look familiar to a learner who has seen real instances.
_PUBLIC_BLOCKS = {
    "us-east-1": ["3.80.0.0/12", "54.144.0.0/14", "44.192.0.0/11", "18.204.0.0/14"],
    "us-west-2": ["34.208.0.0/12", "54.184.0.0/13", "44.224.0.0/11", "35.160.0.0/13"],
}
_DEFAULT_BLOCKS = ["52.0.0.0/11"]


@cache
def _network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(cidr)


@cache
def _v4_block(cidr: str) -> tuple[int, int] | None:
    """(first address as an int, size) of an IPv4 block; None for IPv6 (which takes the slow path)."""
    net = _network(cidr)
    return (int(net.network_address), net.num_addresses) if net.version == 4 else None


def _dotted(n: int) -> str:
    # Same text as str(IPv4Address(n)), without building the address object each time.
    return f"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class IdFactory:
    """Ids (`i-…`, `sg-…`), private and public IPs, key material, all from one `random.Random(seed)`."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def hex_id(self, prefix: str, length: int = 17) -> str:
        """An id like `i-0a1b2c3d4e5f60718` (AWS's long ids are 17 hex digits)."""
        # AWS's long ids usually start with 0: 17 hex digits = "0" + 16 random ones.
        return f"{prefix}-0{self.rng.getrandbits((length - 1) * 4):0{length - 1}x}"

    def token(self, nbytes: int = 32) -> str:
        """An opaque url-safe token (IMDSv2 tokens, client tokens)."""
        raw = self.rng.getrandbits(nbytes * 6).to_bytes((nbytes * 6 + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).decode()[:nbytes]

    def private_ip(self, cidr: str, taken: set[str]) -> str:
        """A free host address in `cidr`, skipping the five addresses AWS reserves in every subnet."""
        block = _v4_block(cidr)
        if block is None:
            net = _network(cidr)
            while True:
                offset = self.rng.randrange(4, net.num_addresses - 1)
                ip = str(net.network_address + offset)
                if ip not in taken:
                    return ip
        first, size = block
        bits, width = self.rng.getrandbits, size - 5
        k = width.bit_length()
        while True:
            r = bits(k)  # randrange(4, size - 1) draws exactly this way, through three Python calls
            while r >= width:
                r = bits(k)
            ip = _dotted(first + 4 + r)
            if ip not in taken:
                return ip

    def public_ip(self, region: str, taken: set[str]) -> str:
        """A public IPv4 from Amazon's blocks for `region`, never one already handed out."""
        blocks = _PUBLIC_BLOCKS.get(region, _DEFAULT_BLOCKS)
        while True:
            block = _v4_block(self.rng.choice(blocks))
            assert block is not None  # Amazon's public blocks above are all IPv4
            first, size = block
            ip = _dotted(first + self.rng.randrange(1, size - 1))
            if ip not in taken and not ip.endswith((".0", ".255")):
                return ip

    def mac(self) -> str:
        """A MAC address in the locally administered range EC2 uses (`0a:…` / `0e:…`)."""
        return f"0e:{self._byte():02x}:{self._byte():02x}:{self._byte():02x}:{self._byte():02x}:{self._byte():02x}"

    def _byte(self) -> int:
        """`rng.randrange(256)`, the same draws (9 bits, rejected until < 256) without its three Python calls."""
        bits = self.rng.getrandbits
        r = bits(9)
        while r >= 256:
            r = bits(9)
        return r

    def getstate(self) -> list[Any]:
        """The generator state as JSON-ready lists (for snapshots)."""
        version, internal, gauss = self.rng.getstate()
        return [version, list(internal), gauss]

    def setstate(self, state: list[Any]) -> None:
        """Restore the generator from `getstate()`'s output."""
        version, internal, gauss = state
        self.rng.setstate((version, tuple(internal), gauss))
