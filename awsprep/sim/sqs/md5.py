"""The digests SQS returns, computed the way the SQS developer guide describes them, so an SDK's own check
(the Java and .NET SDKs compare `MD5OfMessageBody` with the body they sent) passes.

Message attributes: for each attribute in name order, the name, the data type, a transport byte (1 for
String and Number, 2 for Binary) and the value, each length-prefixed with 4 big-endian bytes, all MD5ed.
"""

from __future__ import annotations

import base64
import hashlib
import struct

from awsprep.sim.sqs.state import MessageAttribute


def md5_body(body: str) -> str:
    """MD5 of the body's UTF-8 bytes, as hex."""
    return hashlib.md5(body.encode("utf-8")).hexdigest()  # the API's own digest, not a security use


def _field(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def md5_attributes(attributes: dict[str, MessageAttribute]) -> str:
    """MD5 of message attributes (empty string when there are none: the API then omits the field)."""
    if not attributes:
        return ""
    buf = bytearray()
    for name in sorted(attributes):
        attr = attributes[name]
        buf += _field(name.encode("utf-8")) + _field(attr.data_type.encode("utf-8"))
        if attr.binary_value is not None:
            buf += b"\x02" + _field(base64.b64decode(attr.binary_value))
        else:
            buf += b"\x01" + _field((attr.string_value or "").encode("utf-8"))
    return hashlib.md5(bytes(buf)).hexdigest()
