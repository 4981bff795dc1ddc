"""EventDestination through the real handler and the fake, driven by synthesized templates."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns

from smsvoice_cdk import (
    CloudWatchLogsDestination,
    ConfigurationSet,
    EventType,
    FirehoseDestination,
    SnsDestination,
)
from smsvoice_cdk.custom_resources import aws
from smsvoice_cdk.custom_resources.events import CREATE_FAILED_MARKER
from tests.cloudformation import DeployFailedError, Stack, _native_arn
from tests.fakes import FakeSmsVoice
from tests.synth import build, logical_id

TYPE = "Custom::SmsVoiceEventDestination"
STREAM_ARN = "arn:aws:firehose:us-east-1:123456789012:deliverystream/events"


def sink(stack: cdk.Stack, kind: str, variant: str = "") -> Any:
    """A destination of ``kind``; ``variant`` names a second sink of the same kind."""
    match kind:
        case "logs":
            return CloudWatchLogsDestination(logs.LogGroup(stack, f"EventLog{variant}"))
        case "firehose":
            stream = firehose.DeliveryStream.from_delivery_stream_arn(
                stack, f"Stream{variant}", STREAM_ARN + variant.lower()
            )
            return FirehoseDestination(stream)
        case "sns":
            return SnsDestination(sns.Topic(stack, f"Topic{variant}"))
    raise ValueError(kind)


def template(destinations: dict[str, dict[str, Any]], set_name: str = "tenant-a") -> dict[str, Any]:
    """A set with one destination per entry: construct id -> {kind, events, enabled, name, variant}."""

    def body(stack: cdk.Stack) -> None:
        config_set = ConfigurationSet(stack, "Config", configuration_set_name=set_name)
        for construct_id, spec in destinations.items():
            config_set.add_event_destination(
                construct_id,
                sink(stack, spec.get("kind", "logs"), spec.get("variant", "")),
                events=spec.get("events", [EventType.ALL]),
                enabled=spec.get("enabled", True),
                event_destination_name=spec.get("name", construct_id.lower()),
            )

    return build(body)


def native_arn(spec: dict[str, Any], resource_type: str) -> str:
    """The ARN the test CloudFormation gives the template's one resource of that type."""
    return _native_arn(spec, logical_id(spec, resource_type))


def destination_role_arn(spec: dict[str, Any]) -> str:
    """The ARN the test CloudFormation gives the (only) role made for a destination."""
    (lid,) = [
        lid
        for lid, r in spec["Resources"].items()
        if r["Type"] == "AWS::IAM::Role" and r["Properties"].get("Path") == "/smsvoice-cdk/"
    ]
    return _native_arn(spec, lid)


def destination_ids(stack: Stack) -> list[str]:
    return sorted(r.physical_id for r in stack.resources.values() if r.resource_type == TYPE)


def destinations(fake: FakeSmsVoice, set_name: str = "tenant-a") -> dict[str, Any]:
    return fake.configuration_set(set_name).destinations


def count(fake: FakeSmsVoice, operation: str) -> int:
    return [op for op, _ in fake.calls].count(operation)


@pytest.mark.parametrize(
    ("kind", "sink_type", "sink"),
    [
        (
            "logs",
            "CloudWatchLogsDestination",
            {
                "IamRoleArn": "arn:aws:iam::123456789012:role/smsvoice-cdk/configlogsrole72f5d0b7",
                "LogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:eventlog8b4d8dbc",
            },
        ),
        (
            "firehose",
            "KinesisFirehoseDestination",
            {
                "IamRoleArn": "arn:aws:iam::123456789012:role/smsvoice-cdk/configlogsrole72f5d0b7",
                "DeliveryStreamArn": STREAM_ARN,
            },
        ),
        ("sns", "SnsDestination", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:topicbfc7af6e"}),
    ],
)
def test_create_each_sink_kind_by_the_sets_name(
    fake: FakeSmsVoice, kind: str, sink_type: str, sink: dict[str, str]
) -> None:
    stack = Stack()
    stack.deploy(template({"Logs": {"kind": kind, "events": [EventType.TEXT_ALL, EventType.VOICE_ALL]}}))

    assert destination_ids(stack) == [f"tenant-a|logs|{sink_type}"]
    state = destinations(fake)["logs"]
    assert (state.sink_type, state.event_types, state.enabled) == (sink_type, ["TEXT_ALL", "VOICE_ALL"], True)
    assert state.sink.keys() == sink.keys()
    if kind == "sns":
        assert state.sink == sink
    else:
        assert state.sink["IamRoleArn"].startswith("arn:aws:iam::123456789012:role/smsvoice-cdk/")
    create = next(p for op, p in fake.calls if op == "CreateEventDestination")
    assert create["ConfigurationSetName"] == "tenant-a"  # the name, never the ARN
    assert "ClientToken" in create


def test_a_disabled_destination_is_disabled_right_after_create(fake: FakeSmsVoice) -> None:
    Stack().deploy(template({"Logs": {"enabled": False}}))
    assert destinations(fake)["logs"].enabled is False
    assert fake.mutating_calls()[-2:] == ["CreateEventDestination", "UpdateEventDestination"]


def test_add_and_remove_a_destination(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({"Logs": {}}))
    stack.deploy(template({"Logs": {}, "Alerts": {"kind": "sns"}}))
    assert set(destinations(fake)) == {"logs", "alerts"}
    assert count(fake, "CreateEventDestination") == 2  # the first one was left alone

    stack.deploy(template({"Alerts": {"kind": "sns"}}))
    assert set(destinations(fake)) == {"alerts"}
    assert destination_ids(stack) == ["tenant-a|alerts|SnsDestination"]


def test_changing_event_types_updates_in_place(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({"Logs": {"events": [EventType.ALL]}}))
    stack.deploy(template({"Logs": {"events": [EventType.TEXT_DELIVERED, EventType.TEXT_BLOCKED]}}))

    assert destinations(fake)["logs"].event_types == ["TEXT_DELIVERED", "TEXT_BLOCKED"]
    assert destination_ids(stack) == ["tenant-a|logs|CloudWatchLogsDestination"]
    assert count(fake, "CreateEventDestination") == 1
    assert count(fake, "DeleteEventDestination") == 0


def test_disable_and_enable_in_place(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({"Logs": {}}))

    stack.deploy(template({"Logs": {"enabled": False}}))
    assert destinations(fake)["logs"].enabled is False

    stack.deploy(template({"Logs": {"enabled": True}}))
    assert destinations(fake)["logs"].enabled is True
    assert count(fake, "CreateEventDestination") == 1


def test_changing_the_sinks_arn_updates_in_place(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({"Logs": {"kind": "sns"}}))
    changed = template({"Logs": {"kind": "sns", "variant": "B"}})
    stack.deploy(changed)
    assert destinations(fake)["logs"].sink == {"TopicArn": native_arn(changed, "AWS::SNS::Topic")}
    assert count(fake, "CreateEventDestination") == 1


def test_swapping_the_sink_type_replaces_the_destination_under_the_same_name(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({"Events": {"kind": "logs"}}))

    stack.deploy(template({"Events": {"kind": "sns"}}))

    state = destinations(fake)["events"]
    assert state.sink_type == "SnsDestination"
    assert destination_ids(stack) == ["tenant-a|events|SnsDestination"]
    # Deleted once, in the update; CloudFormation's Delete of the old id then found an SNS destination
    # under that name and left it alone.
    assert count(fake, "DeleteEventDestination") == 1
    assert ("Delete", "Removed") in stack.requests


def test_a_swap_whose_create_fails_rolls_back_to_the_old_sink(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({"Events": {"kind": "logs", "events": [EventType.TEXT_ALL]}}))
    fake.fail("ValidationException", operation="CreateEventDestination", count=1, message="boom")

    with pytest.raises(DeployFailedError, match="boom"):
        stack.deploy(template({"Events": {"kind": "sns"}}))

    state = destinations(fake)["events"]
    assert (state.sink_type, state.event_types) == ("CloudWatchLogsDestination", ["TEXT_ALL"])
    assert destination_ids(stack) == ["tenant-a|events|CloudWatchLogsDestination"]


def test_a_swap_that_fails_after_create_rolls_back_to_the_old_sink(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({"Events": {"kind": "sns"}}))
    # The new destination is created, then disabling it fails: is_complete fails with the new id.
    fake.fail("ValidationException", operation="UpdateEventDestination", count=1, message="boom")

    with pytest.raises(DeployFailedError, match="boom"):
        stack.deploy(template({"Events": {"kind": "logs", "enabled": False}}))

    state = destinations(fake)["events"]
    assert (state.sink_type, state.enabled) == ("SnsDestination", True)
    assert destination_ids(stack) == ["tenant-a|events|SnsDestination"]


def test_renaming_a_destination_creates_the_new_one_and_deletes_the_old(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({"Events": {"name": "events"}}))
    stack.deploy(template({"Events": {"name": "events-v2"}}))
    assert set(destinations(fake)) == {"events-v2"}
    assert destination_ids(stack) == ["tenant-a|events-v2|CloudWatchLogsDestination"]


def test_renaming_one_of_five_destinations_fails_on_the_quota_and_keeps_all_five(
    fake: FakeSmsVoice,
) -> None:
    # A rename is a replacement: the new destination is created before the old one is deleted, so a
    # full set would need a sixth. The README says to rename in two deploys instead.
    stack = Stack()
    five = {f"D{i}": {"name": f"d{i}", "variant": str(i)} for i in range(5)}
    stack.deploy(template(five))

    with pytest.raises(DeployFailedError, match="EVENT_DESTINATIONS_PER_CONFIGURATION_SET"):
        stack.deploy(template({**five, "D0": {"name": "d0-v2", "variant": "0"}}))

    assert set(destinations(fake)) == {"d0", "d1", "d2", "d3", "d4"}
    assert count(fake, "DeleteEventDestination") == 0


def test_a_set_rename_rolled_back_after_a_destination_moved_adopts_the_one_still_in_the_old_set(
    fake: FakeSmsVoice, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = {"Alerts": {"kind": "sns"}, "Logs": {}}
    stack = Stack()
    stack.deploy(template(specs))
    real_create = fake.CreateEventDestination
    creates: list[str] = []

    def second_create_fails(p: dict[str, Any]) -> dict[str, Any]:
        creates.append(p["EventDestinationName"])
        if len(creates) == 2:
            raise aws_validation("second destination failed")
        return real_create(p)

    monkeypatch.setattr(fake, "CreateEventDestination", second_create_fails)

    with pytest.raises(DeployFailedError, match="second destination failed"):
        stack.deploy(template(specs, set_name="tenant-a-v2"))

    assert list(fake.configuration_sets) == ["tenant-a"]
    assert set(destinations(fake)) == {"alerts", "logs"}
    assert destination_ids(stack) == [
        "tenant-a|alerts|SnsDestination",
        "tenant-a|logs|CloudWatchLogsDestination",
    ]


def aws_validation(message: str) -> Exception:
    from tests.fakes.service import validation

    return validation("INVALID_PARAMETER", message)


def test_iam_propagation_is_retried_then_succeeds(fake: FakeSmsVoice, sleeps: list[float]) -> None:
    spec = template({"Logs": {}})
    role_arn = destination_role_arn(spec)
    fake.propagating_roles[role_arn] = 3

    Stack().deploy(spec)

    assert destinations(fake)["logs"].sink["IamRoleArn"] == role_arn
    assert count(fake, "CreateEventDestination") == 4
    assert len(sleeps) >= 3


def test_iam_propagation_gives_up_after_about_two_minutes_with_the_reason(
    fake: FakeSmsVoice, sleeps: list[float]
) -> None:
    spec = template({"Logs": {}})
    fake.propagating_roles[destination_role_arn(spec)] = 10**6

    stack = Stack()
    stack.deploy(template({}))
    mark = len(sleeps)

    with pytest.raises(DeployFailedError, match=r"RESOURCE_NOT_ACCESSIBLE.*Could not assume IAM role"):
        stack.deploy(spec)

    # The waits stop at the two minutes (the last one is cut short to end there); past them only the
    # client-side rate's spacing of the attempts, a few seconds at most.
    assert aws.IAM_PROPAGATION_SECONDS <= round(sum(sleeps[mark:]), 6) <= aws.IAM_PROPAGATION_SECONDS + 15
    assert destinations(fake) == {}


def test_other_validation_errors_are_not_retried(fake: FakeSmsVoice, sleeps: list[float]) -> None:
    fake.fail("ValidationException", operation="CreateEventDestination", count=1, message="bad input")
    with pytest.raises(DeployFailedError, match="bad input"):
        Stack().deploy(template({"Logs": {}}))
    assert count(fake, "CreateEventDestination") == 1


def test_the_same_create_request_twice_makes_one_destination(fake: FakeSmsVoice) -> None:
    stack = Stack()
    spec = template({"Logs": {}})
    stack.deploy(template({}))  # the set
    lid = next(lid for lid, r in spec["Resources"].items() if r["Type"] == TYPE)
    event = stack.event("Create", lid, TYPE, stack.resolve_properties(spec, lid), request_id="same")

    first, second = stack.send(event), stack.send(event)

    assert (
        first["PhysicalResourceId"]
        == second["PhysicalResourceId"]
        == "tenant-a|logs|CloudWatchLogsDestination"
    )
    assert list(destinations(fake)) == ["logs"]
    assert count(fake, "CreateEventDestination") == 2  # the second was a replay


def test_a_sixth_destination_fails_with_the_services_quota_reason(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({}))
    for i in range(5):
        fake.configuration_set("tenant-a").destinations[f"other{i}"] = _console_destination(f"other{i}")

    with pytest.raises(DeployFailedError, match="EVENT_DESTINATIONS_PER_CONFIGURATION_SET"):
        stack.deploy(template({"Logs": {}}))


def test_a_name_taken_in_the_set_fails_with_the_services_reason(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({}))
    fake.configuration_set("tenant-a").destinations["logs"] = _console_destination("logs")

    with pytest.raises(DeployFailedError, match=r"ConflictException \(RESOURCE_ALREADY_EXISTS\)"):
        stack.deploy(template({"Logs": {}}))
    assert destinations(fake)["logs"].sink_type == "SnsDestination"  # someone else's, untouched


def test_delete_after_the_set_is_gone_succeeds(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({"Logs": {}}))
    del fake.configuration_sets["tenant-a"]
    stack.destroy()
    assert count(fake, "DeleteEventDestination") == 0


def test_delete_of_a_destination_that_is_already_gone_succeeds(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(template({"Logs": {}}))
    destinations(fake).clear()
    stack.destroy()
    assert fake.configuration_sets == {}


@pytest.mark.parametrize(
    "physical_id",
    [
        CREATE_FAILED_MARKER,
        "6f9c1a2e-9b1d-4d7e-8b8a-1c2d3e4f5a6b",
        "",
        "tenant-a|logs",
        "tenant-a|logs|Bogus",
    ],
)
def test_delete_of_an_id_this_handler_never_returned_touches_nothing(
    fake: FakeSmsVoice, physical_id: str
) -> None:
    fake.CreateConfigurationSet({"ConfigurationSetName": "tenant-a"})
    fake.configuration_set("tenant-a").destinations["logs"] = _console_destination("logs")
    props = {
        "ConfigurationSetName": "tenant-a",
        "EventDestinationName": "logs",
        "MatchingEventTypes": ["ALL"],
    }

    response = Stack().send(Stack().event("Delete", "Logs", TYPE, props, physical_id=physical_id))

    assert response["PhysicalResourceId"] == physical_id
    assert list(destinations(fake)) == ["logs"]
    assert fake.mutating_calls() == []


def test_a_request_without_exactly_one_sink_fails_before_any_call(fake: FakeSmsVoice) -> None:
    props = {
        "ConfigurationSetName": "tenant-a",
        "EventDestinationName": "logs",
        "MatchingEventTypes": ["ALL"],
        "SnsDestination": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:a"},
        "CloudWatchLogsDestination": {"IamRoleArn": "arn:aws:iam::1:role/a", "LogGroupArn": "arn:aws:logs:x"},
    }
    with pytest.raises(DeployFailedError, match="exactly one of"):
        Stack().send(Stack().event("Create", "Logs", TYPE, props))
    assert fake.calls == []


def _console_destination(name: str) -> Any:
    from tests.fakes.configuration_sets import EventDestinationState

    return EventDestinationState(
        name, ["ALL"], "SnsDestination", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:other"}
    )
