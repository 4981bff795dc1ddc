"""SenderId through the real handler and the fake, driven by synthesized templates."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy

from smsvoice_cdk import MessageType, SenderId
from smsvoice_cdk.custom_resources.contract import MANAGED_TAG_KEY
from smsvoice_cdk.custom_resources.events import CREATE_FAILED_MARKER
from tests.cloudformation import DeployFailedError, Stack
from tests.fakes import FakeSmsVoice
from tests.synth import build, logical_id

TYPE = "Custom::SmsVoiceSenderId"


def sender_template(**props: Any) -> dict[str, Any]:
    props = {"sender_id": "BRAND", "iso_country_code": "DE", **props}
    return build(lambda stack: SenderId(stack, "Sender", **props))


def lid(template: dict[str, Any]) -> str:
    return logical_id(template, TYPE)


def test_create_returns_sender_and_country_as_the_id(fake: FakeSmsVoice) -> None:
    template = sender_template(message_types=[MessageType.TRANSACTIONAL], tags={"team": "a"})
    stack = Stack()
    stack.deploy(template)

    state = fake.sender_id("BRAND", "DE")
    assert stack.physical_id(lid(template)) == "BRAND|DE"
    assert stack.attribute(lid(template), "SenderIdArn") == state.arn
    assert state.message_types == ["TRANSACTIONAL"]
    assert fake.tags[state.arn] == {"team": "a", MANAGED_TAG_KEY: "true"}


def test_the_same_create_request_twice_requests_one_sender_id(fake: FakeSmsVoice) -> None:
    template = sender_template()
    stack = Stack()
    event = stack.event(
        "Create", lid(template), TYPE, stack.resolve_properties(template, lid(template)), request_id="r"
    )
    assert stack.send(event)["PhysicalResourceId"] == stack.send(event)["PhysicalResourceId"] == "BRAND|DE"
    assert list(fake.sender_ids) == [("BRAND", "DE")]


def test_deletion_protection_and_tags_change_in_place(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(sender_template(tags={"team": "a"}))
    stack.deploy(sender_template(deletion_protection=True, tags={"team": "b"}))

    state = fake.sender_id("BRAND", "DE")
    assert state.deletion_protection
    assert fake.tags[state.arn] == {"team": "b", MANAGED_TAG_KEY: "true"}
    assert [op for op, _ in fake.calls].count("RequestSenderId") == 1


def test_another_country_is_another_sender_id_and_the_old_is_retained(fake: FakeSmsVoice) -> None:
    stack = Stack()
    template = sender_template()
    stack.deploy(template)
    stack.deploy(sender_template(iso_country_code="FR"))
    assert stack.physical_id(lid(template)) == "BRAND|FR"
    assert set(fake.sender_ids) == {("BRAND", "DE"), ("BRAND", "FR")}


def test_changed_message_types_fail_clearly(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(sender_template(message_types=[MessageType.TRANSACTIONAL]))
    with pytest.raises(DeployFailedError, match="MessageTypes cannot change"):
        stack.deploy(sender_template(message_types=[MessageType.PROMOTIONAL]))
    assert fake.sender_id("BRAND", "DE").message_types == ["TRANSACTIONAL"]


def test_delete_retains_by_default_and_releases_with_destroy(fake: FakeSmsVoice) -> None:
    kept = Stack()
    kept.deploy(sender_template())
    kept.destroy()
    assert ("BRAND", "DE") in fake.sender_ids

    released = Stack(name="Other")
    released.deploy(sender_template(sender_id="OTHER", removal_policy=RemovalPolicy.DESTROY))
    released.destroy()
    assert fake.released_sender_ids == [("OTHER", "DE")]


def test_deletion_protection_fails_the_delete_clearly(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(sender_template(deletion_protection=True, removal_policy=RemovalPolicy.DESTROY))
    with pytest.raises(DeployFailedError, match="deletion protection enabled"):
        stack.destroy()
    assert fake.sender_id("BRAND", "DE").deletion_protection


@pytest.mark.parametrize("physical_id", [CREATE_FAILED_MARKER, "6f9c1a2e-9b1d-4d7e-8b8a-1c2d3e4f5a6b", ""])
def test_delete_of_a_failed_creates_id_touches_nothing(fake: FakeSmsVoice, physical_id: str) -> None:
    template = sender_template()
    stack = Stack()
    props = stack.resolve_properties(template, lid(template))
    stack.send(stack.event("Delete", lid(template), TYPE, props, physical_id=physical_id))
    assert fake.mutating_calls() == []


def test_delete_of_a_sender_id_that_is_gone_succeeds(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(sender_template(removal_policy=RemovalPolicy.DESTROY))
    fake.sender_ids.clear()
    stack.destroy()
    assert fake.released_sender_ids == []
