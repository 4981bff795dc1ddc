"""Custom::SmsVoiceEventDestination: one event destination of a configuration set, with exactly one sink.

The physical id is ``"<set>|<name>|<sink type>"``. Facts of the API that shape this module:
- CreateEventDestination takes the set's name (an ARN is rejected) and has no ``Enabled`` input, so a
  disabled destination is created, then disabled by UpdateEventDestination in ``is_complete``;
- a destination cannot change its sink type and names are unique within a set, so a sink-type change
  deletes the old destination and creates the new one under the same name, and returns a new id. The
  Delete CloudFormation sends afterwards for the old id then finds a destination of another sink type
  under that name and leaves it alone;
- the service checks that it can assume the destination's role when the destination is created or
  changed; a role created moments before may not have propagated yet, so those calls retry for about
  two minutes.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, TypedDict

from . import aws, coerce
from .contract import EventDestination as Keys
from .events import (
    CustomResourceEvent,
    IsCompleteResult,
    OnEventResult,
    client_token,
    dispatch,
    physical_id,
    properties,
)

SET_NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class DestinationId(NamedTuple):
    """What the physical id encodes: enough to find the destination and to tell whether it is ours."""

    configuration_set_name: str
    name: str
    sink_type: str

    def __str__(self) -> str:
        return Keys.ID_SEPARATOR.join(self)

    @classmethod
    def parse(cls, text: str) -> DestinationId | None:
        """The id, or None for an id this handler never returned (a failed create's marker, say)."""
        parts = text.split(Keys.ID_SEPARATOR)
        if len(parts) != 3:
            return None
        set_name, name, sink_type = parts
        if not SET_NAME_PATTERN.fullmatch(set_name) or not NAME_PATTERN.fullmatch(name):
            return None
        return cls(set_name, name, sink_type) if sink_type in Keys.SINK_TYPES else None


class EventDestinationProperties(TypedDict):
    configuration_set_name: str
    name: str
    event_types: list[str]
    enabled: bool
    sink_type: str
    sink: dict[str, str]


def parse(raw: dict[str, Any]) -> EventDestinationProperties:
    sinks = [key for key in Keys.SINK_TYPES if raw.get(key)]
    if len(sinks) != 1:
        raise ValueError(f"exactly one of {', '.join(Keys.SINK_TYPES)} is required, got {sinks or 'none'}")
    event_types = coerce.to_str_list(raw.get(Keys.MATCHING_EVENT_TYPES))
    if not event_types:
        raise ValueError(f"{Keys.MATCHING_EVENT_TYPES} must name at least one event type")
    return {
        "configuration_set_name": str(raw[Keys.CONFIGURATION_SET_NAME]),
        "name": str(raw[Keys.NAME]),
        "event_types": event_types,
        "enabled": coerce.to_bool(raw.get(Keys.ENABLED), default=True),
        "sink_type": sinks[0],
        "sink": {str(k): str(v) for k, v in raw[sinks[0]].items()},
    }


def identity(props: EventDestinationProperties) -> DestinationId:
    return DestinationId(props["configuration_set_name"], props["name"], props["sink_type"])


def on_event(event: CustomResourceEvent) -> OnEventResult:
    return dispatch(event, create=create, update=update, delete=delete)


def create(event: CustomResourceEvent) -> OnEventResult:
    props = parse(properties(event))
    aws.call(
        "CreateEventDestination",
        retry_iam_propagation=True,
        **_destination_params(props),
        ClientToken=client_token(event),
    )
    return _result(identity(props))


def _destination_params(props: EventDestinationProperties) -> dict[str, Any]:
    """What CreateEventDestination and UpdateEventDestination both take: set, name, events, the sink."""
    return {
        "ConfigurationSetName": props["configuration_set_name"],
        "EventDestinationName": props["name"],
        "MatchingEventTypes": props["event_types"],
        props["sink_type"]: props["sink"],
    }


def update(event: CustomResourceEvent) -> OnEventResult:
    props = parse(properties(event))
    new_id, current = identity(props), DestinationId.parse(physical_id(event))
    if current == new_id:
        try:
            _update_in_place(props)
        except aws.ServiceError as err:
            # Only the rollback of a failed sink-type swap finds its own destination gone: recreate it.
            if not err.not_found:
                raise
            return create(event)
        return _result(new_id)
    if current is not None and current[:2] == new_id[:2]:
        # Same set, same name, another sink type: the name is unique within the set and the type
        # cannot change, so the old destination goes first.
        _delete_if_ours(current)
    return _create_for_replacement(event, props)


def _create_for_replacement(event: CustomResourceEvent, props: EventDestinationProperties) -> OnEventResult:
    """Create in the (new) set. During the rollback of a set rename the old set still holds this very
    destination (CloudFormation deletes replaced resources only after success): one that sends to the
    same sink is adopted and updated; any other is someone else's and the conflict is reported."""
    try:
        return create(event)
    except aws.ServiceError as err:
        if not err.is_conflict("RESOURCE_ALREADY_EXISTS"):
            raise
        existing = find(props["configuration_set_name"], props["name"])
        if existing is None or existing.get(props["sink_type"]) != props["sink"]:
            raise
        _update_in_place(props)
        return _result(identity(props))


def _update_in_place(props: EventDestinationProperties) -> None:
    aws.call(
        "UpdateEventDestination",
        retry_iam_propagation=True,
        Enabled=props["enabled"],
        **_destination_params(props),
    )


def delete(event: CustomResourceEvent) -> OnEventResult:
    """Delete the destination this id names, if it still has the id's sink type; anything else is left."""
    destination_id = DestinationId.parse(physical_id(event))
    if destination_id is not None:
        _delete_if_ours(destination_id)
    return {"PhysicalResourceId": physical_id(event)}


def _delete_if_ours(destination_id: DestinationId) -> None:
    existing = find(destination_id.configuration_set_name, destination_id.name)
    if existing is None or destination_id.sink_type not in existing:
        return
    try:
        aws.call(
            "DeleteEventDestination",
            ConfigurationSetName=destination_id.configuration_set_name,
            EventDestinationName=destination_id.name,
        )
    except aws.ServiceError as err:
        if not err.not_found:
            raise


def is_complete(event: CustomResourceEvent) -> IsCompleteResult:
    """Converge ``Enabled``: CreateEventDestination always makes an enabled destination."""
    if event["RequestType"] == "Delete":
        return {"IsComplete": True}
    props = parse(properties(event))
    existing = find(props["configuration_set_name"], props["name"])
    if existing is None:
        raise RuntimeError(
            f"event destination {props['name']} of configuration set "
            f"{props['configuration_set_name']} disappeared while it was being configured"
        )
    if existing["Enabled"] != props["enabled"]:
        aws.call(
            "UpdateEventDestination",
            retry_iam_propagation=True,
            ConfigurationSetName=props["configuration_set_name"],
            EventDestinationName=props["name"],
            Enabled=props["enabled"],
        )
    return {"IsComplete": True}


def find(configuration_set_name: str, name: str) -> dict[str, Any] | None:
    """The destination of that name, or None when it or its whole set is gone."""
    try:
        response = aws.call("DescribeConfigurationSets", ConfigurationSetNames=[configuration_set_name])
    except aws.ServiceError as err:
        if err.not_found:
            return None
        raise
    for configuration_set in response["ConfigurationSets"]:
        for destination in configuration_set.get("EventDestinations", []):
            if destination["EventDestinationName"] == name:
                return dict(destination)
    return None


def _result(destination_id: DestinationId) -> OnEventResult:
    return {
        "PhysicalResourceId": str(destination_id),
        "Data": {
            Keys.ATTR_NAME: destination_id.name,
            Keys.ATTR_CONFIGURATION_SET_NAME: destination_id.configuration_set_name,
        },
    }
