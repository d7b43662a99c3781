"""Operation name -> handler: parameters in botocore's names, a response dict out (spec §2, items 34–42)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awsprep.sim.lambda_ import asynchronous, concurrency, esm, functions, layers, policy, render, versions
from awsprep.sim.lambda_.catalog import ACCOUNT_CONCURRENCY, CODE_STORAGE, UNZIPPED_MAX, ZIPPED_MAX
from awsprep.sim.lambda_.errors import LAMBDA_ERRORS as E
from awsprep.sim.lambda_.invoke import invoke
from awsprep.sim.lambda_.models import LambdaBackend

Handler = Callable[[LambdaBackend, dict[str, Any]], dict[str, Any]]


def _config(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    _, q = b.split_name(p["FunctionName"], p.get("Qualifier"))
    cfg, _ = b.resolve(fn, q)
    return render.configuration(b, fn, cfg)


def _get_function(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    _, q = b.split_name(p["FunctionName"], p.get("Qualifier"))
    cfg, _ = b.resolve(fn, q)
    out: dict[str, Any] = {
        "Configuration": render.configuration(b, fn, cfg),
        "Code": {
            "RepositoryType": "S3",
            "Location": f"https://awslambda-{b.region}-tasks.s3.{b.region}.amazonaws.com/snapshots/"
            f"{b.world.account_id}/{fn.name}-{cfg.code_sha256[:8]}",
        },
    }
    if fn.tags:
        out["Tags"] = dict(fn.tags)
    if fn.reserved is not None:
        out["Concurrency"] = {"ReservedConcurrentExecutions": fn.reserved}
    return out


def _list_functions(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    return {
        "Functions": [
            render.configuration(b, f, f.latest) for f in sorted(b.state.functions.values(), key=lambda f: f.name)
        ]
    }


def _list_versions(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"])
    cfgs = [fn.latest] + [fn.versions[k] for k in sorted(fn.versions, key=int)]
    return {"Versions": [render.configuration(b, fn, c) for c in cfgs]}


def _publish(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"])
    return render.configuration(b, fn, versions.publish(b, fn, p))


def _alias(fa: Any, b: LambdaBackend) -> dict[str, Any]:
    return render.alias(b, fa[0], fa[1])


def _get_alias(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"])
    return render.alias(b, fn, versions.get_alias(b, fn, str(p["Name"])))


def _list_aliases(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"])
    found = [a for a in fn.aliases.values() if not p.get("FunctionVersion") or a.version == p["FunctionVersion"]]
    return {"Aliases": [render.alias(b, fn, a) for a in sorted(found, key=lambda a: a.name)]}


def _put_concurrency(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    return {"ReservedConcurrentExecutions": concurrency.put_reserved(b, p)}


def _get_concurrency(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"])
    return {} if fn.reserved is None else {"ReservedConcurrentExecutions": fn.reserved}


def _delete_concurrency(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    b.function(p["FunctionName"]).reserved = None
    return {}


def _put_pc(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn, pc = concurrency.put_provisioned(b, p)
    out = render.provisioned(b, fn, pc, b.world.now)
    out.pop("AvailableProvisionedConcurrentExecutions")
    return out


def _get_pc(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"])
    return render.provisioned(b, fn, concurrency.provisioned_config(b, fn, str(p["Qualifier"])), b.world.now)


def _delete_pc(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"])
    concurrency.provisioned_config(b, fn, str(p["Qualifier"]))
    del fn.provisioned[str(p["Qualifier"])]
    from awsprep.sim.lambda_.provisioned import release

    release(b, fn, str(p["Qualifier"]))
    return {}


def _list_pc(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"])
    items = []
    for q, pc in fn.provisioned.items():
        item = render.provisioned(b, fn, pc, b.world.now)
        item["FunctionArn"] = b.arn(fn.name, q)
        items.append(item)
    return {"ProvisionedConcurrencyConfigs": items}


def _put_eic(b: LambdaBackend, p: dict[str, Any], merge: bool = False) -> dict[str, Any]:
    fn, q, conf = asynchronous.put_event_config(b, p, merge)
    return render.event_config(b, fn, q, conf)


def _get_eic(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    _, q = b.split_name(p["FunctionName"], p.get("Qualifier"))
    conf = fn.event_configs.get(q or "$LATEST")
    if conf is None:
        raise E("NoEventConfig", arn=b.arn(fn.name, q or "$LATEST"))
    return render.event_config(b, fn, q or "$LATEST", conf)


def _delete_eic(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    _, q = b.split_name(p["FunctionName"], p.get("Qualifier"))
    if fn.event_configs.pop(q or "$LATEST", None) is None:
        raise E("NoEventConfig", arn=b.arn(fn.name, q or "$LATEST"))
    return {}


def _account(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    total = sum(c.code_size for f in b.state.functions.values() for c in [f.latest, *f.versions.values()])
    total += sum(v.code_size for layer in b.state.layers.values() for v in layer.versions.values())
    return {
        "AccountLimit": {
            "TotalCodeSize": CODE_STORAGE,
            "CodeSizeUnzipped": UNZIPPED_MAX,
            "CodeSizeZipped": ZIPPED_MAX,
            "ConcurrentExecutions": ACCOUNT_CONCURRENCY,
            "UnreservedConcurrentExecutions": concurrency.unreserved(b),
        },
        "AccountUsage": {"TotalCodeSize": total, "FunctionCount": len(b.state.functions)},
    }


def _publish_layer(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    name, lv = layers.publish_layer_version(b, p)
    return render.layer_version(b, name, lv)


def _get_layer(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    name, lv = layers.get_layer_version(b, p)
    return render.layer_version(b, name, lv)


def _list_layer_versions(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    layer = b.state.layers.get(str(p["LayerName"]))
    items = [] if layer is None else [render.layer_version(b, layer.name, v) for v in layer.versions.values()]
    for item in items:
        item.pop("Content")
        item.pop("LayerArn")
    return {"LayerVersions": sorted(items, key=lambda i: -i["Version"])}


def _list_layers(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    out = []
    for layer in sorted(b.state.layers.values(), key=lambda x: x.name):
        if layer.versions:
            latest = layer.versions[max(layer.versions, key=int)]
            item = render.layer_version(b, layer.name, latest)
            item.pop("Content")
            item.pop("LayerArn")
            out.append({"LayerName": layer.name, "LayerArn": b.layer_arn(layer.name), "LatestMatchingVersion": item})
    return {"Layers": out}


def _tags(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    return {"Tags": dict(b.function(p["Resource"]).tags)}


def _tag(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    b.function(p["Resource"]).tags.update({str(k): str(v) for k, v in p["Tags"].items()})
    return {}


def _untag(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["Resource"])
    for k in p["TagKeys"]:
        fn.tags.pop(k, None)
    return {}


def _url(fc: Any, b: LambdaBackend) -> dict[str, Any]:
    return policy.render_url(b, fc[0], fc[1])


def _none(fn: Callable[[LambdaBackend, dict[str, Any]], None]) -> Handler:
    def run(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
        fn(b, p)
        return {}

    return run


def _delete_url(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn, conf = policy.get_url(b, p)
    b.world.release_public_ip(conf.address)
    del fn.urls[conf.qualifier]
    return {}


def _created(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    cfg = functions.create_function(b, p)
    return render.configuration(b, b.state.functions[str(p["FunctionName"])], cfg)


OPERATIONS: dict[str, Handler] = {
    "CreateFunction": _created,
    "GetFunction": _get_function,
    "GetFunctionConfiguration": _config,
    "ListFunctions": _list_functions,
    "UpdateFunctionCode": lambda b, p: render.configuration(
        b, b.function(p["FunctionName"]), functions.update_code(b, p)
    ),
    "UpdateFunctionConfiguration": lambda b, p: render.configuration(
        b, b.function(p["FunctionName"]), functions.update_configuration(b, p)
    ),
    "DeleteFunction": _none(functions.delete_function),
    "Invoke": invoke,
    "PublishVersion": _publish,
    "ListVersionsByFunction": _list_versions,
    "CreateAlias": lambda b, p: _alias(versions.create_alias(b, p), b),
    "UpdateAlias": lambda b, p: _alias(versions.update_alias(b, p), b),
    "GetAlias": _get_alias,
    "ListAliases": _list_aliases,
    "DeleteAlias": _none(versions.delete_alias),
    "PutFunctionConcurrency": _put_concurrency,
    "GetFunctionConcurrency": _get_concurrency,
    "DeleteFunctionConcurrency": _delete_concurrency,
    "PutProvisionedConcurrencyConfig": _put_pc,
    "GetProvisionedConcurrencyConfig": _get_pc,
    "DeleteProvisionedConcurrencyConfig": _delete_pc,
    "ListProvisionedConcurrencyConfigs": _list_pc,
    "PutFunctionEventInvokeConfig": _put_eic,
    "UpdateFunctionEventInvokeConfig": lambda b, p: _put_eic(b, p, merge=True),
    "GetFunctionEventInvokeConfig": _get_eic,
    "DeleteFunctionEventInvokeConfig": _delete_eic,
    "GetAccountSettings": _account,
    "PublishLayerVersion": _publish_layer,
    "GetLayerVersion": _get_layer,
    "ListLayerVersions": _list_layer_versions,
    "ListLayers": _list_layers,
    "DeleteLayerVersion": _none(layers.delete_layer_version),
    "AddPermission": policy.add_permission,
    "RemovePermission": _none(policy.remove_permission),
    "GetPolicy": policy.get_policy,
    "CreateFunctionUrlConfig": lambda b, p: _url(policy.create_url(b, p), b),
    # Get also names LastModifiedTime (required in its output); with no UpdateFunctionUrlConfig it is the creation time
    "GetFunctionUrlConfig": lambda b, p: {
        **_url(policy.get_url(b, p), b),
        "LastModifiedTime": policy.get_url(b, p)[1].created,
    },
    "DeleteFunctionUrlConfig": _delete_url,
    **esm.OPERATIONS,
    "ListTags": _tags,
    "TagResource": _tag,
    "UntagResource": _untag,
}
