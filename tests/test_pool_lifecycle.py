"""Pool through the real handler and the fake, driven by synthesized templates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from aws_cdk import RemovalPolicy

from smsvoice_cdk import (
    Keyword,
    MessageType,
    OptOutList,
    Pool,
    SenderId,
)
from smsvoice_cdk.custom_resources.contract import MANAGED_TAG_KEY
from tests.cloudformation import DeployFailedError, Stack
from tests.fakes import FakeSmsVoice
from tests.fakes.pools import PoolState
from tests.synth import build, logical_id, simulator_number

TYPE = "Custom::SmsVoicePool"


def pool_template(
    identities: Sequence[str] = ("A", "B"),
    *,
    numbers: Sequence[str] = ("A", "B", "C"),
    senders: Sequence[str] = (),
    number_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    pool_list: str | None = "ListA",
    **pool_props: Any,
) -> dict[str, Any]:
    """Numbers A, B, C on list ListA (the pool's), sender IDs by name, and a pool of ``identities``."""

    def body(stack: Any) -> None:
        lists = {name: OptOutList(stack, name, opt_out_list_name=name.lower()) for name in ("ListA", "ListB")}
        members: dict[str, Any] = {}
        for name in numbers:
            members[name] = simulator_number(
                stack, f"Number{name}", opt_out_list=lists["ListA"], removal_policy=number_policy
            )
        for name in senders:
            members[name] = SenderId(stack, f"Sender{name}", sender_id=name, iso_country_code="US")
        Pool(
            stack,
            "Pool",
            origination_identities=[members[name] for name in identities],
            opt_out_list=lists[pool_list] if pool_list else None,
            **pool_props,
        )

    return build(body)


def pool_id(stack: Stack, template: dict[str, Any]) -> str:
    return stack.physical_id(logical_id(template, TYPE))


def only_pool(fake: FakeSmsVoice) -> PoolState:
    assert len(fake.pools) == 1, fake.pools
    return next(iter(fake.pools.values()))


def number_id(stack: Stack, name: str) -> str:
    lid = next(lid for lid in stack.resources if lid.startswith(f"Number{name}"))
    return stack.physical_id(lid)


def members(fake: FakeSmsVoice, stack: Stack, pool: str) -> set[str]:
    names = {
        number_id(stack, n): n for n in "ABC" if any(lid.startswith(f"Number{n}") for lid in stack.resources)
    }
    return {names[n.id] for n in fake.pool_phone_numbers(pool)}


def settle(fake: FakeSmsVoice) -> None:
    """Let time pass: a deleted pool lets its numbers go and disappears a few calls later."""
    for _ in range(fake.deleting_calls + 1):
        fake.dispatch("DescribePools", {})


def calls(fake: FakeSmsVoice, *operations: str) -> list[str]:
    return [op for op, _ in fake.calls if op in operations]


def test_create_with_two_identities(fake: FakeSmsVoice) -> None:
    template = pool_template(tags={"team": "a"})
    stack = Stack()
    stack.deploy(template)

    pool = only_pool(fake)
    assert pool_id(stack, template) == pool.id
    assert stack.attribute(logical_id(template, TYPE), "PoolArn") == pool.arn
    assert pool.status == "ACTIVE"
    assert members(fake, stack, pool.id) == {"A", "B"}
    assert pool.opt_out_list == "lista"
    assert fake.tags[pool.arn] == {"team": "a", MANAGED_TAG_KEY: "true"}
    create = next(p for op, p in fake.calls if op == "CreatePool")
    assert create["OriginationIdentity"] == fake.phone_number(number_id(stack, "A")).arn


def test_add_an_identity_in_place(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(pool_template(("A", "B")))
    first = only_pool(fake).id

    stack.deploy(pool_template(("A", "B", "C")))

    assert only_pool(fake).id == first
    assert members(fake, stack, first) == {"A", "B", "C"}
    assert calls(fake, "CreatePool") == ["CreatePool"]


def test_replace_the_seed_identity_without_a_moment_without_a_number(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(pool_template(("A",)))
    first = only_pool(fake).id
    fake.calls.clear()

    stack.deploy(pool_template(("C",)))

    assert only_pool(fake).id == first
    assert members(fake, stack, first) == {"C"}
    assert calls(fake, "AssociateOriginationIdentity", "DisassociateOriginationIdentity", "CreatePool") == [
        "AssociateOriginationIdentity",
        "DisassociateOriginationIdentity",
    ]
    assert fake.phone_number(number_id(stack, "A")).pool_id is None  # free to join another pool


def test_sender_ids_are_associated_with_their_country(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(pool_template(("A",), senders=("BRAND",)))
    stack.deploy(pool_template(("A", "BRAND"), senders=("BRAND",)))

    pool = only_pool(fake)
    assert pool.sender_ids == {("BRAND", "US")}
    associate = next(p for op, p in fake.calls if op == "AssociateOriginationIdentity")
    assert associate["IsoCountryCode"] == "US"
    assert associate["OriginationIdentity"] == fake.sender_id("BRAND", "US").arn


def test_change_the_opt_out_list_and_settings_in_place(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(pool_template())
    first = only_pool(fake).id

    stack.deploy(
        pool_template(
            pool_list="ListB",
            shared_routes=True,
            self_managed_opt_outs=True,
            deletion_protection=True,
            keywords=[Keyword("JOIN", message="Welcome")],
            tags={"team": "b"},
        )
    )

    pool = only_pool(fake)
    assert pool.id == first
    assert (pool.opt_out_list, pool.shared_routes, pool.self_managed_opt_outs) == ("listb", True, True)
    assert pool.deletion_protection
    assert pool.keywords["JOIN"] == ("Welcome", "AUTOMATIC_RESPONSE")
    assert fake.tags[pool.arn] == {"team": "b", MANAGED_TAG_KEY: "true"}
    assert members(fake, stack, first) == {"A", "B"}


def test_a_changed_message_type_fails_clearly_and_the_pool_stays(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(pool_template(("A",), senders=("BRAND",)))
    with pytest.raises(DeployFailedError, match=r"MessageType cannot change.*never replaced"):
        stack.deploy(pool_template(("BRAND",), senders=("BRAND",), message_type=MessageType.PROMOTIONAL))
    assert only_pool(fake).message_type == "TRANSACTIONAL"


def test_failed_update_rolls_back_identities_and_settings(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(pool_template(("A", "B")))
    first = only_pool(fake).id
    fake.fail("ValidationException", operation="PutKeyword", message="boom")

    with pytest.raises(DeployFailedError, match="boom"):
        stack.deploy(pool_template(("B", "C"), pool_list="ListB", keywords=[Keyword("JOIN", message="hi")]))

    pool = only_pool(fake)
    assert pool.id == first
    assert members(fake, stack, first) == {"A", "B"}
    assert pool.opt_out_list == "lista"
    assert "JOIN" not in pool.keywords


def test_delete_in_stack_order_retains_the_numbers_by_default(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(pool_template())
    stack.destroy()

    assert [p.status for p in fake.pools.values()] == ["DELETING"]
    settle(fake)
    assert fake.pools == {}
    assert len(fake.phone_numbers) == 3
    assert all(n.pool_id is None for n in fake.phone_numbers.values())
    assert fake.released_phone_numbers == []


def test_delete_in_stack_order_releases_numbers_the_user_chose_to_destroy(fake: FakeSmsVoice) -> None:
    fake.deleting_calls = 3  # the deleted pool lets its numbers go only after a few more calls
    stack = Stack()
    stack.deploy(pool_template(number_policy=RemovalPolicy.DESTROY))
    stack.destroy()

    assert fake.pools == {}
    assert fake.phone_numbers == {}
    assert len(fake.released_phone_numbers) == 3
    # Some releases were refused while the pool was still letting its numbers go, and retried.
    assert len(calls(fake, "ReleasePhoneNumber")) > 3


def test_delete_of_a_pool_that_is_already_gone_succeeds(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(pool_template())
    fake.pools.clear()
    for number in fake.phone_numbers.values():
        number.pool_id = None
    stack.destroy()
    assert fake.pools == {}
    assert len(fake.phone_numbers) == 3


def test_deletion_protection_fails_the_delete_clearly_and_stays_on(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(pool_template(deletion_protection=True))
    with pytest.raises(DeployFailedError, match=r"pool \S+ has deletion protection enabled"):
        stack.destroy()
    pool = only_pool(fake)
    assert pool.deletion_protection and pool.status == "ACTIVE"
    assert calls(fake, "UpdatePool") == []


def test_a_number_of_another_pool_is_refused_with_the_services_reason(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(pool_template(("A",)))
    other = Stack(name="Other")
    # The other stack's pool wants a number that the first pool holds.
    template = pool_template(("A",))
    number_a = number_id(stack, "A")
    for lid, resource in stack.resources.items():
        if lid.startswith("Number") or lid.startswith("List"):
            other.resources[lid] = resource
    with pytest.raises(DeployFailedError, match="RESOURCE_ALREADY_ASSOCIATED"):
        other.deploy(template)
    assert fake.phone_number(number_a).pool_id == only_pool(fake).id


def test_a_failed_create_is_cleaned_up(fake: FakeSmsVoice) -> None:
    fake.fail("ValidationException", operation="AssociateOriginationIdentity", message="boom")
    with pytest.raises(DeployFailedError, match="boom"):
        Stack().deploy(pool_template(("A", "B")))
    settle(fake)
    assert fake.pools == {}
    assert all(n.pool_id is None for n in fake.phone_numbers.values())
