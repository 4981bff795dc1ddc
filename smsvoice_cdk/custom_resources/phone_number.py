"""Custom::SmsVoicePhoneNumber: an origination phone number, requested once and kept.

A number can take weeks to register, so:
- a change of what the number *is* (country, type, capabilities, registration, preference) would release
  it and request another: it fails with a clear message unless ``AllowReplacement`` is "true";
- waiting for ACTIVE can be turned off (``WaitForActive``), since toll-free and 10DLC numbers can stay
  PENDING for days and the provider's timeout must never be what fails;
- release (only sent when the removal policy is DESTROY) waits while the number is still leaving a pool
  that was deleted moments ago, up to a deadline.
"""

from __future__ import annotations

import re
from typing import Any

from . import aws, coerce, keywords, settings, tags
from .contract import PhoneNumber as Keys
from .events import (
    CustomResourceEvent,
    IsCompleteResult,
    OnEventResult,
    client_token,
    dispatch,
    old_properties,
    physical_id,
    properties,
)

ID_PATTERN = re.compile(r"phone-[A-Za-z0-9]+")
# Properties RequestPhoneNumber takes that no update can change: changing one means another number.
CREATE_ONLY = (
    Keys.ISO_COUNTRY_CODE,
    Keys.MESSAGE_TYPE,
    Keys.NUMBER_TYPE,
    Keys.NUMBER_CAPABILITIES,
    Keys.REGISTRATION_ID,
    Keys.NUMBER_PREFERENCE,
)
# Settings changed through UpdatePhoneNumber, with the API's defaults.
UPDATABLE: dict[str, Any] = {
    Keys.OPT_OUT_LIST_NAME: settings.DEFAULT_OPT_OUT_LIST,
    Keys.INTERNATIONAL_SENDING_ENABLED: False,
    Keys.DELETION_PROTECTION_ENABLED: False,
    Keys.SELF_MANAGED_OPT_OUTS_ENABLED: False,
    Keys.TWO_WAY_ENABLED: False,
    Keys.TWO_WAY_CHANNEL_ARN: None,
    Keys.TWO_WAY_CHANNEL_ROLE: None,
}
# How long a release waits for a deleted pool to let the number go, and a create or update for the number
# to turn ACTIVE: each wait plus one is_complete invocation (10 minutes) stays inside the provider's 45
# minutes, so the wait fails with its own message before the framework's generic timeout.
RELEASE_WAIT_SECONDS = 30 * 60.0
RELEASE_DEADLINE = "ReleaseDeadline"
ACTIVE_WAIT_SECONDS = 30 * 60.0
ACTIVE_DEADLINE = "ActiveDeadline"
# Tag on a number requested to replace another: the id of the one it replaces, so that the rollback of
# the replacement can return to it (the rollback's event carries only the new number's id).
REPLACES_TAG_KEY = "smsvoice-cdk:replaces"
WAITING_STATUSES = frozenset({"PENDING", "ASSOCIATING", "DISASSOCIATING"})
ACTIVE_OR_WAITING = WAITING_STATUSES | {"ACTIVE"}
# The create-only properties DescribePhoneNumbers reports, to tell a replaced number's identity.
DESCRIBED_CREATE_ONLY = (Keys.ISO_COUNTRY_CODE, Keys.MESSAGE_TYPE, Keys.NUMBER_TYPE, Keys.NUMBER_CAPABILITIES)


def on_event(event: CustomResourceEvent) -> OnEventResult:
    return dispatch(event, create=create, update=update, delete=delete)


def create(event: CustomResourceEvent, replaces: str | None = None) -> OnEventResult:
    props = properties(event)
    params: dict[str, Any] = {
        Keys.ISO_COUNTRY_CODE: str(props[Keys.ISO_COUNTRY_CODE]),
        Keys.MESSAGE_TYPE: str(props[Keys.MESSAGE_TYPE]),
        Keys.NUMBER_TYPE: str(props[Keys.NUMBER_TYPE]),
        Keys.NUMBER_CAPABILITIES: coerce.to_str_list(props[Keys.NUMBER_CAPABILITIES]),
    }
    for key in (Keys.OPT_OUT_LIST_NAME, Keys.REGISTRATION_ID):
        if coerce.to_str(props.get(key)) is not None:
            params[key] = str(props[key])
    for key in (Keys.INTERNATIONAL_SENDING_ENABLED, Keys.DELETION_PROTECTION_ENABLED):
        if coerce.to_str(props.get(key)) is not None:
            params[key] = coerce.to_bool(props[key])
    if props.get(Keys.NUMBER_PREFERENCE):
        params[Keys.NUMBER_PREFERENCE] = props[Keys.NUMBER_PREFERENCE]
    create_tags = tags.for_create(props)
    if replaces:
        create_tags.append({"Key": REPLACES_TAG_KEY, "Value": replaces})
    created = aws.call("RequestPhoneNumber", **params, Tags=create_tags, ClientToken=client_token(event))
    return _with_active_deadline(_result(created))


def update(event: CustomResourceEvent) -> OnEventResult:
    new, old = properties(event), old_properties(event)
    changed = [key for key in CREATE_ONLY if _value(old, key) != _value(new, key)]
    if changed:
        replaced = _replaced_number(physical_id(event), new)
        if replaced is not None:
            # The rollback of a replacement (or a change back to it): the number it replaced is kept.
            tags.reconcile(replaced[Keys.ATTR_ARN], old, new)
            return _with_active_deadline(_result(replaced))
        if not coerce.to_bool(new.get(Keys.ALLOW_REPLACEMENT)):
            raise ValueError(_replacement_refused(physical_id(event), changed, old, new))
        return create(event, replaces=physical_id(event))
    number = describe(physical_id(event))
    tags.reconcile(number[Keys.ATTR_ARN], old, new)
    return _with_active_deadline(_result(number))


def _replaced_number(number_id: str, wanted: dict[str, Any]) -> dict[str, Any] | None:
    """The number that ``number_id`` replaced, if it still exists, is ours and is what ``wanted`` says."""
    try:
        replaced_id = tags.current(describe(number_id)[Keys.ATTR_ARN]).get(REPLACES_TAG_KEY)
        if replaced_id is None:
            return None
        replaced = describe(replaced_id)
        ours = tags.is_managed(replaced[Keys.ATTR_ARN])
    except aws.ServiceError as err:
        if err.not_found:
            return None
        raise
    if not ours or replaced["Status"] not in ACTIVE_OR_WAITING:
        return None
    if any(_value(replaced, key) != _value(wanted, key) for key in DESCRIBED_CREATE_ONLY):
        return None
    return replaced


def _with_active_deadline(result: OnEventResult) -> OnEventResult:
    """is_complete waits for ACTIVE until this wall-clock time (each poll may run in another process)."""
    deadline = aws.wall_clock() + ACTIVE_WAIT_SECONDS
    return {**result, "Data": {**result.get("Data", {}), ACTIVE_DEADLINE: str(deadline)}}


def _value(props: dict[str, Any], key: str) -> Any:
    value = props.get(key)
    if key == Keys.NUMBER_CAPABILITIES:
        return sorted(coerce.to_str_list(value))  # the order of capabilities means nothing
    return value if value not in (None, "", []) else None


def _replacement_refused(number_id: str, changed: list[str], old: dict[str, Any], new: dict[str, Any]) -> str:
    what = "; ".join(f"{key} from {_value(old, key)!r} to {_value(new, key)!r}" for key in changed)
    return (
        f"phone number {number_id}: changing {what} cannot be done in place: it requests a new phone "
        f"number, and the old one ({number_id}) is then released or retained as its removal policy says. "
        f"A number can take weeks to register, so this is refused unless you allow it: set "
        f"allow_replacement=True on the PhoneNumber ({Keys.ALLOW_REPLACEMENT}: true), or revert the change."
    )


def delete(event: CustomResourceEvent) -> OnEventResult:
    """The release happens in is_complete, where it can wait; an id that was never a number is done."""
    number_id = physical_id(event)
    deadline = aws.wall_clock() + RELEASE_WAIT_SECONDS
    return {"PhysicalResourceId": number_id, "Data": {RELEASE_DEADLINE: str(deadline)}}


def is_complete(event: CustomResourceEvent) -> IsCompleteResult:
    if event["RequestType"] == "Delete":
        return release(event)
    number_id = physical_id(event)
    props = properties(event)
    number = describe(number_id)
    status = number["Status"]
    if status not in WAITING_STATUSES and status != "ACTIVE":
        raise ValueError(f"phone number {number_id} is {status}: it cannot be used")
    if status != "ACTIVE" and coerce.to_bool(props.get(Keys.WAIT_FOR_ACTIVE), default=True):
        if _past(event, ACTIVE_DEADLINE):
            raise ValueError(
                f"phone number {number_id} is still {status} after waiting {ACTIVE_WAIT_SECONDS / 60:.0f} "
                f"minutes for it to turn ACTIVE, so this deploy fails; CloudFormation then releases or "
                f"retains it as its removal policy says. Numbers that take days to register (toll-free, "
                f"10DLC) need wait_for_active=False ({Keys.WAIT_FOR_ACTIVE})."
            )
        return {"IsComplete": False}
    old = old_properties(event) if event["RequestType"] == "Update" else {}
    apply_settings(number, old, props)
    keywords.reconcile(number_id, old, props)
    return {"IsComplete": True}


def apply_settings(number: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> None:
    update = settings.changes(settings.wanted(UPDATABLE, old, new), number)
    if not update:
        return
    if number.get("PoolId"):
        raise ValueError(
            f"phone number {number[Keys.ATTR_ID]} is in pool {number['PoolId']}, and the API refuses "
            f"UpdatePhoneNumber for a number in a pool, so {', '.join(sorted(update))} cannot change here: "
            f"set it on the Pool, or take the number out of the pool first"
        )
    aws.call("UpdatePhoneNumber", PhoneNumberId=number[Keys.ATTR_ID], **update, retry_iam_propagation=True)


def _past(event: CustomResourceEvent, deadline_key: str) -> bool:
    """Whether the wall-clock deadline on_event put in the response Data has passed (polls may run in
    other Lambda processes, so it is carried in the event, not kept in memory)."""
    deadline = event.get("Data", {}).get(deadline_key)
    return deadline is not None and aws.wall_clock() > float(deadline)


def release(event: CustomResourceEvent) -> IsCompleteResult:
    number_id = physical_id(event)
    if not ID_PATTERN.fullmatch(number_id):
        return {"IsComplete": True}  # a failed create's id: there is no number to release
    try:
        aws.call("ReleasePhoneNumber", PhoneNumberId=number_id)
    except aws.ServiceError as err:
        if err.not_found:
            return {"IsComplete": True}
        if err.is_conflict("DELETION_PROTECTION_ENABLED"):
            raise ValueError(settings.deletion_protection_message("phone number", number_id, err)) from err
        if not err.is_conflict("PHONE_NUMBER_ASSOCIATED_TO_POOL"):
            raise
        if _past(event, RELEASE_DEADLINE):
            raise ValueError(
                f"phone number {number_id} is still associated with a pool after waiting "
                f"{RELEASE_WAIT_SECONDS / 60:.0f} minutes for the pool to let it go, so it was not released. "
                f"Remove it from its pool (or delete the pool) and delete again."
            ) from err
        return {"IsComplete": False}  # the pool was deleted moments ago and is still letting go
    return {"IsComplete": True}


def describe(number_id: str) -> dict[str, Any]:
    numbers: list[dict[str, Any]] = aws.call("DescribePhoneNumbers", PhoneNumberIds=[number_id])[
        "PhoneNumbers"
    ]
    return numbers[0]


def _result(number: dict[str, Any]) -> OnEventResult:
    return {
        "PhysicalResourceId": number[Keys.ATTR_ID],
        "Data": {
            Keys.ATTR_ID: number[Keys.ATTR_ID],
            Keys.ATTR_ARN: number[Keys.ATTR_ARN],
            Keys.ATTR_NUMBER: number[Keys.ATTR_NUMBER],
        },
    }
