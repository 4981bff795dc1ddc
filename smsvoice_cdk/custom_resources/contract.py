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
