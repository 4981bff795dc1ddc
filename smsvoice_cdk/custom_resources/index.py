"""Entry points behind ``aws_cdk.custom_resources.Provider``: dispatch by resource type."""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Protocol

from . import configuration_set, event_destination, opt_out_list, phone_number, pool, sender_id
from .contract import ConfigurationSet, EventDestination, OptOutList, PhoneNumber, Pool, SenderId
from .events import CustomResourceEvent, IsCompleteResult, OnEventResult

MAX_RESPONSE_DATA_BYTES = 4096

logger = logging.getLogger("smsvoice_cdk")
logger.setLevel(logging.INFO)


class ResourceHandler(Protocol):
    def on_event(self, event: CustomResourceEvent) -> OnEventResult: ...

    def is_complete(self, event: CustomResourceEvent) -> IsCompleteResult: ...


HANDLERS: dict[str, ResourceHandler] = {
    OptOutList.TYPE: opt_out_list,
    PhoneNumber.TYPE: phone_number,
    SenderId.TYPE: sender_id,
    Pool.TYPE: pool,
    ConfigurationSet.TYPE: configuration_set,
    EventDestination.TYPE: event_destination,
}


def on_event(event: CustomResourceEvent, context: Any = None) -> OnEventResult:
    log_request("on_event", event)
    result = handler_for(event).on_event(event)
    check_data_size(result.get("Data"))
    return result


def is_complete(event: CustomResourceEvent, context: Any = None) -> IsCompleteResult:
    log_request("is_complete", event)
    result = handler_for(event).is_complete(event)
    check_data_size({**event.get("Data", {}), **result.get("Data", {})})
    return result


def handler_for(event: CustomResourceEvent) -> ResourceHandler:
    resource_type = event["ResourceType"]
    try:
        return HANDLERS[resource_type]
    except KeyError:
        raise ValueError(
            f"unsupported resource type {resource_type!r}; this handler serves {sorted(HANDLERS)}"
        ) from None


def check_data_size(data: dict[str, Any] | None) -> None:
    size = len(json.dumps(data or {}).encode())
    if size > MAX_RESPONSE_DATA_BYTES:
        raise ValueError(f"response data is {size} bytes; CloudFormation accepts at most 4096")


# E.164 and the API's looser pattern: a run of 7 or more digits, with or without a leading +.
_PHONE_NUMBER = re.compile(r"\+?\d{7,}")


def mask_phone_numbers(text: str) -> str:
    """Phone numbers are personal data: keep the last two digits, enough to tell entries apart."""
    return _PHONE_NUMBER.sub(lambda m: "*" * (len(m.group()) - 2) + m.group()[-2:], text)


def log_request(entry_point: str, event: CustomResourceEvent) -> None:
    """One structured line per request: the presigned ResponseURL never appears, phone numbers masked."""
    record = {
        "entryPoint": entry_point,
        "requestType": event.get("RequestType"),
        "resourceType": event.get("ResourceType"),
        "logicalResourceId": event.get("LogicalResourceId"),
        "physicalResourceId": event.get("PhysicalResourceId"),
        "requestId": event.get("RequestId"),
        "responseUrl": "[redacted]" if "ResponseURL" in event else None,
        "resourceProperties": event.get("ResourceProperties"),
        "oldResourceProperties": event.get("OldResourceProperties"),
    }
    logger.info(mask_phone_numbers(json.dumps(record, sort_keys=True, default=str)))
