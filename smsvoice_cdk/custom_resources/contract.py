"""Names shared by the constructs (synth time) and the handler (deploy time).

Resource type strings are stable forever: changing one replaces every live resource of that type.
Property and attribute keys are the API's own parameter names, so a template reads like the API reference.
"""

from typing import Final

TAGS: Final = "Tags"

# Every resource the handler creates carries this tag. The handler role may create resources only with
# it (aws:RequestTag) and mutate only resources that have it (aws:ResourceTag).
MANAGED_TAG_KEY: Final = "smsvoice-cdk:managed"
MANAGED_TAG_VALUE: Final = "true"

# Roles the service assumes (event destinations, two-way channels) live under this path, so the handler
# role can pass exactly those roles and no others.
SERVICE_ROLE_PATH: Final = "/smsvoice-cdk/"
SERVICE_PRINCIPAL: Final = "sms-voice.amazonaws.com"
ARN_SERVICE: Final = "sms-voice"


class OptOutList:
    TYPE: Final = "Custom::SmsVoiceOptOutList"
    NAME: Final = "OptOutListName"
    OPTED_OUT_NUMBERS: Final = "OptedOutNumbers"
    ATTR_NAME: Final = "OptOutListName"
    ATTR_ARN: Final = "OptOutListArn"
    ARN_RESOURCE: Final = "opt-out-list"


# Settings shared by phone numbers and pools.
OPT_OUT_LIST_NAME: Final = "OptOutListName"
MESSAGE_TYPE: Final = "MessageType"
ISO_COUNTRY_CODE: Final = "IsoCountryCode"
DELETION_PROTECTION_ENABLED: Final = "DeletionProtectionEnabled"
SELF_MANAGED_OPT_OUTS_ENABLED: Final = "SelfManagedOptOutsEnabled"
TWO_WAY_ENABLED: Final = "TwoWayEnabled"
TWO_WAY_CHANNEL_ARN: Final = "TwoWayChannelArn"
TWO_WAY_CHANNEL_ROLE: Final = "TwoWayChannelRole"
# [{"Keyword": ..., "KeywordMessage": ..., "KeywordAction": ...}], the API's PutKeyword parameters.
KEYWORDS: Final = "Keywords"
KEYWORD: Final = "Keyword"
KEYWORD_MESSAGE: Final = "KeywordMessage"
KEYWORD_ACTION: Final = "KeywordAction"
# Keywords every number has, whose messages can be changed but which can never be deleted.
PROTECTED_KEYWORDS: Final = frozenset({"HELP", "STOP"})


class PhoneNumber:
    TYPE: Final = "Custom::SmsVoicePhoneNumber"
    ISO_COUNTRY_CODE: Final = ISO_COUNTRY_CODE
    MESSAGE_TYPE: Final = MESSAGE_TYPE
    NUMBER_TYPE: Final = "NumberType"
    NUMBER_CAPABILITIES: Final = "NumberCapabilities"
    OPT_OUT_LIST_NAME: Final = OPT_OUT_LIST_NAME
    REGISTRATION_ID: Final = "RegistrationId"
    NUMBER_PREFERENCE: Final = "NumberPreference"
    INTERNATIONAL_SENDING_ENABLED: Final = "InternationalSendingEnabled"
    DELETION_PROTECTION_ENABLED: Final = DELETION_PROTECTION_ENABLED
    SELF_MANAGED_OPT_OUTS_ENABLED: Final = SELF_MANAGED_OPT_OUTS_ENABLED
    TWO_WAY_ENABLED: Final = TWO_WAY_ENABLED
    TWO_WAY_CHANNEL_ARN: Final = TWO_WAY_CHANNEL_ARN
    TWO_WAY_CHANNEL_ROLE: Final = TWO_WAY_CHANNEL_ROLE
    KEYWORDS: Final = KEYWORDS
    # Not API parameters: how the handler treats the resource.
    WAIT_FOR_ACTIVE: Final = "WaitForActive"
    ALLOW_REPLACEMENT: Final = "AllowReplacement"
    ATTR_ID: Final = "PhoneNumberId"
    ATTR_ARN: Final = "PhoneNumberArn"
    ATTR_NUMBER: Final = "PhoneNumber"
    ARN_RESOURCE: Final = "phone-number"


class SenderId:
    TYPE: Final = "Custom::SmsVoiceSenderId"
    SENDER_ID: Final = "SenderId"
    ISO_COUNTRY_CODE: Final = ISO_COUNTRY_CODE
    MESSAGE_TYPES: Final = "MessageTypes"
    DELETION_PROTECTION_ENABLED: Final = DELETION_PROTECTION_ENABLED
    ATTR_ARN: Final = "SenderIdArn"
    ATTR_SENDER_ID: Final = "SenderId"
    ATTR_ISO_COUNTRY_CODE: Final = "IsoCountryCode"
    ARN_RESOURCE: Final = "sender-id"
    # The physical id: ReleaseSenderId needs both the sender ID and its country.
    ID_SEPARATOR: Final = "|"


class Pool:
    TYPE: Final = "Custom::SmsVoicePool"
    # [{"OriginationIdentity": <phone number or sender ID ARN>, "IsoCountryCode": ...}]; the first one
    # seeds the pool on create.
    ORIGINATION_IDENTITIES: Final = "OriginationIdentities"
    ORIGINATION_IDENTITY: Final = "OriginationIdentity"
    ISO_COUNTRY_CODE: Final = ISO_COUNTRY_CODE
    MESSAGE_TYPE: Final = MESSAGE_TYPE
    OPT_OUT_LIST_NAME: Final = OPT_OUT_LIST_NAME
    SELF_MANAGED_OPT_OUTS_ENABLED: Final = SELF_MANAGED_OPT_OUTS_ENABLED
    SHARED_ROUTES_ENABLED: Final = "SharedRoutesEnabled"
    DELETION_PROTECTION_ENABLED: Final = DELETION_PROTECTION_ENABLED
    TWO_WAY_ENABLED: Final = TWO_WAY_ENABLED
    TWO_WAY_CHANNEL_ARN: Final = TWO_WAY_CHANNEL_ARN
    TWO_WAY_CHANNEL_ROLE: Final = TWO_WAY_CHANNEL_ROLE
    KEYWORDS: Final = KEYWORDS
    ATTR_ID: Final = "PoolId"
    ATTR_ARN: Final = "PoolArn"
    ARN_RESOURCE: Final = "pool"


class ConfigurationSet:
    TYPE: Final = "Custom::SmsVoiceConfigurationSet"
    NAME: Final = "ConfigurationSetName"
    # The names DescribeConfigurationSets reports them under.
    DEFAULT_MESSAGE_TYPE: Final = "DefaultMessageType"
    DEFAULT_SENDER_ID: Final = "DefaultSenderId"
    DEFAULT_MESSAGE_FEEDBACK_ENABLED: Final = "DefaultMessageFeedbackEnabled"
    ATTR_NAME: Final = "ConfigurationSetName"
    ATTR_ARN: Final = "ConfigurationSetArn"
    ARN_RESOURCE: Final = "configuration-set"
    MAX_EVENT_DESTINATIONS: Final = 5


class EventDestination:
    TYPE: Final = "Custom::SmsVoiceEventDestination"
    CONFIGURATION_SET_NAME: Final = "ConfigurationSetName"
    NAME: Final = "EventDestinationName"
    MATCHING_EVENT_TYPES: Final = "MatchingEventTypes"
    ENABLED: Final = "Enabled"
    # The three sinks, exactly one per destination, keyed as the API keys them.
    CLOUDWATCH_LOGS: Final = "CloudWatchLogsDestination"
    KINESIS_FIREHOSE: Final = "KinesisFirehoseDestination"
    SNS: Final = "SnsDestination"
    SINK_TYPES: Final = (CLOUDWATCH_LOGS, KINESIS_FIREHOSE, SNS)
    IAM_ROLE_ARN: Final = "IamRoleArn"
    LOG_GROUP_ARN: Final = "LogGroupArn"
    DELIVERY_STREAM_ARN: Final = "DeliveryStreamArn"
    TOPIC_ARN: Final = "TopicArn"
    ATTR_NAME: Final = "EventDestinationName"
    ATTR_CONFIGURATION_SET_NAME: Final = "ConfigurationSetName"
    # The physical id is "<set>|<name>|<sink type>": a sink-type change yields a new id (a replacement).
    ID_SEPARATOR: Final = "|"
