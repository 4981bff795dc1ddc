"""ConfigurationSet through the real handler and the fake, driven by synthesized templates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns

from smsvoice_cdk import (
    CloudWatchLogsDestination,
    ConfigurationSet,
    EventType,
    MessageType,
    SnsDestination,
)
from smsvoice_cdk.custom_resources.contract import MANAGED_TAG_KEY
from smsvoice_cdk.custom_resources.events import CREATE_FAILED_MARKER
from tests.cloudformation import DeployFailedError, Stack
from tests.fakes import FakeSmsVoice
from tests.synth import build

TYPE = "Custom::SmsVoiceConfigurationSet"
DESTINATION_TYPE = "Custom::SmsVoiceEventDestination"


def config_template(
    *, destinations: Callable[[cdk.Stack, ConfigurationSet], None] | None = None, **props: Any
) -> dict[str, Any]:
    props.setdefault("configuration_set_name", "tenant-a")

    def body(stack: cdk.Stack) -> None:
        config_set = ConfigurationSet(stack, "Config", **props)
        if destinations:
            destinations(stack, config_set)

    return build(body)


def logs_and_sns(stack: cdk.Stack, config_set: ConfigurationSet) -> None:
    log_group = logs.LogGroup(stack, "EventLog")
    topic = sns.Topic(stack, "Alerts")
    config_set.add_event_destination(
        "Logs", CloudWatchLogsDestination(log_group), events=[EventType.ALL], event_destination_name="logs"
    )
    config_set.add_event_destination(
        "Alerts", SnsDestination(topic), events=[EventType.TEXT_BLOCKED], event_destination_name="alerts"
    )


def logical(template: dict[str, Any], resource_type: str = TYPE) -> str:
    return next(lid for lid, r in template["Resources"].items() if r["Type"] == resource_type)


def defaults(fake: FakeSmsVoice, name: str) -> tuple[str | None, str | None, bool]:
    state = fake.configuration_set(name)
    return state.default_message_type, state.default_sender_id, state.feedback_enabled


def calls_since(fake: FakeSmsVoice, mark: int) -> list[str]:
    return [op for op, _ in fake.calls[mark:] if not op.startswith(("Describe", "List"))]


def test_create_with_defaults_applies_each_and_returns_the_real_id(fake: FakeSmsVoice) -> None:
    template = config_template(
        default_message_type=MessageType.TRANSACTIONAL,
        default_sender_id="ACME",
        message_feedback=True,
        tags={"team": "a"},
    )
    stack = Stack()
    stack.deploy(template)

    lid = logical(template)
    assert stack.physical_id(lid) == "tenant-a"
    assert stack.attribute(lid, "ConfigurationSetArn") == fake.configuration_set("tenant-a").arn
    assert stack.attribute(lid, "ConfigurationSetName") == "tenant-a"
    assert defaults(fake, "tenant-a") == ("TRANSACTIONAL", "ACME", True)
    assert fake.tags[fake.configuration_set("tenant-a").arn] == {"team": "a", MANAGED_TAG_KEY: "true"}


def test_create_without_defaults_sets_none(fake: FakeSmsVoice) -> None:
    Stack().deploy(config_template())
    assert defaults(fake, "tenant-a") == (None, None, False)
    assert fake.mutating_calls() == ["CreateConfigurationSet"]


def test_a_generated_name_is_a_valid_api_name(fake: FakeSmsVoice) -> None:
    template = build(lambda stack: ConfigurationSet(stack, "Config"))
    stack = Stack()
    stack.deploy(template)
    name = stack.physical_id(logical(template))
    assert name.startswith("TestStack-Config-")
    assert name in fake.configuration_sets


BASE: dict[str, Any] = {
    "default_message_type": MessageType.TRANSACTIONAL,
    "default_sender_id": "ACME",
    "message_feedback": False,
}


@pytest.mark.parametrize(
    ("change", "expected_call", "expected_defaults"),
    [
        (
            {"default_message_type": MessageType.PROMOTIONAL},
            "SetDefaultMessageType",
            ("PROMOTIONAL", "ACME", False),
        ),
        ({"default_sender_id": "ACME2"}, "SetDefaultSenderId", ("TRANSACTIONAL", "ACME2", False)),
        ({"message_feedback": True}, "SetDefaultMessageFeedbackEnabled", ("TRANSACTIONAL", "ACME", True)),
    ],
)
def test_changing_one_default_makes_only_that_call_in_place(
    fake: FakeSmsVoice, change: dict[str, Any], expected_call: str, expected_defaults: tuple[Any, ...]
) -> None:
    stack = Stack()
    stack.deploy(config_template(**BASE))
    mark = len(fake.calls)

    template = config_template(**{**BASE, **change})
    stack.deploy(template)

    assert stack.physical_id(logical(template)) == "tenant-a"
    assert calls_since(fake, mark) == [expected_call]
    assert defaults(fake, "tenant-a") == expected_defaults


@pytest.mark.parametrize(
    ("removed", "expected_call", "expected_defaults"),
    [
        ("default_message_type", "DeleteDefaultMessageType", (None, "ACME", True)),
        ("default_sender_id", "DeleteDefaultSenderId", ("TRANSACTIONAL", None, True)),
        ("message_feedback", "SetDefaultMessageFeedbackEnabled", ("TRANSACTIONAL", "ACME", False)),
    ],
)
def test_removing_a_default_deletes_it_on_the_service(
    fake: FakeSmsVoice, removed: str, expected_call: str, expected_defaults: tuple[Any, ...]
) -> None:
    full = {**BASE, "message_feedback": True}
    stack = Stack()
    stack.deploy(config_template(**full))
    mark = len(fake.calls)

    stack.deploy(config_template(**{k: v for k, v in full.items() if k != removed}))

    assert calls_since(fake, mark) == [expected_call]
    assert defaults(fake, "tenant-a") == expected_defaults


def test_tags_change_in_place(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(config_template(tags={"team": "a", "cost": "1"}))
    stack.deploy(config_template(tags={"team": "b"}))
    assert fake.tags[fake.configuration_set("tenant-a").arn] == {"team": "b", MANAGED_TAG_KEY: "true"}
    assert list(fake.configuration_sets) == ["tenant-a"]


def test_rename_replaces_the_set_and_moves_its_destinations(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(config_template(destinations=logs_and_sns, **BASE))

    renamed = config_template(destinations=logs_and_sns, **{**BASE, "configuration_set_name": "tenant-a-v2"})
    stack.deploy(renamed)

    assert stack.physical_id(logical(renamed)) == "tenant-a-v2"
    assert list(fake.configuration_sets) == ["tenant-a-v2"]
    assert defaults(fake, "tenant-a-v2") == ("TRANSACTIONAL", "ACME", False)
    assert set(fake.configuration_set("tenant-a-v2").destinations) == {"logs", "alerts"}
    destination_ids = {r.physical_id for r in stack.resources.values() if r.resource_type == DESTINATION_TYPE}
    assert destination_ids == {
        "tenant-a-v2|logs|CloudWatchLogsDestination",
        "tenant-a-v2|alerts|SnsDestination",
    }


def test_rename_with_retain_keeps_the_old_set_and_its_destinations(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(config_template(destinations=logs_and_sns, removal_policy=cdk.RemovalPolicy.RETAIN))
    stack.deploy(
        config_template(
            destinations=logs_and_sns,
            configuration_set_name="tenant-a-v2",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
    )
    assert set(fake.configuration_sets) == {"tenant-a", "tenant-a-v2"}
    # The destinations are not retained: CloudFormation deleted the old ones from the kept set.
    assert fake.configuration_set("tenant-a").destinations == {}
    assert set(fake.configuration_set("tenant-a-v2").destinations) == {"logs", "alerts"}


def test_a_failed_rename_rolls_back_to_the_old_set_with_its_destinations(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(config_template(destinations=logs_and_sns, **BASE))
    fake.fail("ValidationException", operation="SetDefaultSenderId", count=1, message="boom")

    with pytest.raises(DeployFailedError, match="boom"):
        stack.deploy(
            config_template(destinations=logs_and_sns, **{**BASE, "configuration_set_name": "tenant-a-v2"})
        )

    assert list(fake.configuration_sets) == ["tenant-a"]
    assert defaults(fake, "tenant-a") == ("TRANSACTIONAL", "ACME", False)
    assert set(fake.configuration_set("tenant-a").destinations) == {"logs", "alerts"}
    assert stack.physical_id(logical(config_template())) == "tenant-a"


def test_rollback_of_a_rename_after_a_later_failure_returns_to_the_old_set(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(config_template(destinations=logs_and_sns, **BASE))
    # The set is renamed, then a destination's create in the new set fails.
    fake.fail("ValidationException", operation="CreateEventDestination", count=1, message="later failure")

    with pytest.raises(DeployFailedError, match="later failure"):
        stack.deploy(
            config_template(destinations=logs_and_sns, **{**BASE, "configuration_set_name": "tenant-a-v2"})
        )

    assert list(fake.configuration_sets) == ["tenant-a"]
    assert set(fake.configuration_set("tenant-a").destinations) == {"logs", "alerts"}
    assert sorted(r.physical_id for r in stack.resources.values() if r.resource_type == DESTINATION_TYPE) == [
        "tenant-a|alerts|SnsDestination",
        "tenant-a|logs|CloudWatchLogsDestination",
    ]


def test_a_failed_default_on_create_rolls_back_by_deleting_the_new_set(fake: FakeSmsVoice) -> None:
    fake.fail("ValidationException", operation="SetDefaultMessageType", count=1, message="boom")
    with pytest.raises(DeployFailedError, match="boom"):
        Stack().deploy(config_template(**BASE))
    assert fake.configuration_sets == {}


def test_a_failed_default_change_rolls_back(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(config_template(**BASE))
    fake.fail("ValidationException", operation="SetDefaultSenderId", count=1, message="boom")
    with pytest.raises(DeployFailedError, match="boom"):
        stack.deploy(config_template(**{**BASE, "default_sender_id": "OTHER", "message_feedback": True}))
    assert defaults(fake, "tenant-a") == ("TRANSACTIONAL", "ACME", False)


def test_delete_of_a_set_that_still_has_destinations_deletes_them_with_it(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(config_template())
    for name in ("made-in-console", "made-by-cli"):
        fake.CreateEventDestination(
            {
                "ConfigurationSetName": "tenant-a",
                "EventDestinationName": name,
                "MatchingEventTypes": ["ALL"],
                "SnsDestination": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:events"},
            }
        )

    stack.destroy()

    assert fake.configuration_sets == {}
    assert [op for op, _ in fake.calls].count("DeleteEventDestination") == 0


def test_destroying_a_stack_with_a_set_and_its_destinations_removes_all(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(config_template(destinations=logs_and_sns))
    stack.destroy()
    assert fake.configuration_sets == {}


def test_delete_with_retain_keeps_the_set(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(config_template(removal_policy=cdk.RemovalPolicy.RETAIN))
    stack.destroy()
    assert list(fake.configuration_sets) == ["tenant-a"]


def test_delete_of_a_set_that_is_already_gone_succeeds(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(config_template())
    del fake.configuration_sets["tenant-a"]
    stack.destroy()
    assert "DeleteConfigurationSet" in [op for op, _ in fake.calls]


@pytest.mark.parametrize("physical_id", [CREATE_FAILED_MARKER, "arn:aws:sms-voice:x", ""])
def test_delete_of_an_id_that_is_not_a_set_name_touches_nothing(fake: FakeSmsVoice, physical_id: str) -> None:
    fake.CreateConfigurationSet({"ConfigurationSetName": "bystander"})
    event = Stack().event(
        "Delete", "Config", TYPE, {"ConfigurationSetName": "tenant-a"}, physical_id=physical_id
    )
    response = Stack().send(event)
    assert response["PhysicalResourceId"] == physical_id
    assert list(fake.configuration_sets) == ["bystander"]
    assert fake.mutating_calls() == []


def test_the_same_create_request_twice_makes_one_set(fake: FakeSmsVoice) -> None:
    stack = Stack()
    template = config_template(**BASE)
    lid = logical(template)
    event = stack.event("Create", lid, TYPE, stack.resolve_properties(template, lid), request_id="same")
    first, second = stack.send(event), stack.send(event)
    assert first["PhysicalResourceId"] == second["PhysicalResourceId"] == "tenant-a"
    assert list(fake.configuration_sets) == ["tenant-a"]
    assert [op for op, _ in fake.calls].count("CreateConfigurationSet") == 2  # the second was a replay


def test_create_of_a_name_that_exists_fails_with_the_services_reason(fake: FakeSmsVoice) -> None:
    fake.CreateConfigurationSet({"ConfigurationSetName": "tenant-a"})
    with pytest.raises(DeployFailedError, match=r"ConflictException \(RESOURCE_ALREADY_EXISTS\)"):
        Stack().deploy(config_template())


def test_a_default_message_type_the_api_does_not_know_fails_before_any_call(fake: FakeSmsVoice) -> None:
    """A token resolved at deploy time escapes synth-time validation; the handler checks it."""
    stack = Stack()
    event = stack.event(
        "Create", "Config", TYPE, {"ConfigurationSetName": "tenant-a", "DefaultMessageType": "SPAM"}
    )
    with pytest.raises(DeployFailedError, match="DefaultMessageType 'SPAM' must be one of"):
        stack.send(event)
    assert fake.calls == []


def test_feedback_arrives_as_the_string_false_and_is_not_enabled(fake: FakeSmsVoice) -> None:
    template = config_template(message_feedback=False)
    assert template["Resources"][logical(template)]["Properties"]["DefaultMessageFeedbackEnabled"] is False
    Stack().deploy(template)  # the test CloudFormation delivers "false", as CloudFormation does
    assert defaults(fake, "tenant-a") == (None, None, False)
    assert "SetDefaultMessageFeedbackEnabled" not in fake.mutating_calls()


def test_throttling_is_retried(fake: FakeSmsVoice, sleeps: list[float]) -> None:
    fake.fail("ThrottlingException", operation="CreateConfigurationSet", count=2)
    fake.fail("ThrottlingException", operation="SetDefaultMessageType", count=1)
    Stack().deploy(config_template(**BASE))
    assert defaults(fake, "tenant-a") == ("TRANSACTIONAL", "ACME", False)
    assert len([s for s in sleeps if s > 0]) >= 1
