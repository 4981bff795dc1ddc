"""smsvoice-cdk: AWS CDK constructs for the Amazon Pinpoint SMS and Voice API, version 2."""

from .constructs.enums import EventType, KeywordAction, MessageType, NumberCapability, NumberType
from .constructs.opt_out_list import IOptOutList, OptOutList, OptOutListBase
from .constructs.provider import ISmsVoiceProvider, SmsVoiceProvider
from .constructs.validation import SmsVoiceValidationError

__all__ = [
    "EventType",
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
]
