"""Sender IDs: one per (sender ID, country) and account; they may belong to any number of pools."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .phone_numbers import PhoneNumbersMixin
from .service import conflict, not_found, paginate, validation


@dataclass
class SenderIdState:
    sender_id: str
    iso_country_code: str
    arn: str
    message_types: list[str]
    deletion_protection: bool = False


class SenderIdsMixin(PhoneNumbersMixin):
    def __init__(self) -> None:
        super().__init__()
        self.sender_ids: dict[tuple[str, str], SenderIdState] = {}
        self.released_sender_ids: list[tuple[str, str]] = []

    def sender_id(self, id_or_arn: str, iso_country_code: str | None = None) -> SenderIdState:
        for state in self.sender_ids.values():
            if id_or_arn == state.arn or (
                id_or_arn == state.sender_id and iso_country_code == state.iso_country_code
            ):
                return state
        raise not_found("sender-id", id_or_arn)

    def sender_id_in_pool(self, state: SenderIdState) -> bool:
        """Overridden by the pools mixin."""
        return False

    def RequestSenderId(self, p: dict[str, Any]) -> dict[str, Any]:
        key = (p["SenderId"], p["IsoCountryCode"])
        if key in self.sender_ids:
            raise conflict("RESOURCE_ALREADY_EXISTS", "sender-id", p["SenderId"])
        resource_id = f"{p['SenderId']}/{p['IsoCountryCode']}"
        state = SenderIdState(
            sender_id=p["SenderId"],
            iso_country_code=p["IsoCountryCode"],
            arn=self.arn("sender-id", resource_id),
            message_types=list(p.get("MessageTypes", [])),
            deletion_protection=bool(p.get("DeletionProtectionEnabled", False)),
        )
        self.sender_ids[key] = state
        self.set_tags(state.arn, p.get("Tags"))
        return {**self._describe_sender_id(state), "Tags": self.tag_list(state.arn)}

    def DescribeSenderIds(self, p: dict[str, Any]) -> dict[str, Any]:
        wanted = p.get("SenderIds")
        if wanted:
            states = [self.sender_id(w["SenderId"], w["IsoCountryCode"]) for w in wanted]
        else:
            states = list(self.sender_ids.values())
        page, token = paginate([self._describe_sender_id(s) for s in states], p)
        return {"SenderIds": page, **({"NextToken": token} if token else {})}

    def UpdateSenderId(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self._sender_id_for(p)
        if "DeletionProtectionEnabled" in p:
            state.deletion_protection = p["DeletionProtectionEnabled"]
        return self._describe_sender_id(state)

    def ReleaseSenderId(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self._sender_id_for(p)
        if state.deletion_protection:
            raise conflict("DELETION_PROTECTION_ENABLED", "sender-id", state.sender_id)
        if self.sender_id_in_pool(state):
            raise conflict("SENDER_ID_ASSOCIATED_TO_POOL", "sender-id", state.sender_id)
        del self.sender_ids[(state.sender_id, state.iso_country_code)]
        self.tags.pop(state.arn, None)
        self.released_sender_ids.append((state.sender_id, state.iso_country_code))
        return self._describe_sender_id(state)

    def _sender_id_for(self, p: dict[str, Any]) -> SenderIdState:
        state = self.sender_id(p["SenderId"], p["IsoCountryCode"])
        if state.iso_country_code != p["IsoCountryCode"]:
            raise validation("COUNTRY_CODE_MISMATCH", "IsoCountryCode does not match", "IsoCountryCode")
        return state

    def _describe_sender_id(self, state: SenderIdState) -> dict[str, Any]:
        return {
            "SenderIdArn": state.arn,
            "SenderId": state.sender_id,
            "IsoCountryCode": state.iso_country_code,
            "MessageTypes": state.message_types,
            "MonthlyLeasingPrice": "0.00",
            "DeletionProtectionEnabled": state.deletion_protection,
            "Registered": False,
        }


__all__ = ["SenderIdState", "SenderIdsMixin"]
