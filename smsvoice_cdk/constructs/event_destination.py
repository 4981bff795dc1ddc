"""EventDestination: one place a configuration set sends its events to.

Its own custom resource, so a destination can be added to a set from another construct or stack. Event
types, the enabled flag and the sink's ARNs change in place; a change of sink type (logs to SNS, say)
replaces the destination under the same name.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Names, RemovalPolicy, Resource
from constructs import Construct

from ..custom_resources.contract import EventDestination as Keys
from .configuration_set import ConfigurationSetBase, IConfigurationSet
from .core import ResponseAttribute, custom_resource, property_value
from .destinations import IEventDestinationSink
from .enums import EventType
from .provider import ISmsVoiceProvider
from .validation import SmsVoiceValidationError, Where, check_name, unresolved

EVENT_TYPES = frozenset(e.value for e in EventType)
# The API reference: "The TEXT_SENT event type is not supported" in MatchingEventTypes.
UNSUPPORTED_EVENT_TYPES = frozenset({EventType.TEXT_SENT.value})


class EventDestination(Resource):
    """An event destination of a configuration set (``Custom::SmsVoiceEventDestination``).

    Usually made with ``configuration_set.add_event_destination(...)``; made directly it can live in
    another construct or stack than its set.

    Example::

        EventDestination(
            self,
            "Alerts",
            configuration_set=ConfigurationSet.from_configuration_set_name(self, "Set", "tenant-a"),
            destination=SnsDestination(topic),
            events=[EventType.TEXT_BLOCKED, EventType.TEXT_CARRIER_BLOCKED],
        )
    """

    _name = ResponseAttribute(Keys.ATTR_NAME)

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        configuration_set: IConfigurationSet,
        destination: IEventDestinationSink,
        events: Sequence[EventType | str],
        enabled: bool = True,
        event_destination_name: str | None = None,
        provider: ISmsVoiceProvider | None = None,
    ) -> None:
        """
        :param configuration_set: the set whose events are sent.
        :param destination: where they go: ``CloudWatchLogsDestination``, ``FirehoseDestination`` or
            ``SnsDestination``; changing its kind replaces the destination.
        :param events: the event types to send, at least one, e.g. ``[EventType.ALL]``.
        :param enabled: whether events are sent; a disabled destination keeps its settings.
            Default: - enabled.
        :param event_destination_name: the name, 1 to 64 of ``[A-Za-z0-9_-]``, unique within the set;
            changing it replaces the destination. Default: - a name unique to this construct's path.
        :param provider: the provider that serves the destination. Default: - the stack's provider.
        """
        super().__init__(scope, id)
        check_name(self, "event_destination_name", event_destination_name)
        event_types = _checked_event_types(self, events)
        name = event_destination_name or Names.unique_resource_name(
            self, max_length=64, separator="-", allowed_special_characters="_-"
        )
        self._name_as_given = name
        self.configuration_set = configuration_set
        if isinstance(configuration_set, ConfigurationSetBase):
            configuration_set._register_event_destination(self)

        sink = destination.bind(self, configuration_set)
        resource = custom_resource(
            self,
            resource_type=Keys.TYPE,
            properties={
                # The name, never the ARN: CreateEventDestination rejects an ARN.
                Keys.CONFIGURATION_SET_NAME: property_value(configuration_set, "configuration_set_name"),
                Keys.NAME: name,
                Keys.MATCHING_EVENT_TYPES: event_types,
                Keys.ENABLED: enabled,
                sink.sink_type: dict(sink.properties),
            },
            provider=provider,
            removal_policy=RemovalPolicy.DESTROY,
        )
        for dependency in sink.dependencies:
            resource.node.add_dependency(dependency)
        self._resource = resource

    @property
    def event_destination_name(self) -> str:
        """The destination's name (a deploy-time attribute, so users of it wait for the destination)."""
        return self._name

    @property
    def name_as_given(self) -> str:
        """The name the template carries, for synth-time checks across a set's destinations."""
        return self._name_as_given


def _checked_event_types(path: Where, events: Sequence[EventType | str]) -> list[str]:
    values = [str(event) for event in events]
    if not values:
        raise SmsVoiceValidationError(path, "events", [], "name at least one event type, e.g. EventType.ALL")
    for value in values:
        if unresolved(value):
            continue
        if value not in EVENT_TYPES:
            raise SmsVoiceValidationError(
                path,
                "events",
                value,
                f"must be one of the EventType values: {', '.join(sorted(EVENT_TYPES))}",
            )
        if value in UNSUPPORTED_EVENT_TYPES:
            raise SmsVoiceValidationError(
                path, "events", value, "the API does not accept it in an event destination"
            )
    duplicates = sorted({value for value in values if values.count(value) > 1})
    if duplicates:
        raise SmsVoiceValidationError(path, "events", duplicates, "each event type may appear only once")
    return values
