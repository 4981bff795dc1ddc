"""The tenants file: one entry per tenant, validated before anything is synthesized.

Every error names the file, the tenant and the field, so a vendor with hundreds of tenants finds the
broken entry at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..constructs.enums import MessageType, NumberCapability, NumberType
from ..constructs.tenant import TENANT_ID_PATTERN, TENANT_ID_RULE, EventDestinationKind, PhoneNumberRequest

COUNTRY = re.compile(r"[A-Z]{2}")
SENDER_ID = re.compile(r"[A-Za-z0-9_-]{1,11}")
PHONE_NUMBER_ARN = re.compile(r"arn:[a-z-]+:sms-voice:[a-z0-9-]+:\d{12}:phone-number/[A-Za-z0-9_-]+")
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
ACCOUNT = re.compile(r"\d{12}")
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")
DESTINATIONS = tuple(kind.value for kind in EventDestinationKind)

TENANT_FIELDS = {
    "id", "account", "region", "isoCountryCode", "messageType", "phoneNumbers", "existingPhoneNumberArns",
    "defaultSenderId", "eventDestinations", "optedOutNumbers", "tags",
}  # fmt: skip
PHONE_NUMBER_FIELDS = {"numberType", "capabilities"}


class TenantConfigError(ValueError):
    """A tenants file that cannot be synthesized; the message names the tenant and the field."""


@dataclass(frozen=True)
class TenantConfig:
    id: str
    iso_country_code: str
    message_type: MessageType
    account: str | None = None
    region: str | None = None
    phone_numbers: tuple[PhoneNumberRequest, ...] = ()
    existing_phone_number_arns: tuple[str, ...] = ()
    default_sender_id: str | None = None
    event_destinations: tuple[EventDestinationKind, ...] = (EventDestinationKind.CLOUDWATCH_LOGS,)
    opted_out_numbers: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)


def load_tenants(path: str | Path) -> list[TenantConfig]:
    """Read and validate a tenants file: ``{"tenants": [{...}, ...]}``."""
    source = Path(path)
    try:
        document = json.loads(source.read_text())
    except FileNotFoundError:
        raise TenantConfigError(f"{source}: no such tenants file") from None
    except json.JSONDecodeError as err:
        raise TenantConfigError(f"{source}: not valid JSON: {err}") from None
    return parse_tenants(document, str(source))


def parse_tenants(document: Any, source: str = "tenants") -> list[TenantConfig]:
    if (
        not isinstance(document, dict)
        or set(document) != {"tenants"}
        or not isinstance(document["tenants"], list)
    ):
        raise TenantConfigError(f'{source}: expected {{"tenants": [...]}} and nothing else')
    tenants = [_tenant(entry, index, source) for index, entry in enumerate(document["tenants"])]
    if not tenants:
        raise TenantConfigError(f"{source}: no tenants")
    seen: set[str] = set()
    for tenant in tenants:
        if tenant.id in seen:
            raise TenantConfigError(f"{source}: tenant {tenant.id!r}: field 'id': duplicate tenant id")
        seen.add(tenant.id)
    return tenants


class _Entry:
    """One tenant's raw entry, with errors that name the tenant and the field."""

    def __init__(self, raw: Mapping[str, Any], label: str) -> None:
        self.raw, self.label = raw, label

    def error(self, name: str, message: str) -> TenantConfigError:
        return TenantConfigError(f"{self.label}: field {name!r}: {message}")

    def string(self, name: str, pattern: re.Pattern[str] | None, rule: str, *, required: bool) -> str | None:
        value = self.raw.get(name)
        if value is None:
            if required:
                raise self.error(name, f"missing; {rule}")
            return None
        if not isinstance(value, str) or (pattern is not None and not pattern.fullmatch(value)):
            raise self.error(name, f"{value!r} is not valid; {rule}")
        return value

    def strings(self, name: str, pattern: re.Pattern[str], rule: str) -> tuple[str, ...]:
        values = self.raw.get(name, [])
        if not isinstance(values, list):
            raise self.error(name, f"expected a list, got {values!r}")
        for value in values:
            if not isinstance(value, str) or not pattern.fullmatch(value):
                raise self.error(name, f"{value!r} is not valid; {rule}")
        if len(set(values)) != len(values):
            raise self.error(name, "contains duplicates")
        return tuple(values)


def _tenant(raw: Any, index: int, source: str) -> TenantConfig:
    if not isinstance(raw, dict):
        raise TenantConfigError(f"{source}: tenants[{index}]: expected an object, got {raw!r}")
    tenant_id = raw.get("id")
    label = f"{source}: tenant {tenant_id!r}" if isinstance(tenant_id, str) else f"{source}: tenants[{index}]"
    entry = _Entry(raw, label)
    unknown = sorted(set(raw) - TENANT_FIELDS)
    if unknown:
        raise entry.error(unknown[0], f"unknown field; allowed: {', '.join(sorted(TENANT_FIELDS))}")
    tenant_id = entry.string("id", TENANT_ID_PATTERN, TENANT_ID_RULE, required=True)
    country = entry.string("isoCountryCode", COUNTRY, "two capital letters, e.g. US", required=True)
    message_type = entry.string("messageType", None, "TRANSACTIONAL or PROMOTIONAL", required=True)
    if message_type not in MessageType.__members__:
        raise entry.error("messageType", f"{message_type!r} is not valid; TRANSACTIONAL or PROMOTIONAL")
    numbers = _phone_numbers(entry)
    existing = entry.strings("existingPhoneNumberArns", PHONE_NUMBER_ARN, "a phone number ARN")
    if not numbers and not existing:
        raise entry.error("phoneNumbers", "a tenant needs at least one phone number, requested or existing")
    destinations = entry.strings(
        "eventDestinations", re.compile("|".join(DESTINATIONS)), ", ".join(DESTINATIONS)
    )
    tags = raw.get("tags", {})
    if not isinstance(tags, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
    ):
        raise entry.error("tags", f"expected an object of strings, got {tags!r}")
    return TenantConfig(
        id=str(tenant_id),
        iso_country_code=str(country),
        message_type=MessageType(str(message_type)),
        account=entry.string("account", ACCOUNT, "a 12-digit account id", required=False),
        region=entry.string("region", REGION, "a region name, e.g. us-east-1", required=False),
        phone_numbers=numbers,
        existing_phone_number_arns=existing,
        default_sender_id=entry.string(
            "defaultSenderId", SENDER_ID, "1 to 11 of A-Z a-z 0-9 _ -", required=False
        ),
        event_destinations=tuple(EventDestinationKind(d) for d in destinations)
        or TenantConfig.event_destinations,
        opted_out_numbers=entry.strings("optedOutNumbers", E164, "an E.164 number, e.g. +12065550100"),
        tags=dict(tags),
    )


def _phone_numbers(entry: _Entry) -> tuple[PhoneNumberRequest, ...]:
    raw = entry.raw.get("phoneNumbers", [])
    if not isinstance(raw, list):
        raise entry.error("phoneNumbers", f"expected a list, got {raw!r}")
    requests = []
    for index, item in enumerate(raw):
        name = f"phoneNumbers[{index}]"
        if not isinstance(item, dict):
            raise entry.error(name, f"expected an object, got {item!r}")
        unknown = sorted(set(item) - PHONE_NUMBER_FIELDS)
        if unknown:
            raise entry.error(
                f"{name}.{unknown[0]}", f"unknown field; allowed: {', '.join(sorted(PHONE_NUMBER_FIELDS))}"
            )
        number_type = item.get("numberType")
        if number_type not in NumberType.__members__:
            raise entry.error(
                f"{name}.numberType", f"{number_type!r} is not valid; one of {', '.join(NumberType)}"
            )
        capabilities = item.get("capabilities", ["SMS"])
        if (
            not isinstance(capabilities, list)
            or not capabilities
            or any(c not in NumberCapability.__members__ for c in capabilities)
        ):
            raise entry.error(
                f"{name}.capabilities",
                f"{capabilities!r} is not valid; some of {', '.join(NumberCapability)}",
            )
        requests.append(
            PhoneNumberRequest(NumberType(str(number_type)), tuple(NumberCapability(c) for c in capabilities))
        )
    return tuple(requests)
