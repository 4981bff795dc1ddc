"""Custom::SmsVoicePool: a pool of phone numbers and sender IDs, never replaced.

A phone number belongs to at most one pool, so a replacement pool could not take over the numbers the old
one holds: every change is made in place, and the physical id (the PoolId) never changes. The first
identity seeds the pool on create (the pool inherits its configuration); afterwards it is an identity
like any other. On every create and update, in is_complete:
1. identities the stack added are associated (with their country, which sender IDs require). The API
   refuses an identity whose configuration differs from the pool's, so one that fits the pool only once
   its settings change (a rollback to the old opt-out list, say) is associated after step 2;
2. the pool's settings are updated;
3. only then identities the stack removed are disassociated, so the pool never lacks a number.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict

from . import aws, coerce, keywords, settings, tags
from .contract import Pool as Keys
from .events import (
    CustomResourceEvent,
    IsCompleteResult,
    OnEventResult,
    client_token,
    old_properties,
    physical_id,
    properties,
)

ID_PATTERN = re.compile(r"pool-[A-Za-z0-9]+")
# The API's reasons for refusing an identity whose configuration differs from the pool's.
CONFIGURATION_MISMATCHES = (
    "OPT_OUT_LIST_MISMATCH",
    "TWO_WAY_CONFIG_MISMATCH",
    "SELF_MANAGED_OPT_OUTS_MISMATCH",
)
UPDATABLE: dict[str, Any] = {
    Keys.OPT_OUT_LIST_NAME: settings.DEFAULT_OPT_OUT_LIST,
    Keys.SELF_MANAGED_OPT_OUTS_ENABLED: False,
    Keys.SHARED_ROUTES_ENABLED: False,
    Keys.DELETION_PROTECTION_ENABLED: False,
    Keys.TWO_WAY_ENABLED: False,
    Keys.TWO_WAY_CHANNEL_ARN: None,
    Keys.TWO_WAY_CHANNEL_ROLE: None,
}


class Identity(TypedDict):
    arn: str
    iso_country_code: str | None


def parse_identities(props: dict[str, Any]) -> list[Identity]:
    return [
        {
            "arn": str(item[Keys.ORIGINATION_IDENTITY]),
            "iso_country_code": coerce.to_str(item.get(Keys.ISO_COUNTRY_CODE)),
        }
        for item in props.get(Keys.ORIGINATION_IDENTITIES) or []
    ]


def on_event(event: CustomResourceEvent) -> OnEventResult:
    match event["RequestType"]:
        case "Create":
            return create(event)
        case "Update":
            return update(event)
        case "Delete":
            return {"PhysicalResourceId": physical_id(event)}  # deleted in is_complete, where it can wait


def create(event: CustomResourceEvent) -> OnEventResult:
    props = properties(event)
    identities = parse_identities(props)
    if not identities:
        raise ValueError(
            f"a pool needs at least one origination identity; {Keys.ORIGINATION_IDENTITIES} is empty"
        )
    seed = identities[0]
    params: dict[str, Any] = {
        Keys.ORIGINATION_IDENTITY: seed["arn"],
        Keys.MESSAGE_TYPE: str(props[Keys.MESSAGE_TYPE]),
        # Deletion protection is the one setting a pool does not inherit from its seed.
        Keys.DELETION_PROTECTION_ENABLED: coerce.to_bool(props.get(Keys.DELETION_PROTECTION_ENABLED)),
    }
    country = country_of(seed, props)
    if country:
        params[Keys.ISO_COUNTRY_CODE] = country
    created = aws.call("CreatePool", **params, Tags=tags.for_create(props), ClientToken=client_token(event))
    return _result(created)


def update(event: CustomResourceEvent) -> OnEventResult:
    new, old = properties(event), old_properties(event)
    pool_id = physical_id(event)
    if str(new[Keys.MESSAGE_TYPE]) != str(old[Keys.MESSAGE_TYPE]):
        raise ValueError(
            f"pool {pool_id}: {Keys.MESSAGE_TYPE} cannot change from {old[Keys.MESSAGE_TYPE]!r} to "
            f"{new[Keys.MESSAGE_TYPE]!r}: the API has no update for it, and a pool is never replaced "
            f"because its phone numbers could not join a new pool while this one holds them. Revert the "
            f"change, or create a second Pool (with other numbers) and move traffic to it."
        )
    if not parse_identities(new):
        raise ValueError(f"pool {pool_id}: a pool needs at least one origination identity")
    pool = describe(pool_id)
    tags.reconcile(pool[Keys.ATTR_ARN], old, new)
    return _result(pool)


def is_complete(event: CustomResourceEvent) -> IsCompleteResult:
    if event["RequestType"] == "Delete":
        return delete(event)
    pool_id = physical_id(event)
    new = properties(event)
    old = old_properties(event) if event["RequestType"] == "Update" else {}
    pool = describe(pool_id)
    if pool["Status"] == "CREATING":
        return {"IsComplete": False}
    if pool["Status"] != "ACTIVE":
        raise ValueError(f"pool {pool_id} is {pool['Status']}: it cannot be configured")
    current = {item["OriginationIdentityArn"]: item for item in members(pool_id)}
    update = settings.changes(settings.wanted(UPDATABLE, old, new), pool)
    waiting = associate(event, pool_id, current, new, defer_mismatch=bool(update))
    if update:
        aws.call("UpdatePool", PoolId=pool_id, **update, retry_iam_propagation=True)
    associate(event, pool_id, current, {Keys.ORIGINATION_IDENTITIES: waiting})
    disassociate(event, pool_id, current, old, new)
    keywords.reconcile(pool_id, old, new)
    return {"IsComplete": True}


def associate(
    event: CustomResourceEvent,
    pool_id: str,
    current: dict[str, dict[str, Any]],
    new: dict[str, Any],
    *,
    defer_mismatch: bool = False,
) -> list[dict[str, Any]]:
    """Associate what the pool lacks; with ``defer_mismatch``, return the items the pool refused as
    configured differently instead of failing (they may fit once the pool's settings are updated)."""
    deferred: list[dict[str, Any]] = []
    for item in new.get(Keys.ORIGINATION_IDENTITIES) or []:
        identity = parse_identities({Keys.ORIGINATION_IDENTITIES: [item]})[0]
        if identity["arn"] in current:
            continue
        params: dict[str, Any] = {"PoolId": pool_id, Keys.ORIGINATION_IDENTITY: identity["arn"]}
        country = country_of(identity, new)
        if country:
            params[Keys.ISO_COUNTRY_CODE] = country
        try:
            aws.call(
                "AssociateOriginationIdentity",
                **params,
                ClientToken=client_token(event, f"join {identity['arn']}"),
            )
        except aws.ServiceError as err:
            if not (defer_mismatch and err.is_conflict(*CONFIGURATION_MISMATCHES)):
                raise
            deferred.append({**item, **({Keys.ISO_COUNTRY_CODE: country} if country else {})})
    return deferred


def disassociate(
    event: CustomResourceEvent,
    pool_id: str,
    current: dict[str, dict[str, Any]],
    old: dict[str, Any],
    new: dict[str, Any],
) -> None:
    """Only identities the stack listed before and no longer does: others are left in the pool."""
    wanted_arns = {identity["arn"] for identity in parse_identities(new)}
    for identity in parse_identities(old):
        if identity["arn"] in wanted_arns or identity["arn"] not in current:
            continue
        aws.call(
            "DisassociateOriginationIdentity",
            PoolId=pool_id,
            OriginationIdentity=identity["arn"],
            IsoCountryCode=current[identity["arn"]][Keys.ISO_COUNTRY_CODE],
            ClientToken=client_token(event, f"leave {identity['arn']}"),
        )


def delete(event: CustomResourceEvent) -> IsCompleteResult:
    """Delete the pool (its identities are let go); one that is gone, or was never created, is done."""
    pool_id = physical_id(event)
    if not ID_PATTERN.fullmatch(pool_id):
        return {"IsComplete": True}
    try:
        aws.call("DeletePool", PoolId=pool_id)
    except aws.ServiceError as err:
        if err.not_found:
            return {"IsComplete": True}
        if err.is_conflict("DELETION_PROTECTION_ENABLED"):
            raise ValueError(settings.deletion_protection_message("pool", pool_id, err)) from err
        if not err.is_conflict("RESOURCE_NOT_ACTIVE"):
            raise
        # Still CREATING (a create that failed moments ago), or already DELETING.
        try:
            status = describe(pool_id)["Status"]
        except aws.ServiceError as gone:
            if gone.not_found:
                return {"IsComplete": True}
            raise
        return {"IsComplete": status == "DELETING"}
    return {"IsComplete": True}


def country_of(identity: Identity, props: dict[str, Any]) -> str | None:
    """The identity's country: as the stack gave it, else the number's own, else the pool's."""
    if identity["iso_country_code"]:
        return identity["iso_country_code"]
    if ":phone-number/" in identity["arn"]:
        found = aws.call("DescribePhoneNumbers", PhoneNumberIds=[identity["arn"]])["PhoneNumbers"]
        return str(found[0]["IsoCountryCode"])
    return coerce.to_str(props.get(Keys.ISO_COUNTRY_CODE))


def members(pool_id: str) -> list[dict[str, Any]]:
    return aws.paginate(
        "ListPoolOriginationIdentities", "OriginationIdentities", PoolId=pool_id, MaxResults=100
    )


def describe(pool_id: str) -> dict[str, Any]:
    pools: list[dict[str, Any]] = aws.call("DescribePools", PoolIds=[pool_id])["Pools"]
    return pools[0]


def _result(pool: dict[str, Any]) -> OnEventResult:
    return {
        "PhysicalResourceId": pool[Keys.ATTR_ID],
        "Data": {Keys.ATTR_ID: pool[Keys.ATTR_ID], Keys.ATTR_ARN: pool[Keys.ATTR_ARN]},
    }
