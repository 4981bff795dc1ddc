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

from . import aws, coerce
from .contract import ConfigurationSet as Keys
from .events import (
    CustomResourceEvent,
    IsCompleteResult,
    OnEventResult,
    old_properties,
    physical_id,
    properties,
)
from .named import NamedResource

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


CONFIGURATION_SETS = NamedResource("ConfigurationSet", NAME_PATTERN, check=parse)


def on_event(event: CustomResourceEvent) -> OnEventResult:
    """Create, rename (a replacement) or delete the set; deleting it deletes its event destinations."""
    return CONFIGURATION_SETS.on_event(event)


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
