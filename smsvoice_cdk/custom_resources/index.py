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


# Phone numbers are personal data. Anywhere in the line: E.164, a '+' and 7 to 15 digits. In the
# properties that hold phone numbers, also a bare run of digits (the API's pattern allows one). Other digit
# runs stay readable: account ids in ARNs, logical ids, physical ids.
_E164 = re.compile(r"\+\d{7,15}(?!\d)")
_BARE_NUMBER = re.compile(r"\+?\d{7,}")
PHONE_NUMBER_KEYS = frozenset({"OptedOutNumbers", "OptedOutNumber", "PhoneNumber", "DestinationPhoneNumber"})


def _mask(match: re.Match[str]) -> str:
    """Keep the last two digits, enough to tell entries apart."""
    return "*" * (len(match.group()) - 2) + match.group()[-2:]


def mask_phone_numbers(text: str) -> str:
    return _E164.sub(_mask, text)


def _mask_phone_number_properties(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _mask_phone_number_properties(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_phone_number_properties(item, key) for item in value]
    if key in PHONE_NUMBER_KEYS and isinstance(value, str):
        return _BARE_NUMBER.sub(_mask, value)
    return value


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
        "data": event.get("Data"),
    }
    line = json.dumps(_mask_phone_number_properties(record), sort_keys=True, default=str)
    logger.info(mask_phone_numbers(line))
