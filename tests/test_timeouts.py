"""Timeouts: a stuck resource fails well inside CloudFormation's hour, saying what it waited for.

The budget, from the outside in: CloudFormation gives a custom resource one hour; the provider's waiter
gives up after its total timeout (45 minutes) with the framework's generic "timed out" message; so every
wait of the handler's own has a deadline that, plus one is_complete invocation and one poll interval,
ends before the waiter's, and fails with a message naming what it waited for.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk import RemovalPolicy

from smsvoice_cdk import OptOutList
from smsvoice_cdk.custom_resources import aws, opt_out_list, phone_number
from tests.cloudformation import DeployFailedError, Stack
from tests.fakes import FakeSmsVoice
from tests.synth import build, simulator_number

CLOUDFORMATION_HOUR = 60 * 60


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    def body(stack: Any) -> None:
        simulator_number(stack, removal_policy=RemovalPolicy.DESTROY)
        OptOutList(stack, "OptOuts", opt_out_list_name="tenant-a")

    return build(body)


def waiter(template: dict[str, Any]) -> tuple[int, int]:
    """The provider's waiter: (seconds between is_complete polls, how many polls) from its definition."""
    (machine,) = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"
    ]
    definition = machine["Properties"]["DefinitionString"]
    text = "".join(p if isinstance(p, str) else "" for p in definition["Fn::Join"][1])
    retry = re.search(r'"IntervalSeconds":(\d+),"MaxAttempts":(\d+)', text)
    assert retry is not None, text
    return int(retry[1]), int(retry[2])


def function_timeout(template: dict[str, Any], handler: str) -> int:
    (function,) = [
        r
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function" and r["Properties"].get("Handler") == handler
    ]
    return int(function["Properties"]["Timeout"])


def test_the_providers_total_timeout_is_45_minutes_inside_cloudformations_hour(
    template: dict[str, Any],
) -> None:
    interval, polls = waiter(template)
    assert interval == 15
    assert interval * polls == 45 * 60
    assert (
        interval * polls + function_timeout(template, "custom_resources.index.on_event") < CLOUDFORMATION_HOUR
    )


def test_every_wait_of_the_handler_fails_with_its_own_message_before_the_waiter_gives_up(
    template: dict[str, Any],
) -> None:
    interval, polls = waiter(template)
    is_complete = function_timeout(template, "custom_resources.index.is_complete")
    for wait in (phone_number.ACTIVE_WAIT_SECONDS, phone_number.RELEASE_WAIT_SECONDS):
        assert wait + is_complete + interval < interval * polls
    # One is_complete invocation: its work budget and one call's longest retry fit in its Lambda timeout.
    longest_call = aws.THROTTLING_RETRY_SECONDS + aws.MAX_DELAY_SECONDS
    assert opt_out_list.WORK_BUDGET_SECONDS + longest_call < is_complete
    assert is_complete > aws.IAM_PROPAGATION_SECONDS + aws.MAX_DELAY_SECONDS


def _clock_that_jumps(monkeypatch: pytest.MonkeyPatch, minutes: float) -> list[float]:
    """Wall-clock time that advances ``minutes`` at every look, as polls 15 seconds apart add up."""
    now = [1_700_000_000.0]

    def clock() -> float:
        now[0] += minutes * 60
        return now[0]

    monkeypatch.setattr(aws, "wall_clock", clock)
    return now


def _number_props(stack: Stack, template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    (lid,) = [lid for lid, r in template["Resources"].items() if r["Type"] == "Custom::SmsVoicePhoneNumber"]
    return lid, stack.resolve_properties(template, lid)


def test_a_number_that_never_turns_active_fails_saying_what_it_waited_for(
    fake: FakeSmsVoice, template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.pending_polls = 10_000
    now = _clock_that_jumps(monkeypatch, minutes=5)
    stack = Stack()
    lid, props = _number_props(stack, template)

    started = now[0]
    with pytest.raises(DeployFailedError) as failed:
        stack.send(stack.event("Create", lid, "Custom::SmsVoicePhoneNumber", props))

    message = str(failed.value.cause)
    assert "still PENDING after waiting 30 minutes for it to turn ACTIVE" in message
    assert "wait_for_active=False" in message
    assert failed.value.physical_id in fake.phone_numbers  # the id is reported: rollback can release it
    waited = now[0] - started
    assert 30 * 60 <= waited < 45 * 60, f"gave up after {waited / 60:.0f} minutes"


def test_the_deadline_travels_in_the_data_so_every_poll_process_sees_the_same_one(
    fake: FakeSmsVoice, template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.pending_polls = 10_000
    _clock_that_jumps(monkeypatch, minutes=0)
    stack = Stack()
    lid, props = _number_props(stack, template)
    event: Any = stack.event("Create", lid, "Custom::SmsVoicePhoneNumber", props)

    result = phone_number.on_event(event)
    deadline = float(result["Data"][phone_number.ACTIVE_DEADLINE])
    polled: Any = {**event, **result}
    assert phone_number.is_complete(polled) == {"IsComplete": False}
    monkeypatch.setattr(aws, "wall_clock", lambda: deadline + 1)
    with pytest.raises(ValueError, match="still PENDING"):
        phone_number.is_complete(polled)


def test_a_pool_that_never_lets_a_number_go_fails_the_release_saying_so(
    fake: FakeSmsVoice, template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = _clock_that_jumps(monkeypatch, minutes=5)
    stack = Stack()
    lid, props = _number_props(stack, template)
    number_id = stack.send(stack.event("Create", lid, "Custom::SmsVoicePhoneNumber", props))[
        "PhysicalResourceId"
    ]
    fake.dispatch("CreatePool", {"OriginationIdentity": number_id, "MessageType": "TRANSACTIONAL"})

    started = now[0]
    with pytest.raises(DeployFailedError) as failed:
        stack.send(stack.event("Delete", lid, "Custom::SmsVoicePhoneNumber", props, physical_id=number_id))

    assert "still associated with a pool after waiting 30 minutes" in str(failed.value.cause)
    assert number_id in fake.phone_numbers and fake.released_phone_numbers == []
    assert 30 * 60 <= now[0] - started < 45 * 60


def test_a_failure_is_reported_as_a_failure_with_the_services_reason(
    fake: FakeSmsVoice, template: dict[str, Any]
) -> None:
    fake.fail("ValidationException", operation="RequestPhoneNumber", reason="INVALID_PARAMETER", message="no")
    stack = Stack()
    lid, props = _number_props(stack, template)
    with pytest.raises(DeployFailedError, match=re.escape("ValidationException (INVALID_PARAMETER): no")):
        stack.send(stack.event("Create", lid, "Custom::SmsVoicePhoneNumber", props))
    assert json.dumps(fake.phone_numbers) == "{}"
