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
