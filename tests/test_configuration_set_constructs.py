"""ConfigurationSet and EventDestination at synth time: validation, grants, imports, the template."""

from __future__ import annotations

import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from smsvoice_cdk import (
    ConfigurationSet,
    EventDestination,
    EventType,
    IConfigurationSet,
    MessageType,
    SmsVoiceValidationError,
    SnsDestination,
)
from tests.lint import cfn_lint_errors
from tests.synth import build, new_stack, template_of

SET_TYPE = "Custom::SmsVoiceConfigurationSet"
DESTINATION_TYPE = "Custom::SmsVoiceEventDestination"


def set_with_destinations(stack: cdk.Stack, names: list[str | None], **set_props: Any) -> ConfigurationSet:
    config_set = ConfigurationSet(stack, "Config", configuration_set_name="tenant-a", **set_props)
    topic = sns.Topic(stack, "Topic")
    for i, name in enumerate(names):
        config_set.add_event_destination(
            f"Dest{i}", SnsDestination(topic), events=[EventType.ALL], event_destination_name=name
        )
    return config_set


# --- validation: each a clear error naming the property, the value and what is allowed ------------------
@pytest.mark.parametrize("name", ["", "has space", "dots.not.allowed", "x" * 65, "arn:aws:sms-voice:x"])
def test_a_set_name_outside_the_pattern_is_refused(name: str) -> None:
    with pytest.raises(
        SmsVoiceValidationError, match=r"TestStack/Config: invalid configuration_set_name"
    ) as err:
        build(lambda stack: ConfigurationSet(stack, "Config", configuration_set_name=name))
    assert err.value.value == name
    assert "1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'" in str(err.value)


@pytest.mark.parametrize("sender_id", ["", "TWELVE_CHARS", "has space", "ACME!"])
def test_a_default_sender_id_outside_the_pattern_is_refused(sender_id: str) -> None:
    with pytest.raises(SmsVoiceValidationError, match=r"invalid default_sender_id") as err:
        build(lambda stack: ConfigurationSet(stack, "Config", default_sender_id=sender_id))
    assert "1 to 11 characters" in str(err.value)


def test_an_unknown_default_message_type_is_refused() -> None:
    with pytest.raises(SmsVoiceValidationError, match=r"invalid default_message_type 'BULK': must be one of"):
        build(lambda stack: ConfigurationSet(stack, "Config", default_message_type="BULK"))


@pytest.mark.parametrize("name", ["", "has space", "x" * 65, "a|b"])
def test_a_destination_name_outside_the_pattern_is_refused(name: str) -> None:
    with pytest.raises(
        SmsVoiceValidationError, match=r"TestStack/Config/Dest0: invalid event_destination_name"
    ):
        build(lambda stack: set_with_destinations(stack, [name]))


def test_an_unknown_event_type_is_refused() -> None:
    def body(stack: cdk.Stack) -> None:
        config_set = ConfigurationSet(stack, "Config")
        config_set.add_event_destination(
            "Alerts", SnsDestination(sns.Topic(stack, "Topic")), events=[EventType.TEXT_ALL, "TEXT_EXPLODED"]
        )

    with pytest.raises(SmsVoiceValidationError, match=r"invalid events 'TEXT_EXPLODED': must be one of"):
        build(body)


def test_no_event_types_is_refused() -> None:
    def body(stack: cdk.Stack) -> None:
        ConfigurationSet(stack, "Config").add_event_destination(
            "Alerts", SnsDestination(sns.Topic(stack, "Topic")), events=[]
        )

    with pytest.raises(
        SmsVoiceValidationError, match=r"TestStack/Config/Alerts: invalid events \[\]: name at least"
    ):
        build(body)


def test_text_sent_is_refused_because_the_api_rejects_it() -> None:
    def body(stack: cdk.Stack) -> None:
        ConfigurationSet(stack, "Config").add_event_destination(
            "Alerts", SnsDestination(sns.Topic(stack, "Topic")), events=[EventType.TEXT_SENT]
        )

    with pytest.raises(SmsVoiceValidationError, match=r"invalid events 'TEXT_SENT': the API does not accept"):
        build(body)


def test_a_repeated_event_type_is_refused() -> None:
    def body(stack: cdk.Stack) -> None:
        ConfigurationSet(stack, "Config").add_event_destination(
            "Alerts", SnsDestination(sns.Topic(stack, "Topic")), events=[EventType.ALL, "ALL"]
        )

    with pytest.raises(SmsVoiceValidationError, match=r"invalid events \['ALL'\]: each event type"):
        build(body)


def test_five_destinations_are_fine_and_a_sixth_is_refused() -> None:
    template = build(lambda stack: set_with_destinations(stack, [f"d{i}" for i in range(5)]))
    Template.from_json(template).resource_count_is(DESTINATION_TYPE, 5)

    with pytest.raises(
        Exception, match=r"TestStack/Config: invalid event destinations .*at most 5 event destinations"
    ):
        build(lambda stack: set_with_destinations(stack, [f"d{i}" for i in range(6)]))


def test_a_destination_made_in_another_scope_counts_towards_the_limit() -> None:
    def body(stack: cdk.Stack) -> None:
        config_set = set_with_destinations(stack, [f"d{i}" for i in range(5)])
        EventDestination(
            stack,
            "Elsewhere",
            configuration_set=config_set,
            destination=SnsDestination(sns.Topic(stack, "Other")),
            events=[EventType.ALL],
        )

    with pytest.raises(Exception, match=r"at most 5 event destinations"):
        build(body)


def test_two_destinations_of_one_set_with_the_same_name_are_refused() -> None:
    with pytest.raises(
        Exception,
        match=r"TestStack/Config/Dest1: invalid event_destination_name 'events': .*unique within a set; "
        r"TestStack/Config/Dest0 has it too",
    ):
        build(lambda stack: set_with_destinations(stack, ["events", "events"]))


def test_the_same_destination_name_in_two_sets_is_fine() -> None:
    def body(stack: cdk.Stack) -> None:
        topic = sns.Topic(stack, "Topic")
        for set_id in ("A", "B"):
            ConfigurationSet(stack, set_id).add_event_destination(
                "Events", SnsDestination(topic), events=[EventType.ALL], event_destination_name="events"
            )

    Template.from_json(build(body)).resource_count_is(DESTINATION_TYPE, 2)


def test_unresolved_tokens_are_not_validated_at_synth() -> None:
    def body(stack: cdk.Stack) -> None:
        name = cdk.CfnParameter(stack, "SetName").value_as_string
        sender = cdk.CfnParameter(stack, "Sender").value_as_string
        message_type = cdk.CfnParameter(stack, "MessageType").value_as_string
        ConfigurationSet(
            stack,
            "Config",
            configuration_set_name=name,
            default_sender_id=sender,
            default_message_type=message_type,
        )

    Template.from_json(build(body)).has_resource_properties(
        SET_TYPE, {"ConfigurationSetName": {"Ref": "SetName"}, "DefaultSenderId": {"Ref": "Sender"}}
    )


# --- the template ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def full_template() -> dict[str, Any]:
    def body(stack: cdk.Stack) -> None:
        config_set = set_with_destinations(
            stack,
            ["alerts"],
            default_message_type=MessageType.TRANSACTIONAL,
            default_sender_id="ACME",
            message_feedback=True,
            tags={"team": "a"},
        )
        cdk.Tags.of(stack).add("tenant", "a")
        sender = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        config_set.grant_send_text_message(sender)
        config_set.grant_send_voice_message(sender)
        config_set.grant_send_media_message(sender)

    return build(body)


def test_the_set_carries_its_defaults_and_tags(full_template: dict[str, Any]) -> None:
    Template.from_json(full_template).has_resource_properties(
        SET_TYPE,
        {
            "ConfigurationSetName": "tenant-a",
            "DefaultMessageType": "TRANSACTIONAL",
            "DefaultSenderId": "ACME",
            "DefaultMessageFeedbackEnabled": True,
            "Tags": Match.array_with([{"Key": "team", "Value": "a"}, {"Key": "tenant", "Value": "a"}]),
        },
    )


def test_the_set_is_deleted_with_the_stack_by_default(full_template: dict[str, Any]) -> None:
    (resource,) = Template.from_json(full_template).find_resources(SET_TYPE).values()
    assert (
        "DeletionPolicy" not in resource and "UpdateReplacePolicy" not in resource
    )  # CloudFormation deletes


def test_a_destination_names_its_set_by_name_and_waits_for_the_topic_policy(
    full_template: dict[str, Any],
) -> None:
    template = Template.from_json(full_template)
    set_id = next(iter(template.find_resources(SET_TYPE)))
    policy_id = next(iter(template.find_resources("AWS::SNS::TopicPolicy")))
    template.has_resource(
        DESTINATION_TYPE,
        {
            "Properties": {
                "ConfigurationSetName": {"Fn::GetAtt": [set_id, "ConfigurationSetName"]},
                "EventDestinationName": "alerts",
                "MatchingEventTypes": ["ALL"],
                "Enabled": True,
                "SnsDestination": {"TopicArn": {"Ref": Match.string_like_regexp("^Topic")}},
            },
            "DependsOn": [policy_id],
        },
    )
    destination = next(iter(template.find_resources(DESTINATION_TYPE).values()))
    assert "Tags" not in destination["Properties"]  # event destinations have no tags in the API


@pytest.mark.parametrize(
    "action", ["sms-voice:SendTextMessage", "sms-voice:SendVoiceMessage", "sms-voice:SendMediaMessage"]
)
def test_grants_are_scoped_to_the_set(full_template: dict[str, Any], action: str) -> None:
    template = Template.from_json(full_template)
    set_id = next(iter(template.find_resources(SET_TYPE)))
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": action,
                                "Effect": "Allow",
                                "Resource": {"Fn::GetAtt": [set_id, "ConfigurationSetArn"]},
                            }
                        )
                    ]
                )
            },
            "Roles": [{"Ref": Match.string_like_regexp("^Sender")}],
        },
    )


def test_the_template_matches_the_snapshot(full_template: dict[str, Any], snapshot_json: Any) -> None:
    assert full_template == snapshot_json


def test_the_template_is_cfn_lint_clean(full_template: dict[str, Any]) -> None:
    assert cfn_lint_errors(full_template) == []


# --- imports -----------------------------------------------------------------------------------------
def test_import_by_name_builds_the_arn_and_a_destination_uses_the_name() -> None:
    stack = new_stack()
    imported = ConfigurationSet.from_configuration_set_name(stack, "Imported", "tenant-b")
    assert isinstance(imported, IConfigurationSet)
    assert imported.configuration_set_name == "tenant-b"
    imported.add_event_destination(
        "Alerts",
        SnsDestination(sns.Topic(stack, "Topic")),
        events=[EventType.ALL],
        event_destination_name="a",
    )
    template = Template.from_json(template_of(stack))
    template.has_resource_properties(DESTINATION_TYPE, {"ConfigurationSetName": "tenant-b"})
    template.resource_count_is(SET_TYPE, 0)
    resolved = stack.resolve(imported.configuration_set_arn)
    assert resolved == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":sms-voice:us-east-1:123456789012:configuration-set/tenant-b",
            ],
        ]
    }


def test_import_by_arn_splits_out_the_name() -> None:
    stack = new_stack()
    arn = "arn:aws:sms-voice:eu-west-1:210987654321:configuration-set/tenant-c"
    imported = ConfigurationSet.from_configuration_set_arn(stack, "Imported", arn)
    assert imported.configuration_set_name == "tenant-c"
    assert imported.configuration_set_arn == arn


def test_the_set_can_be_used_from_another_stack() -> None:
    app = cdk.App()
    set_stack, user_stack = new_stack("SetStack", app), new_stack("UserStack", app)
    config_set = ConfigurationSet(set_stack, "Config", configuration_set_name="tenant-a")
    EventDestination(
        user_stack,
        "Alerts",
        configuration_set=config_set,
        destination=SnsDestination(sns.Topic(user_stack, "Topic")),
        events=[EventType.TEXT_ALL],
        event_destination_name="alerts",
    )
    template = Template.from_json(template_of(user_stack))
    template.has_resource_properties(
        DESTINATION_TYPE, {"ConfigurationSetName": {"Fn::ImportValue": Match.string_like_regexp("SetStack")}}
    )


def test_the_generated_name_is_unique_to_the_path_and_fits_the_api() -> None:
    template = build(lambda stack: ConfigurationSet(stack, "Config"))
    (props,) = [r["Properties"] for r in template["Resources"].values() if r["Type"] == SET_TYPE]
    assert re.fullmatch(r"TestStack-Config-[A-F0-9]{8}", props["ConfigurationSetName"])
