"""Versions and aliases (configuration-versions.html, configuration-aliases.html; messages: spec §1.4)."""

from __future__ import annotations

import copy
from typing import Any

from awsprep.sim.lambda_.errors import LAMBDA_ERRORS as E
from awsprep.sim.lambda_.functions import config_digest
from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.state import Alias, Function, VersionConfig


def publish(b: LambdaBackend, fn: Function, p: dict[str, Any], force_ready: bool = False) -> VersionConfig:
    """Snapshot `$LATEST`; when nothing changed since the last publish, that version is returned again."""
    latest = b.settle(fn.latest)
    if not force_ready and (latest.state == "Pending" or latest.last_update_status == "InProgress"):
        raise E("UpdateInProgress", arn=b.arn(fn.name))
    if p.get("CodeSha256") and p["CodeSha256"] != latest.code_sha256:
        raise E(
            "Param",
            message=f"CodeSHA256 ({p['CodeSha256']}) is different from current CodeSHA256 in "
            f"$LATEST ({latest.code_sha256}). Please try again with the CodeSHA256 in $LATEST.",
        )
    if p.get("RevisionId") and p["RevisionId"] != latest.revision_id:
        raise E("Revision")
    digest = config_digest(latest)
    if digest == fn.published_sha and fn.versions:
        return fn.versions[str(fn.next_version - 1)]
    cfg = copy.deepcopy(latest)
    cfg.version = str(fn.next_version)
    cfg.description = str(p.get("Description", latest.description))
    cfg.last_update_status = "Successful"
    cfg.state, cfg.state_reason_code = "Active", ""
    cfg.last_modified, cfg.revision_id = b.now_text(), b.uuid()
    fn.versions[cfg.version] = cfg
    fn.next_version += 1
    fn.published_sha = digest
    return cfg


def _check_weights(b: LambdaBackend, fn: Function, version: str, routing: Any) -> dict[str, float]:
    weights = dict((routing or {}).get("AdditionalVersionWeights") or {})
    if not weights:
        return {}
    for w in weights.values():
        if not 0.0 <= float(w) <= 1.0:
            text = "{" + ", ".join(f"{kk}={float(ww)}" for kk, ww in weights.items()) + "}"
            raise E("WeightRange", value=text)
    if len(weights) > 1:
        raise E("TooManyWeights")
    if version == "$LATEST" or "$LATEST" in weights:
        raise E("WeightsOnLatest")
    for k in weights:
        if k == version:
            raise E("WeightSameVersion", version=k)
        b.version(fn, k)
    return {str(k): float(w) for k, w in weights.items()}


def create_alias(b: LambdaBackend, p: dict[str, Any]) -> tuple[Function, Alias]:
    fn = b.function(p["FunctionName"])
    name = str(p["Name"])
    if name in fn.aliases:
        raise E("AliasExists", arn=b.arn(fn.name, name))
    version = str(p["FunctionVersion"])
    b.version(fn, version)
    weights = _check_weights(b, fn, version, p.get("RoutingConfig"))
    alias = Alias(name, version, str(p.get("Description", "")), weights, b.uuid())
    fn.aliases[name] = alias
    return fn, alias


def get_alias(b: LambdaBackend, fn: Function, name: str) -> Alias:
    found = fn.aliases.get(name)
    if found is None:
        raise E("AliasNotFound", arn=b.arn(fn.name, name))
    return found


def update_alias(b: LambdaBackend, p: dict[str, Any]) -> tuple[Function, Alias]:
    fn = b.function(p["FunctionName"])
    alias = get_alias(b, fn, str(p["Name"]))
    if p.get("RevisionId") and p["RevisionId"] != alias.revision_id:
        raise E("Revision")
    version = str(p.get("FunctionVersion", alias.version))
    b.version(fn, version)
    if "RoutingConfig" in p:
        alias.weights = _check_weights(b, fn, version, p["RoutingConfig"])
    elif version != alias.version:
        _check_weights(b, fn, version, {"AdditionalVersionWeights": alias.weights})
    moved = version != alias.version
    alias.version = version
    pc = fn.provisioned.get(alias.name)
    if moved and pc is not None:  # the alias's provisioned concurrency is allocated again, for the new version
        from awsprep.sim.lambda_ import catalog
        from awsprep.sim.lambda_.provisioned import provision

        pc.ready_at = b.world.now + catalog.PROVISIONED_SECONDS
        pc.last_modified = b.now_text()
        provision(b, fn, pc)
    if "Description" in p:
        alias.description = str(p["Description"])
    alias.revision_id = b.uuid()
    return fn, alias


def delete_alias(b: LambdaBackend, p: dict[str, Any]) -> None:
    fn = b.function(p["FunctionName"])
    fn.aliases.pop(str(p["Name"]), None)
    if fn.provisioned.pop(str(p["Name"]), None) is not None:
        from awsprep.sim.lambda_.provisioned import release

        release(b, fn, str(p["Name"]))
    fn.event_configs.pop(str(p["Name"]), None)


def pick_version(b: LambdaBackend, alias: Alias) -> str:
    """The version one invocation of a weighted alias runs (seeded, so a lab's counts repeat)."""
    if not alias.weights:
        return alias.version
    ((other, weight),) = alias.weights.items()
    return other if b.world.ids.rng.random() < weight else alias.version
