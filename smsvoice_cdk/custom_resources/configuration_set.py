"""Custom::SmsVoiceConfigurationSet: a configuration set and its defaults.

- Create makes the set in ``on_event`` (the real name is the physical id at once) and applies the
  defaults in ``is_complete``, so a failed default still leaves an id that rollback deletes.
- Defaults change in place: on update only the ones whose property changed are set, or deleted when the
  property was removed. Native CloudFormation cannot set a default message type; this can.
- A rename is a replacement: the new set is created and its name returned; CloudFormation deletes the
  old one, and the event destinations (their own resources, which take the set's name) are replaced too.
- DeleteConfigurationSet deletes the set's event destinations with it.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict

from . import aws, coerce, tags
from .contract import ConfigurationSet as Keys
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

# Names CreateConfigurationSet accepts; anything else (the framework's CREATE_FAILED marker, a request
# id with colons) was never a set of ours.
NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
SENDER_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,11}")
MESSAGE_TYPES = frozenset({"TRANSACTIONAL", "PROMOTIONAL"})


class ConfigurationSetProperties(TypedDict):
    name: str
    message_type: str | None
    sender_id: str | None
    feedback: bool


def parse(raw: dict[str, Any]) -> ConfigurationSetProperties:
    """The properties as typed values; botocore checks no enum or pattern, so they are checked here."""
    props: ConfigurationSetProperties = {
        "name": str(raw[Keys.NAME]),
        "message_type": coerce.to_str(raw.get(Keys.DEFAULT_MESSAGE_TYPE)),
        "sender_id": coerce.to_str(raw.get(Keys.DEFAULT_SENDER_ID)),
        "feedback": coerce.to_bool(raw.get(Keys.DEFAULT_MESSAGE_FEEDBACK_ENABLED)),
    }
    if props["message_type"] is not None and props["message_type"] not in MESSAGE_TYPES:
        raise ValueError(
            f"{Keys.DEFAULT_MESSAGE_TYPE} {props['message_type']!r} must be one of {sorted(MESSAGE_TYPES)}"
        )
    if props["sender_id"] is not None and not SENDER_ID_PATTERN.fullmatch(props["sender_id"]):
        raise ValueError(f"{Keys.DEFAULT_SENDER_ID} {props['sender_id']!r} must match [A-Za-z0-9_-]{{1,11}}")
    return props


def on_event(event: CustomResourceEvent) -> OnEventResult:
    return dispatch(event, create=create, update=update, delete=delete)


def create(event: CustomResourceEvent) -> OnEventResult:
    props = properties(event)
    name = parse(props)["name"]
    created = aws.call(
        "CreateConfigurationSet",
        ConfigurationSetName=name,
        Tags=tags.for_create(props),
        ClientToken=client_token(event),
    )
    return _result(created["ConfigurationSetName"], created["ConfigurationSetArn"])


def update(event: CustomResourceEvent) -> OnEventResult:
    new_props, old_props = properties(event), old_properties(event)
    name = parse(new_props)["name"]
    if name != physical_id(event):
        return _create_for_rename(event, name)
    arn = describe(name)["ConfigurationSetArn"]
    tags.reconcile(arn, old_props, new_props)
    return _result(name, arn)


def _create_for_rename(event: CustomResourceEvent, name: str) -> OnEventResult:
    """The new name's set. During a rollback it exists already: it is the set being renamed back to."""
    try:
        return create(event)
    except aws.ServiceError as err:
        if not err.is_conflict("RESOURCE_ALREADY_EXISTS"):
            raise
        existing = describe(name)
        if not tags.is_managed(existing["ConfigurationSetArn"]):
            raise
        tags.reconcile(existing["ConfigurationSetArn"], old_properties(event), properties(event))
        return _result(name, existing["ConfigurationSetArn"])


def delete(event: CustomResourceEvent) -> OnEventResult:
    """Delete the set and, with it, its event destinations; a set that is gone needs nothing."""
    name = physical_id(event)
    if NAME_PATTERN.fullmatch(name):
        aws.call_unless_gone("DeleteConfigurationSet", ConfigurationSetName=name)
    return {"PhysicalResourceId": name}


def is_complete(event: CustomResourceEvent) -> IsCompleteResult:
    """Apply the defaults: every one that is set on a new set, only the changed ones on an update."""
    if event["RequestType"] == "Delete":
        return {"IsComplete": True}
    name = physical_id(event)
    new = parse(properties(event))
    old: ConfigurationSetProperties = {
        "name": name,
        "message_type": None,
        "sender_id": None,
        "feedback": False,
    }
    if event["RequestType"] == "Update":
        previous = parse(old_properties(event))
        # A renamed set is a new set: it has none of the old one's defaults (or, during the rollback of
        # a rename, exactly the ones it had, which setting again leaves as they are).
        if previous["name"] == name:
            old = previous
    apply_defaults(name, old, new)
    return {"IsComplete": True}


def apply_defaults(name: str, old: ConfigurationSetProperties, new: ConfigurationSetProperties) -> None:
    if new["message_type"] != old["message_type"]:
        if new["message_type"] is None:
            aws.call("DeleteDefaultMessageType", ConfigurationSetName=name)
        else:
            aws.call("SetDefaultMessageType", ConfigurationSetName=name, MessageType=new["message_type"])
    if new["sender_id"] != old["sender_id"]:
        if new["sender_id"] is None:
            aws.call("DeleteDefaultSenderId", ConfigurationSetName=name)
        else:
            aws.call("SetDefaultSenderId", ConfigurationSetName=name, SenderId=new["sender_id"])
    if new["feedback"] != old["feedback"]:
        aws.call(
            "SetDefaultMessageFeedbackEnabled",
            ConfigurationSetName=name,
            MessageFeedbackEnabled=new["feedback"],
        )


def describe(name: str) -> dict[str, Any]:
    sets: list[dict[str, Any]] = aws.call("DescribeConfigurationSets", ConfigurationSetNames=[name])[
        "ConfigurationSets"
    ]
    return sets[0]


def _result(name: str, arn: str) -> OnEventResult:
    return {"PhysicalResourceId": name, "Data": {Keys.ATTR_NAME: name, Keys.ATTR_ARN: arn}}
