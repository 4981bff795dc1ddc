"""Configuration sets and their event destinations, as the API reference describes them.

What the fake enforces because the service does (and the handler must cope with):
- at most 5 event destinations per set (ServiceQuotaExceededException
  EVENT_DESTINATIONS_PER_CONFIGURATION_SET); names unique within a set (ConflictException
  RESOURCE_ALREADY_EXISTS);
- CreateEventDestination takes the set's name, not its ARN; exactly one sink; no TEXT_SENT;
- UpdateEventDestination cannot change a destination's sink type (ConflictException
  EVENT_DESTINATION_MISMATCH, the reason the model has for it);
- the service must be able to assume a destination's role: roles listed in ``propagating_roles`` fail
  that check (ValidationException RESOURCE_NOT_ACCESSIBLE) for as many calls as their count says, the
  way a role created a moment ago does until IAM has propagated it;
- DeleteConfigurationSet deletes the set's event destinations with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .service import FakeCore, FakeError, conflict, not_found, paginate, validation

SINK_TYPES = ("CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination")
MAX_EVENT_DESTINATIONS = 5


@dataclass
class EventDestinationState:
    name: str
    event_types: list[str]
    sink_type: str
    sink: dict[str, str]
    enabled: bool = True

    def describe(self) -> dict[str, Any]:
        return {
            "EventDestinationName": self.name,
            "Enabled": self.enabled,
            "MatchingEventTypes": list(self.event_types),
            self.sink_type: dict(self.sink),
        }


@dataclass
class ConfigurationSetState:
    name: str
    arn: str
    created: float
    default_message_type: str | None = None
    default_sender_id: str | None = None
    feedback_enabled: bool = False
    destinations: dict[str, EventDestinationState] = field(default_factory=dict)


class ConfigurationSetsMixin(FakeCore):
    def __init__(self) -> None:
        super().__init__()
        self.configuration_sets: dict[str, ConfigurationSetState] = {}
        # role ARN -> how many more times the service fails to assume it
        self.propagating_roles: dict[str, int] = {}

    def configuration_set(self, name_or_arn: str) -> ConfigurationSetState:
        for state in self.configuration_sets.values():
            if name_or_arn in (state.name, state.arn):
                return state
        raise not_found("configuration-set", name_or_arn)

    def event_destination(self, set_name: str, name: str) -> EventDestinationState:
        destinations = self.configuration_set(set_name).destinations
        if name not in destinations:
            raise not_found("event-destination", name)
        return destinations[name]

    # --- configuration sets -------------------------------------------------------------------------
    def CreateConfigurationSet(self, p: dict[str, Any]) -> dict[str, Any]:
        name = p["ConfigurationSetName"]
        if name in self.configuration_sets:
            raise conflict("RESOURCE_ALREADY_EXISTS", "configuration-set", name)
        state = ConfigurationSetState(name, self.arn("configuration-set", name), _now())
        self.configuration_sets[name] = state
        self.set_tags(state.arn, p.get("Tags"))
        return {
            "ConfigurationSetArn": state.arn,
            "ConfigurationSetName": state.name,
            "Tags": self.tag_list(state.arn),
            "CreatedTimestamp": state.created,
        }

    def DeleteConfigurationSet(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.configuration_set(p["ConfigurationSetName"])
        response = self._describe_configuration_set(state)
        del self.configuration_sets[state.name]
        self.tags.pop(state.arn, None)
        return response

    def DescribeConfigurationSets(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("Filters"):
            raise NotImplementedError("the fake does not filter configuration sets")
        names = p.get("ConfigurationSetNames")
        states = (
            [self.configuration_set(n) for n in names] if names else list(self.configuration_sets.values())
        )
        page, token = paginate([self._describe_configuration_set(s) for s in states], p)
        return {"ConfigurationSets": page, **({"NextToken": token} if token else {})}

    def SetDefaultMessageType(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.configuration_set(p["ConfigurationSetName"])
        state.default_message_type = p["MessageType"]
        return {**self._configuration_set_ids(state), "MessageType": state.default_message_type}

    def DeleteDefaultMessageType(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.configuration_set(p["ConfigurationSetName"])
        previous, state.default_message_type = state.default_message_type, None
        return {**self._configuration_set_ids(state), **({"MessageType": previous} if previous else {})}

    def SetDefaultSenderId(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.configuration_set(p["ConfigurationSetName"])
        state.default_sender_id = p["SenderId"]
        return {**self._configuration_set_ids(state), "SenderId": state.default_sender_id}

    def DeleteDefaultSenderId(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.configuration_set(p["ConfigurationSetName"])
        previous, state.default_sender_id = state.default_sender_id, None
        return {**self._configuration_set_ids(state), **({"SenderId": previous} if previous else {})}

    def SetDefaultMessageFeedbackEnabled(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.configuration_set(p["ConfigurationSetName"])
        state.feedback_enabled = bool(p["MessageFeedbackEnabled"])
        return {**self._configuration_set_ids(state), "MessageFeedbackEnabled": state.feedback_enabled}

    # --- event destinations -------------------------------------------------------------------------
    def CreateEventDestination(self, p: dict[str, Any]) -> dict[str, Any]:
        set_name = p["ConfigurationSetName"]
        if set_name.startswith("arn:"):
            raise validation(
                "INVALID_PARAMETER", "ConfigurationSetName must be a name, not an ARN", "ConfigurationSetName"
            )
        state = self.configuration_set(set_name)
        sink_type = _one_sink(p)
        _check_event_types(p["MatchingEventTypes"])
        name = p["EventDestinationName"]
        if name in state.destinations:
            raise conflict("RESOURCE_ALREADY_EXISTS", "event-destination", name)
        if len(state.destinations) >= MAX_EVENT_DESTINATIONS:
            raise FakeError(
                "ServiceQuotaExceededException",
                f"a configuration set has at most {MAX_EVENT_DESTINATIONS} event destinations",
                Reason="EVENT_DESTINATIONS_PER_CONFIGURATION_SET",
            )
        self._assume_destination_role(p[sink_type])
        destination = EventDestinationState(
            name, list(p["MatchingEventTypes"]), sink_type, dict(p[sink_type])
        )
        state.destinations[name] = destination
        return {**self._configuration_set_ids(state), "EventDestination": destination.describe()}

    def UpdateEventDestination(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.configuration_set(p["ConfigurationSetName"])
        destination = self.event_destination(state.name, p["EventDestinationName"])
        sinks = [key for key in SINK_TYPES if key in p]
        if len(sinks) > 1:
            raise validation("PARAMETERS_CANNOT_BE_USED_TOGETHER", f"only one of {SINK_TYPES} may be given")
        if sinks and sinks[0] != destination.sink_type:
            raise conflict(
                "EVENT_DESTINATION_MISMATCH",
                "event-destination",
                destination.name,
                f"an event destination cannot change its type from {destination.sink_type} to {sinks[0]}",
            )
        if sinks:
            self._assume_destination_role(p[sinks[0]])
            destination.sink = dict(p[sinks[0]])
        if "MatchingEventTypes" in p:
            _check_event_types(p["MatchingEventTypes"])
            destination.event_types = list(p["MatchingEventTypes"])
        if "Enabled" in p:
            destination.enabled = bool(p["Enabled"])
        return {**self._configuration_set_ids(state), "EventDestination": destination.describe()}

    def DeleteEventDestination(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.configuration_set(p["ConfigurationSetName"])
        destination = self.event_destination(state.name, p["EventDestinationName"])
        del state.destinations[destination.name]
        return {**self._configuration_set_ids(state), "EventDestination": destination.describe()}

    # --- helpers ------------------------------------------------------------------------------------
    def _assume_destination_role(self, sink: dict[str, str]) -> None:
        role = sink.get("IamRoleArn")
        if role and self.propagating_roles.get(role, 0) > 0:
            self.propagating_roles[role] -= 1
            raise validation("RESOURCE_NOT_ACCESSIBLE", f"Could not assume IAM role {role}", "IamRoleArn")

    def _configuration_set_ids(self, state: ConfigurationSetState) -> dict[str, Any]:
        return {"ConfigurationSetArn": state.arn, "ConfigurationSetName": state.name}

    def _describe_configuration_set(self, state: ConfigurationSetState) -> dict[str, Any]:
        described: dict[str, Any] = {
            **self._configuration_set_ids(state),
            "EventDestinations": [d.describe() for d in state.destinations.values()],
            "DefaultMessageFeedbackEnabled": state.feedback_enabled,
            "CreatedTimestamp": state.created,
        }
        if state.default_message_type:
            described["DefaultMessageType"] = state.default_message_type
        if state.default_sender_id:
            described["DefaultSenderId"] = state.default_sender_id
        return described


def _one_sink(p: dict[str, Any]) -> str:
    sinks = [key for key in SINK_TYPES if key in p]
    if len(sinks) != 1:
        raise validation(
            "INVALID_PARAMETER", f"exactly one of {', '.join(SINK_TYPES)} is required, got {len(sinks)}"
        )
    return sinks[0]


def _check_event_types(event_types: list[str]) -> None:
    if "TEXT_SENT" in event_types:
        raise validation(
            "INVALID_PARAMETER", "The TEXT_SENT event type is not supported", "MatchingEventTypes"
        )


def _now() -> float:
    return datetime.now(UTC).timestamp()


__all__ = ["ConfigurationSetState", "ConfigurationSetsMixin", "EventDestinationState"]
