"""Layers: publish immutable versions, list, get, delete, and check a function's layer list (≤ 5, one version of
each layer, in order; spec §1.4)."""

from __future__ import annotations

from typing import Any

from awsprep.sim.lambda_ import catalog
from awsprep.sim.lambda_.errors import LAMBDA_ERRORS as E
from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.state import Layer, LayerVersion


def check_layers(b: LambdaBackend, arns: list[str]) -> list[str]:
    if len(arns) > catalog.MAX_LAYERS:
        raise E("TooManyLayers")
    seen: dict[str, str] = {}
    for arn in arns:
        parts = str(arn).split(":")
        if len(parts) != 8 or parts[5] != "layer":
            raise E("LayerVersionNotFound", arn=arn)
        name, version = parts[6], parts[7]
        layer = b.state.layers.get(name)
        if layer is None or version not in layer.versions or parts[3] != b.region:
            raise E("LayerVersionNotFound", arn=arn)
        if name in seen:
            raise E("SameLayer", first=seen[name], second=arn)
        seen[name] = arn
    return [str(a) for a in arns]


def layer_zips(b: LambdaBackend, arns: list[str]) -> tuple[bytes, ...]:
    """The layers' packages in the function's order (extracted in this order into /opt)."""
    out: list[bytes] = []
    for arn in arns:
        parts = arn.split(":")
        layer = b.state.layers.get(parts[6])
        lv = layer.versions.get(parts[7]) if layer else None
        if lv is not None:
            out.append(b.code(lv.code_sha256))
    return tuple(out)


def publish_layer_version(b: LambdaBackend, p: dict[str, Any]) -> tuple[str, LayerVersion]:
    from awsprep.sim.lambda_.functions import NAME, store_code

    name = str(p.get("LayerName", ""))
    if name.startswith("arn:"):
        name = name.split(":")[6]
    if NAME.fullmatch(name) is None:
        raise E(
            "Validation",
            value=name,
            field="layerName",
            constraint="Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+",
        )
    content = p.get("Content") or {}
    if "ZipFile" not in content:
        raise E(
            "Param",
            message="awsprep does not simulate Amazon S3 yet: upload the layer with --zip-file fileb://layer.zip.",
        )
    sha, size = store_code(b, content["ZipFile"])
    layer = b.state.layers.setdefault(name, Layer(name))
    lv = LayerVersion(
        layer.next_version,
        sha,
        size,
        str(p.get("Description", "")),
        b.now_text(),
        [str(r) for r in p.get("CompatibleRuntimes") or []],
        [str(a) for a in p.get("CompatibleArchitectures") or []],
        str(p.get("LicenseInfo", "")),
    )
    layer.versions[str(lv.version)] = lv
    layer.next_version += 1
    return name, lv


def get_layer_version(b: LambdaBackend, p: dict[str, Any]) -> tuple[str, LayerVersion]:
    name = str(p["LayerName"]).split(":")[6] if str(p["LayerName"]).startswith("arn:") else str(p["LayerName"])
    layer = b.state.layers.get(name)
    lv = layer.versions.get(str(p["VersionNumber"])) if layer else None
    if lv is None:
        raise E("LayerNotFound")
    return name, lv


def delete_layer_version(b: LambdaBackend, p: dict[str, Any]) -> None:
    name = str(p["LayerName"])
    layer = b.state.layers.get(name)
    if layer is not None:
        layer.versions.pop(str(p["VersionNumber"]), None)  # deleting a missing version is not an error
