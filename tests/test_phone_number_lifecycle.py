"""PhoneNumber through the real handler and the fake, driven by synthesized templates."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns

from smsvoice_cdk import (
    Keyword,
    KeywordAction,
    MessageType,
    NumberCapability,
    NumberType,
    OptOutList,
    PhoneNumber,
    TwoWayChannel,
)
from smsvoice_cdk.custom_resources import aws
from smsvoice_cdk.custom_resources.contract import MANAGED_TAG_KEY
from smsvoice_cdk.custom_resources.events import CREATE_FAILED_MARKER
from tests.cloudformation import DeployFailedError, Stack
from tests.fakes import FakeSmsVoice
from tests.fakes.phone_numbers import PhoneNumberState
from tests.synth import build, logical_id

TYPE = "Custom::SmsVoicePhoneNumber"


def number_template(*, with_lists: bool = False, two_way: bool = False, **props: Any) -> dict[str, Any]:
    def body(stack: Any) -> None:
        lists = {name: OptOutList(stack, name, opt_out_list_name=name.lower()) for name in ("ListA", "ListB")}
        if isinstance(props.get("opt_out_list"), str):
            props["opt_out_list"] = lists[props["opt_out_list"]]
        if two_way:
            role = iam.Role(
                stack,
                "TwoWayRole",
                assumed_by=iam.ServicePrincipal("sms-voice.amazonaws.com"),
                path="/smsvoice-cdk/",
            )
            props["two_way_channel"] = TwoWayChannel.sns_topic(sns.Topic(stack, "Inbound"), role)
        PhoneNumber(stack, "Number", **{**DEFAULTS, **props})

    return build(body)


DEFAULTS: dict[str, Any] = {
    "iso_country_code": "US",
    "message_type": MessageType.TRANSACTIONAL,
    "number_type": NumberType.SIMULATOR,
    "number_capabilities": [NumberCapability.SMS, NumberCapability.VOICE],
}


def lid(template: dict[str, Any]) -> str:
    return logical_id(template, TYPE)


def only_number(fake: FakeSmsVoice) -> PhoneNumberState:
    assert len(fake.phone_numbers) == 1, fake.phone_numbers
    return next(iter(fake.phone_numbers.values()))


def ops(fake: FakeSmsVoice, operation: str) -> int:
    return [op for op, _ in fake.calls].count(operation)


def test_create_waits_for_active_and_returns_the_real_id(fake: FakeSmsVoice) -> None:
    fake.pending_polls = 3
    template = number_template(tags={"team": "a"})
    stack = Stack()
    stack.deploy(template)

    number = only_number(fake)
    assert number.status == "ACTIVE"
    assert stack.physical_id(lid(template)) == number.id
    assert stack.attribute(lid(template), "PhoneNumberArn") == number.arn
    assert stack.attribute(lid(template), "PhoneNumber") == number.number
    assert ops(fake, "DescribePhoneNumbers") >= 4  # PENDING three times, then ACTIVE
    assert fake.tags[number.arn] == {"team": "a", MANAGED_TAG_KEY: "true"}
    assert (number.iso_country_code, number.message_type, number.number_type) == (
        "US",
        "TRANSACTIONAL",
        "SIMULATOR",
    )
    assert number.capabilities == ["SMS", "VOICE"]


def test_create_without_waiting_completes_while_pending(fake: FakeSmsVoice) -> None:
    fake.pending_polls = 10_000  # a toll-free number that stays PENDING for days
    stack = Stack()
    stack.deploy(
        number_template(number_type=NumberType.TOLL_FREE, wait_for_active=False, self_managed_opt_outs=True)
    )

    number = only_number(fake)
    assert number.status == "PENDING"
    assert number.self_managed_opt_outs  # settings are applied without waiting
    assert ops(fake, "DescribePhoneNumbers") == 1  # one look, no waiting


def test_a_number_that_never_turns_active_keeps_the_deployment_waiting(fake: FakeSmsVoice) -> None:
    fake.pending_polls = 10_000
    with pytest.raises(DeployFailedError, match="did not complete"):
        Stack().deploy(number_template(), rollback=False)
    assert only_number(fake).status == "PENDING"


def test_the_same_create_request_twice_buys_one_number(fake: FakeSmsVoice) -> None:
    template = number_template()
    stack = Stack()
    props = stack.resolve_properties(template, lid(template))
    event = stack.event("Create", lid(template), TYPE, props, request_id="same-request")
    first, second = stack.send(event), stack.send(event)
    assert first["PhysicalResourceId"] == second["PhysicalResourceId"] == only_number(fake).id
    assert ops(fake, "RequestPhoneNumber") == 2  # the second was a replay


def test_create_applies_every_setting(fake: FakeSmsVoice) -> None:
    keywords = [
        Keyword("JOIN", message="Welcome", action=KeywordAction.OPT_IN),
        Keyword("HELP", message="Call us"),
    ]
    stack = Stack()
    stack.deploy(
        number_template(
            opt_out_list="ListA",
            deletion_protection=True,
            international_sending=True,
            self_managed_opt_outs=True,
            two_way=True,
            keywords=keywords,
        )
    )

    number = only_number(fake)
    assert number.opt_out_list == "lista"
    assert number.deletion_protection and number.international_sending and number.self_managed_opt_outs
    assert number.two_way_enabled
    assert number.two_way_channel_arn is not None and number.two_way_channel_arn.startswith("arn:aws:sns:")
    assert number.two_way_channel_role is not None and ":role/smsvoice-cdk/" in number.two_way_channel_role
    assert number.keywords["JOIN"] == ("Welcome", "OPT_IN")
    assert number.keywords["HELP"] == ("Call us", "AUTOMATIC_RESPONSE")
    assert "STOP" in number.keywords


def test_settings_change_in_place(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template(opt_out_list="ListA", two_way=True, tags={"team": "a"}))
    number_id = only_number(fake).id

    stack.deploy(number_template(opt_out_list="ListB", self_managed_opt_outs=True, tags={"team": "b"}))

    number = only_number(fake)
    assert number.id == number_id
    assert (number.opt_out_list, number.self_managed_opt_outs, number.two_way_enabled) == (
        "listb",
        True,
        False,
    )
    assert fake.tags[number.arn] == {"team": "b", MANAGED_TAG_KEY: "true"}
    assert ops(fake, "RequestPhoneNumber") == 1


def test_removing_the_opt_out_list_returns_to_the_default_list(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template(opt_out_list="ListA"))
    stack.deploy(number_template())
    assert only_number(fake).opt_out_list == "Default"


def test_capabilities_in_another_order_change_nothing(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template())
    stack.deploy(number_template(number_capabilities=[NumberCapability.VOICE, NumberCapability.SMS]))
    assert ops(fake, "RequestPhoneNumber") == 1


@pytest.mark.parametrize(
    ("change", "prop"),
    [
        ({"iso_country_code": "CA"}, "IsoCountryCode"),
        ({"number_type": NumberType.LONG_CODE}, "NumberType"),
        ({"number_capabilities": [NumberCapability.SMS]}, "NumberCapabilities"),
        ({"registration_id": "registration-1234"}, "RegistrationId"),
    ],
)
def test_a_change_that_needs_a_new_number_is_refused_unless_allowed(
    fake: FakeSmsVoice, change: dict[str, Any], prop: str
) -> None:
    stack = Stack()
    template = number_template()
    stack.deploy(template)
    number_id = only_number(fake).id

    with pytest.raises(DeployFailedError) as failed:
        stack.deploy(number_template(**change))

    message = str(failed.value.cause)
    assert prop in message and "allow_replacement=True" in message and number_id in message
    assert list(fake.phone_numbers) == [number_id]
    assert stack.physical_id(lid(template)) == number_id


def test_an_allowed_replacement_requests_a_new_number_and_retains_the_old_by_default(
    fake: FakeSmsVoice,
) -> None:
    stack = Stack()
    template = number_template()
    stack.deploy(template)
    old_id = only_number(fake).id

    stack.deploy(number_template(iso_country_code="CA", allow_replacement=True))

    new_id = stack.physical_id(lid(template))
    assert new_id != old_id
    assert set(fake.phone_numbers) == {old_id, new_id}
    assert fake.phone_numbers[new_id].iso_country_code == "CA"
    assert fake.released_phone_numbers == []


def test_an_allowed_replacement_with_destroy_releases_the_old_number(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template(removal_policy=RemovalPolicy.DESTROY))
    old_id = only_number(fake).id

    stack.deploy(
        number_template(iso_country_code="CA", allow_replacement=True, removal_policy=RemovalPolicy.DESTROY)
    )

    assert only_number(fake).iso_country_code == "CA"
    assert fake.released_phone_numbers == [old_id]


def test_failed_update_rolls_back_settings(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template(opt_out_list="ListA", tags={"team": "a"}))
    fake.fail("ValidationException", operation="PutKeyword", message="boom")

    with pytest.raises(DeployFailedError, match="boom"):
        stack.deploy(
            number_template(
                opt_out_list="ListB",
                self_managed_opt_outs=True,
                tags={"team": "b"},
                keywords=[Keyword("JOIN", message="hi")],
            )
        )

    number = only_number(fake)
    assert (number.opt_out_list, number.self_managed_opt_outs) == ("lista", False)
    assert fake.tags[number.arn] == {"team": "a", MANAGED_TAG_KEY: "true"}
    assert "JOIN" not in number.keywords


def test_delete_with_the_default_policy_keeps_the_number(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template())
    stack.destroy()
    assert len(fake.phone_numbers) == 1
    assert ops(fake, "ReleasePhoneNumber") == 0


def test_delete_with_destroy_releases_the_number(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template(removal_policy=RemovalPolicy.DESTROY))
    number_id = only_number(fake).id
    stack.destroy()
    assert fake.phone_numbers == {}
    assert fake.released_phone_numbers == [number_id]


def test_delete_of_a_number_that_is_already_gone_succeeds(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template(removal_policy=RemovalPolicy.DESTROY))
    fake.phone_numbers.clear()
    stack.destroy()
    assert fake.released_phone_numbers == []


def test_deletion_protection_fails_the_delete_clearly_and_stays_on(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template(deletion_protection=True, removal_policy=RemovalPolicy.DESTROY))

    with pytest.raises(DeployFailedError, match="deletion protection enabled") as failed:
        stack.destroy()

    assert "RETAIN" in str(failed.value.cause)
    number = only_number(fake)
    assert number.deletion_protection
    assert ops(fake, "UpdatePhoneNumber") == 0


@pytest.mark.parametrize("physical_id", [CREATE_FAILED_MARKER, "6f9c1a2e-9b1d-4d7e-8b8a-1c2d3e4f5a6b", ""])
def test_delete_of_a_failed_creates_id_touches_nothing(fake: FakeSmsVoice, physical_id: str) -> None:
    fake.RequestPhoneNumber(
        {
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberCapabilities": ["SMS"],
            "NumberType": "SIMULATOR",
        }
    )
    template = number_template()
    stack = Stack()
    props = stack.resolve_properties(template, lid(template))
    response = stack.send(stack.event("Delete", lid(template), TYPE, props, physical_id=physical_id))
    assert response["PhysicalResourceId"] == physical_id
    assert len(fake.phone_numbers) == 1
    assert fake.mutating_calls() == []


def _put_in_a_pool(fake: FakeSmsVoice, number_id: str) -> str:
    pool = fake.dispatch("CreatePool", {"OriginationIdentity": number_id, "MessageType": "TRANSACTIONAL"})
    return str(pool["PoolId"])


def test_release_gives_up_with_a_clear_message_when_the_number_stays_in_a_pool(
    fake: FakeSmsVoice, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [0.0]

    def clock() -> float:
        now[0] += 300.0  # five minutes pass between polls
        return now[0]

    monkeypatch.setattr(aws, "wall_clock", clock)
    stack = Stack()
    stack.deploy(number_template(removal_policy=RemovalPolicy.DESTROY))
    number_id = only_number(fake).id
    pool_id = _put_in_a_pool(fake, number_id)

    with pytest.raises(DeployFailedError, match="still associated with a pool after waiting 30 minutes"):
        stack.destroy()

    assert fake.phone_numbers[number_id].pool_id == pool_id
    assert fake.released_phone_numbers == []


def test_settings_of_a_pooled_number_cannot_change_and_say_why(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template())
    pool_id = _put_in_a_pool(fake, only_number(fake).id)

    with pytest.raises(DeployFailedError, match=f"is in pool {pool_id}.*SelfManagedOptOutsEnabled"):
        stack.deploy(number_template(self_managed_opt_outs=True))

    assert not only_number(fake).self_managed_opt_outs
