"""Key-pair material the way EC2 makes and reads it: real RSA and ED25519 keys, public-key parsing, fingerprints.

Fingerprints follow KeyPairInfo in the EC2 API reference and "Verify the fingerprint of your key pair" in the
EC2 User Guide: a key EC2 created is, for RSA, the SHA-1 of its PKCS#8 DER private key (what
`openssl pkcs8 -topk8 -nocrypt -outform DER | openssl sha1 -c` prints); an imported RSA key is the MD5 of its
DER public key (`openssl pkey -pubin -outform DER | openssl md5 -c`); ED25519 keys, created or imported, are
the base64 SHA-256 of the OpenSSH public-key blob (`ssh-keygen -l`, with the base64 padding EC2 keeps).

RSA keys are built from a shipped table of 1024-bit primes (`rsa_primes.txt`, made once with
`openssl prime -generate -bits 1024`) picked by the world's seeded generator: the keys are real (openssl and
ssh-keygen read them) and cost nothing to make, and nobody needs them to be secret in a simulator.
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

RSA_E = 65537
_RSA_OID = bytes.fromhex("06092a864886f70d0101010500")  # rsaEncryption, NULL (the AlgorithmIdentifier body)


class KeyFormatError(ValueError):
    """The material is not a public key EC2 can import."""


@dataclass(frozen=True)
class PublicKey:
    """A parsed public key: its type (`rsa` / `ed25519`) and the OpenSSH wire blob."""

    key_type: str
    blob: bytes

    def openssh(self, comment: str = "") -> str:
        """`ssh-rsa AAAA… comment` (the form DescribeKeyPairs --include-public-key shows)."""
        name = "ssh-rsa" if self.key_type == "rsa" else "ssh-ed25519"
        text = f"{name} {base64.b64encode(self.blob).decode()}"
        return f"{text} {comment}" if comment else text


@dataclass(frozen=True)
class NewKey:
    """What CreateKeyPair returns once (the private material) and keeps (public key, fingerprint)."""

    material: str
    public: PublicKey
    fingerprint: str


# ----- small encoders ----------------------------------------------------------------------------------------
def _ssh_string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _mpint(n: int) -> bytes:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return _ssh_string(b"\0" + raw if raw[0] & 0x80 else raw)  # a leading zero keeps the sign bit clear


def _der(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def _der_int(n: int) -> bytes:
    return _der(0x02, n.to_bytes(n.bit_length() // 8 + 1, "big"))


def _colons(digest: bytes) -> str:
    return ":".join(f"{b:02x}" for b in digest)


def _pem(label: str, der: bytes, width: int) -> str:
    text = base64.b64encode(der).decode()
    lines = "\n".join(text[i : i + width] for i in range(0, len(text), width))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n"


# ----- reading the OpenSSH wire format -------------------------------------------------------------------
class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def string(self) -> bytes:
        if self.pos + 4 > len(self.data):
            raise KeyFormatError("truncated")
        size = int.from_bytes(self.data[self.pos : self.pos + 4], "big")
        end = self.pos + 4 + size
        if end > len(self.data):
            raise KeyFormatError("truncated")
        out = self.data[self.pos + 4 : end]
        self.pos = end
        return out

    def uint32(self) -> int:
        value = int.from_bytes(self.data[self.pos : self.pos + 4], "big")
        self.pos += 4
        return value

    def done(self) -> bool:
        return self.pos == len(self.data)


def parse_blob(blob: bytes) -> PublicKey:
    """An OpenSSH public-key blob of a type EC2 imports (RSA or ED25519), checked field by field."""
    r = _Reader(blob)
    kind = r.string()
    if kind == b"ssh-rsa":
        e, n = int.from_bytes(r.string(), "big"), int.from_bytes(r.string(), "big")
        if not r.done() or e < 3 or n.bit_length() < 1024:
            raise KeyFormatError("bad rsa key")
        return PublicKey("rsa", blob)
    if kind == b"ssh-ed25519":
        if len(r.string()) != 32 or not r.done():
            raise KeyFormatError("bad ed25519 key")
        return PublicKey("ed25519", blob)
    raise KeyFormatError("unsupported key type")


_RFC4716 = re.compile(r"---- BEGIN SSH2 PUBLIC KEY ----(.*?)---- END SSH2 PUBLIC KEY ----", re.S)


def parse_public_key(material: bytes | str) -> PublicKey:
    """ImportKeyPair's input: an OpenSSH `ssh-rsa AAAA… comment` line, or the RFC 4716 SSH2 form."""
    text = material.decode("utf-8", "replace") if isinstance(material, bytes) else material
    text = text.strip()
    block = _RFC4716.search(text)
    try:
        if block:
            body = [ln for ln in block.group(1).strip().splitlines() if ":" not in ln]
            blob = base64.b64decode("".join(ln.strip() for ln in body), validate=True)
        else:
            parts = text.split()
            if len(parts) < 2 or parts[0] not in ("ssh-rsa", "ssh-ed25519"):
                raise KeyFormatError("not an OpenSSH public key")
            blob = base64.b64decode(parts[1], validate=True)
            if _Reader(blob).string().decode(errors="replace") != parts[0]:
                raise KeyFormatError("key type does not match the blob")
    except (ValueError, UnicodeError) as exc:
        raise KeyFormatError(str(exc)) from None
    return parse_blob(blob)


def blob_of(openssh: str) -> bytes | None:
    """The blob of a stored `ssh-… AAAA… comment` line (None for text that is not one)."""
    try:
        return parse_public_key(openssh).blob
    except KeyFormatError:
        return None


def _rsa_numbers(blob: bytes) -> tuple[int, int]:
    r = _Reader(blob)
    r.string()
    e = int.from_bytes(r.string(), "big")
    return e, int.from_bytes(r.string(), "big")


def imported_fingerprint(key: PublicKey) -> str:
    """Fingerprint EC2 shows for an imported key (MD5 of the DER public key, or SHA-256 for ED25519)."""
    if key.key_type == "ed25519":
        return _sha256_b64(key.blob)
    e, n = _rsa_numbers(key.blob)
    rsa_public = _der(0x30, _der_int(n) + _der_int(e))
    spki = _der(0x30, _der(0x30, _RSA_OID) + _der(0x03, b"\0" + rsa_public))
    return _colons(hashlib.md5(spki).digest())


def _sha256_b64(blob: bytes) -> str:
    return base64.b64encode(hashlib.sha256(blob).digest()).decode()


# ----- making keys ---------------------------------------------------------------------------------------------
@cache
def _primes() -> tuple[int, ...]:
    text = resources.files(__package__).joinpath("rsa_primes.txt").read_text()
    return tuple(int(line, 16) for line in text.split())


def new_rsa_key(rng: random.Random, avoid: set[bytes | None]) -> NewKey:
    """A 2048-bit RSA key as CreateKeyPair returns it: PKCS#1 PEM, fingerprint SHA-1 of its PKCS#8 DER."""
    primes = _primes()
    while True:
        p, q = rng.sample(primes, 2)
        p, q = max(p, q), min(p, q)
        n = p * q
        public = PublicKey("rsa", _ssh_string(b"ssh-rsa") + _mpint(RSA_E) + _mpint(n))
        if public.blob not in avoid:  # two key pairs of one world never share a key
            break
    d = pow(RSA_E, -1, (p - 1) * (q - 1))
    fields = (0, n, RSA_E, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))
    pkcs1 = _der(0x30, b"".join(_der_int(x) for x in fields))
    pkcs8 = _der(0x30, _der_int(0) + _der(0x30, _RSA_OID) + _der(0x04, pkcs1))
    return NewKey(_pem("RSA PRIVATE KEY", pkcs1, 64), public, _colons(hashlib.sha1(pkcs8).digest()))


def new_ed25519_key(rng: random.Random, comment: str) -> NewKey:
    """An ED25519 key in OpenSSH's private-key format; the fingerprint is the SHA-256 of its public blob."""
    seed = rng.randbytes(32)
    pub = ed25519_public(seed)
    blob = _ssh_string(b"ssh-ed25519") + _ssh_string(pub)
    check = rng.randbytes(4)
    private = (
        check
        + check
        + _ssh_string(b"ssh-ed25519")
        + _ssh_string(pub)
        + _ssh_string(seed + pub)
        + _ssh_string(comment.encode())
    )
    private += bytes(range(1, 1 + (-len(private) % 8)))
    body = (
        b"openssh-key-v1\0"
        + _ssh_string(b"none")
        + _ssh_string(b"none")
        + _ssh_string(b"")
        + (1).to_bytes(4, "big")
        + _ssh_string(blob)
        + _ssh_string(private)
    )
    return NewKey(_pem("OPENSSH PRIVATE KEY", body, 70), PublicKey("ed25519", blob), _sha256_b64(blob))


# RFC 8032 section 5.1, enough of it to derive a public key from a seed.
_P = 2**255 - 19
_D = -121665 * pow(121666, -1, _P) % _P
_BY = 4 * pow(5, -1, _P) % _P


def _recover_x(y: int) -> int:
    xx = (y * y - 1) * pow(_D * y * y + 1, -1, _P) % _P
    x = pow(xx, (_P + 3) // 8, _P)
    if (x * x - xx) % _P:
        x = x * pow(2, (_P - 1) // 4, _P) % _P
    return _P - x if x & 1 else x


_BASE = (_recover_x(_BY), _BY, 1, _recover_x(_BY) * _BY % _P)


def _add(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % _P
    bb = (y1 + x1) * (y2 + x2) % _P
    cc = 2 * t1 * t2 * _D % _P
    dd = 2 * z1 * z2 % _P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def ed25519_public(seed: bytes) -> bytes:
    """The 32-byte ED25519 public key of a 32-byte seed."""
    h = hashlib.sha512(seed).digest()
    scalar = int.from_bytes(h[:32], "little")
    scalar &= (1 << 254) - 8
    scalar |= 1 << 254
    point, acc = _BASE, (0, 1, 1, 0)
    while scalar:
        if scalar & 1:
            acc = _add(acc, point)
        point = _add(point, point)
        scalar >>= 1
    x, y, z, _ = acc
    zi = pow(z, -1, _P)
    x, y = x * zi % _P, y * zi % _P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


# ----- reading private keys (for `ssh -i key.pem` in the sandbox) -------------------------------------------
def public_of_private(material: str) -> PublicKey | None:
    """The public key inside a private-key file (PKCS#1 RSA PEM or OpenSSH format); None when unreadable."""
    body = "".join(ln.strip() for ln in material.strip().splitlines() if not ln.startswith("-----"))
    try:
        der = base64.b64decode(body, validate=True)
        if "BEGIN OPENSSH PRIVATE KEY" in material:
            if not der.startswith(b"openssh-key-v1\0"):
                return None
            r = _Reader(der[len(b"openssh-key-v1\0") :])
            r.string(), r.string(), r.string()
            r.uint32()
            return parse_blob(r.string())
        if "BEGIN RSA PRIVATE KEY" in material:
            ints = _der_ints(der)
            if len(ints) < 3:
                return None
            return PublicKey("rsa", _ssh_string(b"ssh-rsa") + _mpint(ints[2]) + _mpint(ints[1]))
    except (ValueError, KeyFormatError, IndexError):
        return None
    return None


def _der_ints(der: bytes) -> list[int]:
    """The INTEGERs directly inside a DER SEQUENCE (a PKCS#1 RSAPrivateKey)."""

    def length(pos: int) -> tuple[int, int]:
        first = der[pos]
        if first < 0x80:
            return first, pos + 1
        k = first & 0x7F
        return int.from_bytes(der[pos + 1 : pos + 1 + k], "big"), pos + 1 + k

    if der[0] != 0x30:
        return []
    _, pos = length(1)
    out = []
    while pos < len(der) and der[pos] == 0x02:
        size, start = length(pos + 1)
        out.append(int.from_bytes(der[start : start + size], "big"))
        pos = start + size
    return out
