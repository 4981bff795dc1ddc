"""ConfigurationSet: the defaults of the messages sent with it, and where their events go."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from aws_cdk import Arn, ArnFormat, Names, RemovalPolicy, Resource, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from ..custom_resources.contract import ARN_SERVICE
from ..custom_resources.contract import ConfigurationSet as Keys
from .core import ResponseAttribute, SmsVoiceResource
from .enums import EventType, MessageType
from .provider import ISmsVoiceProvider
from .validation import SmsVoiceValidationError, check_choice, check_name, check_pattern, unresolved

if TYPE_CHECKING:
    from .destinations import IEventDestinationSink
    from .event_destination import EventDestination

SENDER_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,11}")
SENDER_ID_RULE = "must be 1 to 11 characters of A-Z, a-z, 0-9, '_' and '-'"


@runtime_checkable
class IConfigurationSet(Protocol):
    """A configuration set, owned by this app or imported."""

    @property
    def configuration_set_name(self) -> str: ...

    @property
    def configuration_set_arn(self) -> str: ...

    def add_event_destination(
        self,
        id: str,
        destination: IEventDestinationSink,
        *,
        events: Sequence[EventType | str],
        enabled: bool = True,
        event_destination_name: str | None = None,
    ) -> EventDestination: ...

    def grant_send_text_message(self, grantee: iam.IGrantable) -> iam.Grant: ...

    def grant_send_voice_message(self, grantee: iam.IGrantable) -> iam.Grant: ...

    def grant_send_media_message(self, grantee: iam.IGrantable) -> iam.Grant: ...


class ConfigurationSetBase(Resource):
    """What owned and imported configuration sets share: event destinations and grants."""

    _name: str
    _arn: str
    _provider: ISmsVoiceProvider | None = None

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self._event_destinations: list[EventDestination] = []

    @property
    def configuration_set_name(self) -> str:
        """The set's name, which is also its id in the API."""
        return self._name

    @property
    def configuration_set_arn(self) -> str:
        return self._arn

    @property
    def event_destinations(self) -> list[EventDestination]:
        """The event destinations of this set that this app defines."""
        return list(self._event_destinations)

    def add_event_destination(
        self,
        id: str,
        destination: IEventDestinationSink,
        *,
        events: Sequence[EventType | str],
        enabled: bool = True,
        event_destination_name: str | None = None,
    ) -> EventDestination:
        """Send the events of ``events`` to ``destination``, through an event destination made here.

        :param id: the construct id of the event destination, a child of this set.
        :param destination: where the events go: ``CloudWatchLogsDestination``, ``FirehoseDestination``
            or ``SnsDestination``.
        :param events: the event types to send, e.g. ``[EventType.ALL]``.
        :param enabled: whether events are sent; a disabled destination keeps its settings.
            Default: - enabled.
        :param event_destination_name: the destination's name, unique within the set.
            Default: - a name unique to the destination's construct path.
        """
        from .event_destination import EventDestination

        return EventDestination(
            self,
            id,
            configuration_set=self,
            destination=destination,
            events=events,
            enabled=enabled,
            event_destination_name=event_destination_name,
            provider=self._provider,
        )

    def grant_send_text_message(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` send text messages with this set.

        Sending also needs a grant on the origination identity (phone number, sender ID or pool).
        """
        return self._grant(grantee, "sms-voice:SendTextMessage")

    def grant_send_voice_message(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` send voice messages with this set.

        Sending also needs a grant on the origination identity (phone number, sender ID or pool).
        """
        return self._grant(grantee, "sms-voice:SendVoiceMessage")

    def grant_send_media_message(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` send media messages with this set.

        Sending also needs a grant on the origination identity (phone number, sender ID or pool).
        """
        return self._grant(grantee, "sms-voice:SendMediaMessage")

    def _grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=list(actions), resource_arns=[self.configuration_set_arn]
        )

    def _register_event_destination(self, destination: EventDestination) -> None:
        """Called by every EventDestination of this set, wherever it is made, to hold the API's limits:
        at most 5 destinations per set, names unique within the set. Checked as each one is added, so
        the error points at the destination that broke the rule."""
        destinations = [*self._event_destinations, destination]
        if len(destinations) > Keys.MAX_EVENT_DESTINATIONS:
            paths = [d.node.path for d in destinations]
            rule = f"a configuration set has at most {Keys.MAX_EVENT_DESTINATIONS} event destinations"
            raise SmsVoiceValidationError(self, "event destinations", paths, rule)
        name = destination.name_as_given
        same = [d for d in self._event_destinations if d.name_as_given == name and not unresolved(name)]
        if same:
            rule = f"event destination names must be unique within a set; {same[0].node.path} has it too"
            raise SmsVoiceValidationError(destination, "event_destination_name", name, rule)
        self._event_destinations.append(destination)


class _ImportedConfigurationSet(ConfigurationSetBase):
    def __init__(self, scope: Construct, id: str, *, name: str, arn: str) -> None:
        super().__init__(scope, id)
        self._name, self._arn = name, arn


class ConfigurationSet(SmsVoiceResource, ConfigurationSetBase):
    """A configuration set (``Custom::SmsVoiceConfigurationSet``).

    Every setting changes in place except the name: a rename creates a new set, replaces the set's event
    destinations, and deletes the old set (with its destinations) unless ``removal_policy`` retains it.

    Example::

        config_set = ConfigurationSet(
            self, "Events", default_message_type=MessageType.TRANSACTIONAL
        )
        config_set.add_event_destination(
            "Logs", CloudWatchLogsDestination(log_group), events=[EventType.ALL]
        )
        config_set.grant_send_text_message(sender_function)
    """

    configuration_set_name = ResponseAttribute(Keys.ATTR_NAME)
    configuration_set_arn = ResponseAttribute(Keys.ATTR_ARN)

    @staticmethod
    def from_configuration_set_name(
        scope: Construct, id: str, configuration_set_name: str
    ) -> IConfigurationSet:
        """An existing set of this stack's account and region, by name."""
        arn = Stack.of(scope).format_arn(
            service=ARN_SERVICE,
            resource=Keys.ARN_RESOURCE,
            resource_name=configuration_set_name,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        return _ImportedConfigurationSet(scope, id, name=configuration_set_name, arn=arn)

    @staticmethod
    def from_configuration_set_arn(
        scope: Construct, id: str, configuration_set_arn: str
    ) -> IConfigurationSet:
        """An existing set, by ARN.

        The ARN reads ``arn:<partition>:sms-voice:<region>:<account>:configuration-set/<name>``.
        """
        name = Arn.split(configuration_set_arn, ArnFormat.SLASH_RESOURCE_NAME).resource_name
        return _ImportedConfigurationSet(scope, id, name=str(name), arn=configuration_set_arn)

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        configuration_set_name: str | None = None,
        default_message_type: MessageType | str | None = None,
        default_sender_id: str | None = None,
        message_feedback: bool = False,
        tags: Mapping[str, str] | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.DESTROY,
        provider: ISmsVoiceProvider | None = None,
    ) -> None:
        """
        :param configuration_set_name: the set's name, 1 to 64 of ``[A-Za-z0-9_-]``; changing it replaces
            the set. Default: - a name unique to this construct's path.
        :param default_message_type: the message type of messages sent with the set that name none.
            Default: - none (the service's own default applies).
        :param default_sender_id: the sender ID used where the destination country supports sender IDs
            and no other identity is available, 1 to 11 of ``[A-Za-z0-9_-]``. Default: - none.
        :param message_feedback: whether messages sent with the set expect feedback (PutMessageFeedback).
            Default: - false.
        :param tags: tags of the set, merged with ``Tags.of(...)``. Default: - none.
        :param removal_policy: what happens when the set leaves the stack. A set holds settings, not
            data, and deleting it deletes its event destinations. Default: - DESTROY.
        :param provider: the provider that serves the set and its destinations.
            Default: - the stack's provider.
        """
        super().__init__(scope, id, resource_type=Keys.TYPE, tags=tags)
        path = self
        check_name(path, "configuration_set_name", configuration_set_name)
        check_choice(path, "default_message_type", default_message_type, [m.value for m in MessageType])
        check_pattern(path, "default_sender_id", default_sender_id, SENDER_ID_PATTERN, SENDER_ID_RULE)
        name = configuration_set_name or Names.unique_resource_name(
            self, max_length=64, separator="-", allowed_special_characters="_-"
        )
        props: dict[str, Any] = {Keys.NAME: name, Keys.DEFAULT_MESSAGE_FEEDBACK_ENABLED: message_feedback}
        if default_message_type is not None:
            props[Keys.DEFAULT_MESSAGE_TYPE] = str(default_message_type)
        if default_sender_id is not None:
            props[Keys.DEFAULT_SENDER_ID] = default_sender_id
        self._provider = provider
        resource = self._create_custom_resource(props, provider=provider, removal_policy=removal_policy)
        self._resource = resource
