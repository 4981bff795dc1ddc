"""Pools, their origination identities, and the keywords of numbers and pools.

The API's rules modelled here: a pool inherits message type, opt-out list, keywords, two-way and
self-managed opt-out settings from its first identity, and every later identity must match the pool's
configuration; a phone number belongs to at most one pool; a pool cannot lose its last phone number;
deleting a pool lets its numbers go over a few calls, and until then they cannot be released.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .phone_numbers import DEFAULT_KEYWORDS, PhoneNumberState
from .sender_ids import SenderIdsMixin, SenderIdState
from .service import FakeError, conflict, not_found, paginate, validation

PROTECTED_KEYWORDS = {"HELP", "STOP"}


@dataclass
class PoolState:
    id: str
    arn: str
    message_type: str
    created: float
    status: str = "CREATING"
    # DescribePools calls that still see CREATING; after DeletePool, calls until the pool is gone.
    countdown: int = 0
    opt_out_list: str = "Default"
    two_way_enabled: bool = False
    two_way_channel_arn: str | None = None
    two_way_channel_role: str | None = None
    self_managed_opt_outs: bool = False
    shared_routes: bool = False
    deletion_protection: bool = False
    sender_ids: set[tuple[str, str]] = field(default_factory=set)
    keywords: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(DEFAULT_KEYWORDS))


class PoolsMixin(SenderIdsMixin):
    # DescribePools calls that see a new pool CREATING; API calls a deleted pool keeps its numbers for.
    creating_polls = 1
    deleting_calls = 2

    def __init__(self) -> None:
        super().__init__()
        self.pools: dict[str, PoolState] = {}

    # --- lookups ------------------------------------------------------------------------------------
    def pool(self, id_or_arn: str) -> PoolState:
        for state in self.pools.values():
            if id_or_arn in (state.id, state.arn):
                return state
        raise not_found("pool", id_or_arn)

    def pool_phone_numbers(self, pool_id: str) -> list[PhoneNumberState]:
        return [n for n in self.phone_numbers.values() if n.pool_id == pool_id]

    def opt_out_list_in_use(self, name: str) -> bool:
        used = any(p.opt_out_list == name for p in self.pools.values())
        return used or super().opt_out_list_in_use(name)

    def sender_id_in_pool(self, state: SenderIdState) -> bool:
        key = (state.sender_id, state.iso_country_code)
        return any(key in p.sender_ids for p in self.pools.values())

    def _identity(self, identity: str, iso_country_code: str | None) -> PhoneNumberState | SenderIdState:
        try:
            return self.phone_number(identity)
        except FakeError:
            pass
        if iso_country_code is None:
            raise validation("MISSING_PARAMETER", "IsoCountryCode is required", "IsoCountryCode")
        state = self.sender_id(identity, iso_country_code)
        if state.iso_country_code != iso_country_code:
            raise validation("COUNTRY_CODE_MISMATCH", "IsoCountryCode does not match", "IsoCountryCode")
        return state

    # --- time passes with every call ----------------------------------------------------------------
    def dispatch(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self._advance_deletions()
            return super().dispatch(operation, params)

    def _advance_deletions(self) -> None:
        for pool in [p for p in self.pools.values() if p.status == "DELETING"]:
            pool.countdown -= 1
            if pool.countdown < 0:
                for number in self.pool_phone_numbers(pool.id):
                    number.pool_id = None
                del self.pools[pool.id]
                self.tags.pop(pool.arn, None)

    # --- pools --------------------------------------------------------------------------------------
    def CreatePool(self, p: dict[str, Any]) -> dict[str, Any]:
        seed = self._identity(p["OriginationIdentity"], p.get("IsoCountryCode"))
        self._check_message_type(seed, p["MessageType"])
        pool_id = f"pool-{uuid.uuid4().hex}"
        state = PoolState(
            id=pool_id,
            arn=self.arn("pool", pool_id),
            message_type=p["MessageType"],
            created=_now(),
            countdown=self.creating_polls,
            deletion_protection=bool(p.get("DeletionProtectionEnabled", False)),
        )
        if isinstance(seed, PhoneNumberState):
            if seed.pool_id is not None:
                raise conflict("RESOURCE_ALREADY_ASSOCIATED", "phone-number", seed.id)
            state.opt_out_list = seed.opt_out_list
            state.two_way_enabled = seed.two_way_enabled
            state.two_way_channel_arn = seed.two_way_channel_arn
            state.two_way_channel_role = seed.two_way_channel_role
            state.self_managed_opt_outs = seed.self_managed_opt_outs
            state.keywords = dict(seed.keywords)
            seed.pool_id = pool_id
        else:
            state.sender_ids.add((seed.sender_id, seed.iso_country_code))
        self.pools[pool_id] = state
        self.set_tags(state.arn, p.get("Tags"))
        return {**self._describe_pool(state), "Tags": self.tag_list(state.arn)}

    def DescribePools(self, p: dict[str, Any]) -> dict[str, Any]:
        ids = p.get("PoolIds")
        states = [self.pool(i) for i in ids] if ids else list(self.pools.values())
        for state in states:
            if state.status == "CREATING":
                state.countdown -= 1
                if state.countdown < 0:
                    state.status = "ACTIVE"
        page, token = paginate([self._describe_pool(s) for s in states], p)
        return {"Pools": page, **({"NextToken": token} if token else {})}

    def UpdatePool(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.pool(p["PoolId"])
        self._apply_settings(state, p, {"SharedRoutesEnabled": "shared_routes"})
        return self._describe_pool(state)

    def DeletePool(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.pool(p["PoolId"])
        if state.deletion_protection:
            raise conflict("DELETION_PROTECTION_ENABLED", "pool", state.id)
        if state.status != "ACTIVE":
            raise conflict("RESOURCE_NOT_ACTIVE", "pool", state.id)
        # The numbers leave the pool over the next few calls, not at once.
        state.status, state.countdown = "DELETING", self.deleting_calls
        state.sender_ids.clear()
        return self._describe_pool(state)

    # --- origination identities ---------------------------------------------------------------------
    def AssociateOriginationIdentity(self, p: dict[str, Any]) -> dict[str, Any]:
        pool = self.pool(p["PoolId"])
        identity = self._identity(p["OriginationIdentity"], p.get("IsoCountryCode"))
        self._check_message_type(identity, pool.message_type)
        if isinstance(identity, PhoneNumberState):
            if identity.pool_id is not None:
                raise conflict("RESOURCE_ALREADY_ASSOCIATED", "phone-number", identity.id)
            self._check_matches_pool(identity, pool)
            identity.pool_id = pool.id
        else:
            key = (identity.sender_id, identity.iso_country_code)
            if key in pool.sender_ids:
                raise conflict("RESOURCE_ALREADY_ASSOCIATED", "sender-id", identity.sender_id)
            pool.sender_ids.add(key)
        return self._association(pool, identity)

    def DisassociateOriginationIdentity(self, p: dict[str, Any]) -> dict[str, Any]:
        pool = self.pool(p["PoolId"])
        identity = self._identity(p["OriginationIdentity"], p.get("IsoCountryCode"))
        numbers = self.pool_phone_numbers(pool.id)
        if isinstance(identity, PhoneNumberState):
            if identity.pool_id != pool.id:
                raise conflict("PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL", "phone-number", identity.id)
            if len(numbers) == 1:
                raise conflict("LAST_PHONE_NUMBER", "pool", pool.id)
            identity.pool_id = None
        else:
            key = (identity.sender_id, identity.iso_country_code)
            if key not in pool.sender_ids:
                raise not_found("sender-id", identity.sender_id)
            if not numbers and len(pool.sender_ids) == 1:
                raise conflict("LAST_PHONE_NUMBER", "pool", pool.id)
            pool.sender_ids.discard(key)
        return self._association(pool, identity)

    def ListPoolOriginationIdentities(self, p: dict[str, Any]) -> dict[str, Any]:
        pool = self.pool(p["PoolId"])
        items: list[dict[str, Any]] = [
            {
                "OriginationIdentityArn": n.arn,
                "OriginationIdentity": n.id,
                "IsoCountryCode": n.iso_country_code,
                "NumberCapabilities": n.capabilities,
                "PhoneNumber": n.number,
            }
            for n in self.pool_phone_numbers(pool.id)
        ]
        for key in sorted(pool.sender_ids):
            sender = self.sender_ids[key]
            items.append(
                {
                    "OriginationIdentityArn": sender.arn,
                    "OriginationIdentity": sender.sender_id,
                    "IsoCountryCode": sender.iso_country_code,
                    "NumberCapabilities": ["SMS"],
                }
            )
        page, token = paginate(items, p)
        result = {"PoolArn": pool.arn, "PoolId": pool.id, "OriginationIdentities": page}
        return {**result, **({"NextToken": token} if token else {})}

    def _check_message_type(self, identity: PhoneNumberState | SenderIdState, message_type: str) -> None:
        if isinstance(identity, PhoneNumberState):
            matches = identity.message_type == message_type
        else:
            matches = not identity.message_types or message_type in identity.message_types
        if not matches:
            raise conflict("MESSAGE_TYPE_MISMATCH", "pool", message_type)

    def _check_matches_pool(self, number: PhoneNumberState, pool: PoolState) -> None:
        """A number joining a pool must have the pool's configuration (the API's user guide)."""
        if number.opt_out_list != pool.opt_out_list:
            raise conflict("OPT_OUT_LIST_MISMATCH", "pool", pool.id)
        if number.self_managed_opt_outs != pool.self_managed_opt_outs:
            raise conflict("SELF_MANAGED_OPT_OUTS_MISMATCH", "pool", pool.id)
        if number.two_way_enabled != pool.two_way_enabled:
            raise conflict("TWO_WAY_CONFIG_MISMATCH", "pool", pool.id)

    def _association(self, pool: PoolState, identity: PhoneNumberState | SenderIdState) -> dict[str, Any]:
        if isinstance(identity, PhoneNumberState):
            arn, name = identity.arn, identity.id
        else:
            arn, name = identity.arn, identity.sender_id
        return {
            "PoolArn": pool.arn,
            "PoolId": pool.id,
            "OriginationIdentityArn": arn,
            "OriginationIdentity": name,
            "IsoCountryCode": identity.iso_country_code,
        }

    def _describe_pool(self, state: PoolState) -> dict[str, Any]:
        info: dict[str, Any] = {
            "PoolArn": state.arn,
            "PoolId": state.id,
            "Status": state.status,
            "MessageType": state.message_type,
            "TwoWayEnabled": state.two_way_enabled,
            "SelfManagedOptOutsEnabled": state.self_managed_opt_outs,
            "OptOutListName": state.opt_out_list,
            "SharedRoutesEnabled": state.shared_routes,
            "DeletionProtectionEnabled": state.deletion_protection,
            "CreatedTimestamp": state.created,
        }
        optional = {
            "TwoWayChannelArn": state.two_way_channel_arn,
            "TwoWayChannelRole": state.two_way_channel_role,
        }
        return {**info, **{k: v for k, v in optional.items() if v is not None}}

    # --- keywords of numbers and pools --------------------------------------------------------------
    def _keywords_of(self, identity: str) -> tuple[str, str, dict[str, tuple[str, str]]]:
        try:
            number = self.phone_number(identity)
            return number.arn, number.id, number.keywords
        except FakeError:
            pool = self.pool(identity)
            return pool.arn, pool.id, pool.keywords

    def PutKeyword(self, p: dict[str, Any]) -> dict[str, Any]:
        arn, name, keywords = self._keywords_of(p["OriginationIdentity"])
        keyword = p["Keyword"]
        keywords[keyword] = (p["KeywordMessage"], p.get("KeywordAction", "AUTOMATIC_RESPONSE"))
        return self._keyword(arn, name, keyword, keywords[keyword])

    def DeleteKeyword(self, p: dict[str, Any]) -> dict[str, Any]:
        arn, name, keywords = self._keywords_of(p["OriginationIdentity"])
        keyword = p["Keyword"]
        if keyword.upper() in PROTECTED_KEYWORDS:
            raise conflict(
                "RESOURCE_DELETION_NOT_ALLOWED", "keyword", keyword, "HELP and STOP can't be deleted"
            )
        if keyword not in keywords:
            raise not_found("keyword", keyword)
        return self._keyword(arn, name, keyword, keywords.pop(keyword))

    def DescribeKeywords(self, p: dict[str, Any]) -> dict[str, Any]:
        arn, name, keywords = self._keywords_of(p["OriginationIdentity"])
        wanted = p.get("Keywords")
        items = [
            {"Keyword": k, "KeywordMessage": m, "KeywordAction": a}
            for k, (m, a) in sorted(keywords.items())
            if not wanted or k in wanted
        ]
        page, token = paginate(items, p)
        result = {"OriginationIdentityArn": arn, "OriginationIdentity": name, "Keywords": page}
        return {**result, **({"NextToken": token} if token else {})}

    def _keyword(self, arn: str, name: str, keyword: str, value: tuple[str, str]) -> dict[str, Any]:
        return {
            "OriginationIdentityArn": arn,
            "OriginationIdentity": name,
            "Keyword": keyword,
            "KeywordMessage": value[0],
            "KeywordAction": value[1],
        }


def _now() -> float:
    return datetime.now(UTC).timestamp()


__all__ = ["PoolState", "PoolsMixin"]
