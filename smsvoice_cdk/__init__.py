"""smsvoice-cdk: AWS CDK constructs for the Amazon Pinpoint SMS and Voice API, version 2."""

from .constructs.configuration_set import ConfigurationSet, ConfigurationSetBase, IConfigurationSet
from .constructs.destinations import (
    CloudWatchLogsDestination,
    EventDestinationSinkConfig,
    FirehoseDestination,
    IEventDestinationSink,
    SnsDestination,
)
from .constructs.enums import EventType, KeywordAction, MessageType, NumberCapability, NumberType
from .constructs.event_destination import EventDestination
from .constructs.keyword import Keyword
from .constructs.opt_out_list import IOptOutList, OptOutList, OptOutListBase
from .constructs.origination_identity import IOriginationIdentity, OriginationIdentityKind, TwoWayChannel
from .constructs.phone_number import IPhoneNumber, NumberPreference, PhoneNumber, PhoneNumberBase
from .constructs.pool import IPool, Pool, PoolBase
from .constructs.provider import ISmsVoiceProvider, SmsVoiceProvider
from .constructs.sender_id import ISenderId, SenderId, SenderIdBase
from .constructs.tenant import EventDestinationKind, PhoneNumberRequest, TenantMessaging
from .constructs.validation import SmsVoiceValidationError

__all__ = [
    "CloudWatchLogsDestination",
    "ConfigurationSet",
    "ConfigurationSetBase",
    "EventDestination",
    "EventDestinationKind",
    "EventDestinationSinkConfig",
    "EventType",
    "FirehoseDestination",
    "IConfigurationSet",
    "IEventDestinationSink",
    "IOptOutList",
    "IOriginationIdentity",
    "IPhoneNumber",
    "IPool",
    "ISenderId",
    "ISmsVoiceProvider",
    "Keyword",
    "KeywordAction",
    "MessageType",
    "NumberCapability",
    "NumberPreference",
    "NumberType",
    "OptOutList",
    "OptOutListBase",
    "OriginationIdentityKind",
    "PhoneNumber",
    "PhoneNumberBase",
    "PhoneNumberRequest",
    "Pool",
    "PoolBase",
    "SenderId",
    "SenderIdBase",
    "SmsVoiceProvider",
    "SmsVoiceValidationError",
    "SnsDestination",
    "TenantMessaging",
    "TwoWayChannel",
]
