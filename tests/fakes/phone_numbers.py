"""Phone numbers, as the API reference describes them: requested PENDING, ACTIVE later, one pool each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .opt_out_lists import OptOutListsMixin
from .service import FakeError, conflict, not_found, paginate, validation

DEFAULT_OPT_OUT_LIST = "Default"
# What every new number answers to until told otherwise; HELP and STOP can never be deleted.
DEFAULT_KEYWORDS = {
    "HELP": ("Reply STOP to unsubscribe. Msg and data rates may apply.", "AUTOMATIC_RESPONSE"),
    "STOP": ("You have been unsubscribed and will receive no further messages.", "OPT_OUT"),
}
_CALLING_CODES = {"US": "1", "CA": "1", "GB": "44", "DE": "49", "FR": "33", "AU": "61"}


@dataclass
class PhoneNumberState:
    id: str
    arn: str
    number: str
    iso_country_code: str
    message_type: str
    capabilities: list[str]
    number_type: str
    created: float
    status: str = "PENDING"
    # DescribePhoneNumbers calls that still see PENDING.
    pending_polls: int = 0
    opt_out_list: str = DEFAULT_OPT_OUT_LIST
    two_way_enabled: bool = False
    two_way_channel_arn: str | None = None
    two_way_channel_role: str | None = None
    self_managed_opt_outs: bool = False
    international_sending: bool = False
    deletion_protection: bool = False
    registration_id: str | None = None
    pool_id: str | None = None
    keywords: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(DEFAULT_KEYWORDS))


class PhoneNumbersMixin(OptOutListsMixin):
    # How many DescribePhoneNumbers calls see a new number PENDING before it is ACTIVE; tests set it.
    pending_polls = 2

    def __init__(self) -> None:
        super().__init__()
        self.phone_numbers: dict[str, PhoneNumberState] = {}
        self.released_phone_numbers: list[str] = []
        self._next_number = 100

    def phone_number(self, id_or_arn: str) -> PhoneNumberState:
        for state in self.phone_numbers.values():
            if id_or_arn in (state.id, state.arn):
                return state
        raise not_found("phone-number", id_or_arn)

    def opt_out_list_in_use(self, name: str) -> bool:
        used = any(state.opt_out_list == name for state in self.phone_numbers.values())
        return used or super().opt_out_list_in_use(name)

    def _apply_settings(self, state: Any, p: dict[str, Any], flags: dict[str, str]) -> None:
        """UpdatePhoneNumber's and UpdatePool's shared parameters, plus ``flags`` (parameter: attribute)."""
        if "OptOutListName" in p:
            state.opt_out_list = self._opt_out_list_name(p["OptOutListName"])
        if "TwoWayChannelArn" in p:
            state.two_way_channel_arn = p["TwoWayChannelArn"]
        if "TwoWayChannelRole" in p:
            state.two_way_channel_role = p["TwoWayChannelRole"]
        if "TwoWayEnabled" in p:
            if p["TwoWayEnabled"] and not state.two_way_channel_arn:
                raise validation("TWO_WAY_CHANNEL_NOT_PRESENT", "two-way needs a channel", "TwoWayChannelArn")
            state.two_way_enabled = p["TwoWayEnabled"]
        shared = {
            "SelfManagedOptOutsEnabled": "self_managed_opt_outs",
            "DeletionProtectionEnabled": "deletion_protection",
        }
        for key, attr in {**shared, **flags}.items():
            if key in p:
                setattr(state, attr, p[key])

    def _opt_out_list_name(self, name_or_arn: str | None) -> str:
        if name_or_arn is None or name_or_arn == DEFAULT_OPT_OUT_LIST:
            return DEFAULT_OPT_OUT_LIST
        return self.opt_out_list(name_or_arn).name

    def RequestPhoneNumber(self, p: dict[str, Any]) -> dict[str, Any]:
        if len(set(p["NumberCapabilities"])) != len(p["NumberCapabilities"]):
            raise validation("FIELD_VALIDATION_FAILED", "duplicate NumberCapabilities", "NumberCapabilities")
        if p["NumberType"] == "SIMULATOR" and p["MessageType"] == "PROMOTIONAL":
            raise validation("INVALID_PARAMETER", "simulator numbers are TRANSACTIONAL only", "MessageType")
        if "PoolId" in p:
            raise NotImplementedError("the handlers never request a number into a pool")
        number_id = f"phone-{uuid.uuid4().hex}"
        self._next_number += 1
        code = _CALLING_CODES.get(p["IsoCountryCode"], "99")
        state = PhoneNumberState(
            id=number_id,
            arn=self.arn("phone-number", number_id),
            number=f"+{code}206555{self._next_number:04d}",
            iso_country_code=p["IsoCountryCode"],
            message_type=p["MessageType"],
            capabilities=list(p["NumberCapabilities"]),
            number_type=p["NumberType"],
            created=_now(),
            pending_polls=self.pending_polls,
            opt_out_list=self._opt_out_list_name(p.get("OptOutListName")),
            international_sending=bool(p.get("InternationalSendingEnabled", False)),
            deletion_protection=bool(p.get("DeletionProtectionEnabled", False)),
            registration_id=p.get("RegistrationId"),
        )
        self.phone_numbers[state.id] = state
        self.set_tags(state.arn, p.get("Tags"))
        return {**self._describe_number(state), "Tags": self.tag_list(state.arn)}

    def DescribePhoneNumbers(self, p: dict[str, Any]) -> dict[str, Any]:
        ids = p.get("PhoneNumberIds")
        states = [self.phone_number(i) for i in ids] if ids else list(self.phone_numbers.values())
        for state in states:
            self._advance_number(state)
        page, token = paginate([self._describe_number(s) for s in states], p)
        return {"PhoneNumbers": page, **({"NextToken": token} if token else {})}

    def UpdatePhoneNumber(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.phone_number(p["PhoneNumberId"])
        if state.pool_id is not None:
            # "If the origination phone number is associated with a pool, an error is returned."
            raise conflict(
                "RESOURCE_MODIFICATION_NOT_ALLOWED",
                "phone-number",
                state.id,
                f"phone number {state.id} is associated with pool {state.pool_id}",
            )
        self._apply_settings(state, p, {"InternationalSendingEnabled": "international_sending"})
        return self._describe_number(state)

    def ReleasePhoneNumber(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.phone_number(p["PhoneNumberId"])
        if state.deletion_protection:
            raise conflict("DELETION_PROTECTION_ENABLED", "phone-number", state.id)
        if state.pool_id is not None:
            raise conflict("PHONE_NUMBER_ASSOCIATED_TO_POOL", "phone-number", state.id)
        del self.phone_numbers[state.id]
        self.tags.pop(state.arn, None)
        self.released_phone_numbers.append(state.id)
        response = self._describe_number(state)
        response["Status"] = "DELETED"
        return response

    def _advance_number(self, state: PhoneNumberState) -> None:
        if state.status == "PENDING":
            if state.pending_polls <= 0:
                state.status = "ACTIVE"
            state.pending_polls -= 1

    def _describe_number(self, state: PhoneNumberState) -> dict[str, Any]:
        info: dict[str, Any] = {
            "PhoneNumberArn": state.arn,
            "PhoneNumberId": state.id,
            "PhoneNumber": state.number,
            "Status": state.status,
            "IsoCountryCode": state.iso_country_code,
            "MessageType": state.message_type,
            "NumberCapabilities": state.capabilities,
            "NumberType": state.number_type,
            "MonthlyLeasingPrice": "0.00" if state.number_type == "SIMULATOR" else "1.00",
            "TwoWayEnabled": state.two_way_enabled,
            "SelfManagedOptOutsEnabled": state.self_managed_opt_outs,
            "OptOutListName": state.opt_out_list,
            "InternationalSendingEnabled": state.international_sending,
            "DeletionProtectionEnabled": state.deletion_protection,
            "CreatedTimestamp": state.created,
        }
        optional = {
            "TwoWayChannelArn": state.two_way_channel_arn,
            "TwoWayChannelRole": state.two_way_channel_role,
            "PoolId": state.pool_id,
            "RegistrationId": state.registration_id,
        }
        return {**info, **{k: v for k, v in optional.items() if v is not None}}


def _now() -> float:
    return datetime.now(UTC).timestamp()


__all__ = ["DEFAULT_KEYWORDS", "FakeError", "PhoneNumberState", "PhoneNumbersMixin"]
