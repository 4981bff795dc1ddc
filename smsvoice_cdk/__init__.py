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
from .constructs.opt_out_list import IOptOutList, OptOutList, OptOutListBase
from .constructs.provider import ISmsVoiceProvider, SmsVoiceProvider
from .constructs.validation import SmsVoiceValidationError

__all__ = [
    "CloudWatchLogsDestination",
    "ConfigurationSet",
    "ConfigurationSetBase",
    "EventDestination",
    "EventDestinationSinkConfig",
    "EventType",
    "FirehoseDestination",
    "IConfigurationSet",
    "IEventDestinationSink",
    "IOptOutList",
    "ISmsVoiceProvider",
    "KeywordAction",
    "MessageType",
    "NumberCapability",
    "NumberType",
    "OptOutList",
    "OptOutListBase",
    "SmsVoiceProvider",
    "SmsVoiceValidationError",
    "SnsDestination",
]
