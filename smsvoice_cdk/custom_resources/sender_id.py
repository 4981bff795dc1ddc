"""Custom::SmsVoiceSenderId: an alphanumeric sender ID for one country.

The API names a sender ID by the pair (sender ID, country), so the physical id is ``SENDER|CC``.
A new sender ID or country is another sender ID (a replacement); message types cannot be changed after
the request, and deletion protection and tags change in place.
"""

from __future__ import annotations

import re
from typing import Any

from . import aws, coerce, settings, tags
from .contract import SenderId as Keys
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

ID_PATTERN = re.compile(r"([A-Za-z0-9_-]{1,11})\|([A-Z]{2})")


def on_event(event: CustomResourceEvent) -> OnEventResult:
    return dispatch(event, create=create, update=update, delete=delete)


def make_id(sender_id: str, iso_country_code: str) -> str:
    return f"{sender_id}{Keys.ID_SEPARATOR}{iso_country_code}"


def create(event: CustomResourceEvent) -> OnEventResult:
    props = properties(event)
    params: dict[str, Any] = {
        Keys.SENDER_ID: str(props[Keys.SENDER_ID]),
        Keys.ISO_COUNTRY_CODE: str(props[Keys.ISO_COUNTRY_CODE]),
        Keys.MESSAGE_TYPES: coerce.to_str_list(props.get(Keys.MESSAGE_TYPES)),
        Keys.DELETION_PROTECTION_ENABLED: coerce.to_bool(props.get(Keys.DELETION_PROTECTION_ENABLED)),
    }
    created = aws.call(
        "RequestSenderId", **params, Tags=tags.for_create(props), ClientToken=client_token(event)
    )
    return _result(created)


def update(event: CustomResourceEvent) -> OnEventResult:
    new, old = properties(event), old_properties(event)
    identity = (str(new[Keys.SENDER_ID]), str(new[Keys.ISO_COUNTRY_CODE]))
    if identity != (str(old[Keys.SENDER_ID]), str(old[Keys.ISO_COUNTRY_CODE])):
        return _create_for_replacement(event, identity)
    old_types = sorted(coerce.to_str_list(old.get(Keys.MESSAGE_TYPES)))
    new_types = sorted(coerce.to_str_list(new.get(Keys.MESSAGE_TYPES)))
    if old_types != new_types:
        raise ValueError(
            f"sender ID {make_id(*identity)}: {Keys.MESSAGE_TYPES} cannot change from {old_types} to "
            f"{new_types}: the API sets them only when the sender ID is requested, and the same sender ID "
            f"cannot be requested twice in one country. Revert the change, or release the sender ID "
            f"(remove it from the stack with the DESTROY removal policy) and request it again."
        )
    current = describe(*identity)
    protect = coerce.to_bool(new.get(Keys.DELETION_PROTECTION_ENABLED))
    # Switched off only by a template that switches it off: protection turned on outside the stack stays.
    turned_off = not protect and coerce.to_bool(old.get(Keys.DELETION_PROTECTION_ENABLED))
    if (protect or turned_off) and protect != current[Keys.DELETION_PROTECTION_ENABLED]:
        current = aws.call(
            "UpdateSenderId",
            SenderId=identity[0],
            IsoCountryCode=identity[1],
            DeletionProtectionEnabled=protect,
        )
    tags.reconcile(current[Keys.ATTR_ARN], old, new)
    return _result(current)


def _create_for_replacement(event: CustomResourceEvent, identity: tuple[str, str]) -> OnEventResult:
    """Another sender ID; the old one is released or retained by its policy. During the rollback of a
    replacement the wanted one exists already (CloudFormation deletes a replaced resource only after
    success): it is the one being rolled back to, taken back if it is ours."""
    try:
        return create(event)
    except aws.ServiceError as err:
        if not err.is_conflict("RESOURCE_ALREADY_EXISTS"):
            raise
        existing = describe(*identity)
        if not tags.is_managed(existing[Keys.ATTR_ARN]):
            raise
        tags.reconcile(existing[Keys.ATTR_ARN], old_properties(event), properties(event))
        return _result(existing)


def delete(event: CustomResourceEvent) -> OnEventResult:
    """Release the sender ID; one that is gone, or an id that was never a sender ID, needs nothing."""
    resource_id = physical_id(event)
    match = ID_PATTERN.fullmatch(resource_id)
    if match:
        try:
            aws.call("ReleaseSenderId", SenderId=match[1], IsoCountryCode=match[2])
        except aws.ServiceError as err:
            if err.is_conflict("DELETION_PROTECTION_ENABLED"):
                raise ValueError(settings.deletion_protection_message("sender ID", resource_id, err)) from err
            if not err.not_found:
                raise
    return {"PhysicalResourceId": resource_id}


def is_complete(event: CustomResourceEvent) -> IsCompleteResult:
    """A sender ID is usable as soon as it is requested: nothing to wait for."""
    return {"IsComplete": True}


def describe(sender_id: str, iso_country_code: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = aws.call(
        "DescribeSenderIds", SenderIds=[{"SenderId": sender_id, "IsoCountryCode": iso_country_code}]
    )["SenderIds"]
    return found[0]


def _result(sender: dict[str, Any]) -> OnEventResult:
    return {
        "PhysicalResourceId": make_id(sender[Keys.SENDER_ID], sender[Keys.ISO_COUNTRY_CODE]),
        "Data": {
            Keys.ATTR_ARN: sender[Keys.ATTR_ARN],
            Keys.ATTR_SENDER_ID: sender[Keys.SENDER_ID],
            Keys.ATTR_ISO_COUNTRY_CODE: sender[Keys.ISO_COUNTRY_CODE],
        },
    }
