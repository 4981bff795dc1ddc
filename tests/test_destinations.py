"""The destinations' least-privilege wiring: trust, permissions, topic and key policies, refusals."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Annotations, Match, Template

from smsvoice_cdk import (
    CloudWatchLogsDestination,
    ConfigurationSet,
    EventType,
    FirehoseDestination,
    SmsVoiceValidationError,
    SnsDestination,
)
from tests.lint import cfn_lint_errors
from tests.synth import build, new_stack, template_of

DESTINATION_TYPE = "Custom::SmsVoiceEventDestination"
SET_TYPE = "Custom::SmsVoiceConfigurationSet"
ACCOUNT = "123456789012"


def only(template: Template, resource_type: str, **props: Any) -> str:
    found = template.find_resources(resource_type, {"Properties": props} if props else None)
    assert len(found) == 1, f"expected one {resource_type} matching {props}, found {sorted(found)}"
    return next(iter(found))


@pytest.fixture(scope="module")
def wired() -> dict[str, Any]:
    """A set with one destination of each kind, on a log group, a stream and a KMS-encrypted topic."""

    def body(stack: cdk.Stack) -> None:
        config_set = ConfigurationSet(stack, "Config", configuration_set_name="tenant-a")
        log_group = logs.LogGroup(stack, "EventLog", retention=logs.RetentionDays.THREE_MONTHS)
        stream = firehose.DeliveryStream(
            stack, "Stream", destination=firehose.S3Bucket(s3.Bucket(stack, "Archive", enforce_ssl=True))
        )
        topic = sns.Topic(stack, "Alerts", master_key=kms.Key(stack, "AlertsKey", enable_key_rotation=True))
        config_set.add_event_destination(
            "Logs",
            CloudWatchLogsDestination(log_group),
            events=[EventType.ALL],
            event_destination_name="logs",
        )
        config_set.add_event_destination(
            "Archive",
            FirehoseDestination(stream),
            events=[EventType.TEXT_ALL],
            event_destination_name="archive",
        )
        config_set.add_event_destination(
            "Alerts", SnsDestination(topic), events=[EventType.TEXT_BLOCKED], event_destination_name="alerts"
        )

    return build(body)


@pytest.fixture(scope="module")
def template(wired: dict[str, Any]) -> Template:
    return Template.from_json(wired)


@pytest.fixture(scope="module")
def set_arn(template: Template) -> dict[str, Any]:
    return {"Fn::GetAtt": [only(template, SET_TYPE), "ConfigurationSetArn"]}


def source_conditions(set_arn: dict[str, Any]) -> dict[str, Any]:
    return {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": set_arn}}


def trust_policy(set_arn: dict[str, Any]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Action": "sts:AssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": "sms-voice.amazonaws.com"},
                "Condition": source_conditions(set_arn),
            }
        ],
    }


def role_for(template: Template, construct_id: str) -> str:
    roles = template.find_resources("AWS::IAM::Role", {"Properties": {"Path": "/smsvoice-cdk/"}})
    (role,) = [lid for lid in roles if lid.startswith(f"Config{construct_id}Role")]
    return role


@pytest.mark.parametrize("construct_id", ["Logs", "Archive"])
def test_each_role_is_trusted_only_by_the_service_for_this_set(
    template: Template, set_arn: dict[str, Any], construct_id: str
) -> None:
    role = role_for(template, construct_id)
    props = template.to_json()["Resources"][role]["Properties"]
    assert props["AssumeRolePolicyDocument"] == trust_policy(set_arn)
    assert props["Path"] == "/smsvoice-cdk/"  # the only roles the handler may pass
    assert "ManagedPolicyArns" not in props


def role_policy(template: Template, role_id: str) -> list[dict[str, Any]]:
    """The statements of the role's one inline policy: a role made for a destination carries them."""
    (policy,) = template.to_json()["Resources"][role_id]["Properties"]["Policies"]
    return policy["PolicyDocument"]["Statement"]  # type: ignore[no-any-return]


def test_the_logs_role_may_write_to_that_log_group_alone(template: Template) -> None:
    log_group = only(template, "AWS::Logs::LogGroup", RetentionInDays=90)
    assert role_policy(template, role_for(template, "Logs")) == [
        {
            "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [log_group, "Arn"]},
        }
    ]


def test_the_firehose_role_may_put_into_that_stream_alone(template: Template) -> None:
    stream = only(template, "AWS::KinesisFirehose::DeliveryStream")
    assert role_policy(template, role_for(template, "Archive")) == [
        {
            "Action": ["firehose:PutRecord", "firehose:PutRecordBatch"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [stream, "Arn"]},
        }
    ]


def test_the_topic_policy_lets_the_service_publish_for_this_set_only(
    template: Template, set_arn: dict[str, Any]
) -> None:
    topic = only(template, "AWS::SNS::Topic")
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": "sns:Publish",
                        "Effect": "Allow",
                        "Principal": {"Service": "sms-voice.amazonaws.com"},
                        "Resource": {"Ref": topic},
                        "Condition": source_conditions(set_arn),
                        "Sid": Match.any_value(),
                    }
                ],
                "Version": "2012-10-17",
            },
            "Topics": [{"Ref": topic}],
        },
    )


def test_the_topics_customer_managed_key_lets_the_service_use_it(template: Template) -> None:
    template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        {
                            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                            "Effect": "Allow",
                            "Principal": {"Service": "sms-voice.amazonaws.com"},
                            "Resource": "*",
                        }
                    ]
                )
            },
            "EnableKeyRotation": True,
        },
    )


def test_each_destination_waits_for_its_permissions(template: Template) -> None:
    resources = template.to_json()["Resources"]
    by_name = {
        r["Properties"]["EventDestinationName"]: r
        for r in resources.values()
        if r["Type"] == DESTINATION_TYPE
    }
    # A role's permission is inline: the destination references the role, so it comes after it.
    for name, role in (("logs", "Logs"), ("archive", "Archive")):
        sink = next(v for k, v in by_name[name]["Properties"].items() if k.endswith("Destination"))
        assert sink["IamRoleArn"] == {"Fn::GetAtt": [role_for(template, role), "Arn"]}
        assert "DependsOn" not in by_name[name]
    # The topic policy is a separate resource the destination does not reference: it waits for it.
    assert by_name["alerts"]["DependsOn"] == [only(template, "AWS::SNS::TopicPolicy")]


def test_each_sink_is_rendered_as_the_api_names_it(template: Template) -> None:
    log_group = only(template, "AWS::Logs::LogGroup", RetentionInDays=90)
    template.has_resource_properties(
        DESTINATION_TYPE,
        {
            "EventDestinationName": "logs",
            "CloudWatchLogsDestination": {
                "IamRoleArn": {"Fn::GetAtt": [role_for(template, "Logs"), "Arn"]},
                # The log group's own ARN, without the ":*" that the permission needs.
                "LogGroupArn": {
                    "Fn::Join": [
                        "",
                        [
                            "arn:",
                            {"Ref": "AWS::Partition"},
                            ":logs:us-east-1:123456789012:log-group:",
                            {"Ref": log_group},
                        ],
                    ]
                },
            },
        },
    )
    template.has_resource_properties(
        DESTINATION_TYPE,
        {
            "EventDestinationName": "archive",
            "KinesisFirehoseDestination": {
                "IamRoleArn": {"Fn::GetAtt": [role_for(template, "Archive"), "Arn"]},
                "DeliveryStreamArn": {
                    "Fn::GetAtt": [only(template, "AWS::KinesisFirehose::DeliveryStream"), "Arn"]
                },
            },
        },
    )


def test_nothing_grants_the_service_more_than_the_sinks(wired: dict[str, Any]) -> None:
    """Every statement naming sms-voice.amazonaws.com is one of the four shapes above."""
    statements = [
        statement
        for resource in wired["Resources"].values()
        for document in (
            resource.get("Properties", {}).get("PolicyDocument"),
            resource.get("Properties", {}).get("KeyPolicy"),
            resource.get("Properties", {}).get("AssumeRolePolicyDocument"),
        )
        if document
        for statement in document["Statement"]
        if statement.get("Principal") == {"Service": "sms-voice.amazonaws.com"}
    ]
    actions = sorted(str(s["Action"]) for s in statements)
    assert actions == [
        "['kms:GenerateDataKey', 'kms:Decrypt']",
        "sns:Publish",
        "sts:AssumeRole",
        "sts:AssumeRole",
    ]


def test_the_template_matches_the_snapshot(wired: dict[str, Any], snapshot_json: Any) -> None:
    assert wired == snapshot_json


def test_the_template_is_cfn_lint_clean(wired: dict[str, Any]) -> None:
    assert cfn_lint_errors(wired) == []


# --- what is refused, and what cannot be wired from here -----------------------------------------------
def add_sns(stack: cdk.Stack, topic: sns.ITopic) -> None:
    ConfigurationSet(stack, "Config").add_event_destination(
        "Alerts", SnsDestination(topic), events=[EventType.ALL]
    )


def test_a_fifo_topic_is_refused_with_the_reason() -> None:
    with pytest.raises(
        SmsVoiceValidationError, match=r"TestStack/Config/Alerts: invalid destination .*FIFO topic"
    ):
        build(lambda stack: add_sns(stack, sns.Topic(stack, "Topic", fifo=True, topic_name="events")))


def test_an_imported_fifo_topic_is_refused_too() -> None:
    arn = "arn:aws:sns:us-east-1:123456789012:events.fifo"
    with pytest.raises(SmsVoiceValidationError, match="FIFO topic"):
        build(lambda stack: add_sns(stack, sns.Topic.from_topic_arn(stack, "Topic", arn)))


def test_a_topic_on_the_aws_managed_key_is_refused_with_the_reason() -> None:
    def body(stack: cdk.Stack) -> None:
        key = kms.Alias.from_alias_name(stack, "AwsSns", "alias/aws/sns")
        add_sns(stack, sns.Topic(stack, "Topic", master_key=key))

    with pytest.raises(
        SmsVoiceValidationError,
        match=r"invalid destination 'alias/aws/sns': .*AWS-managed key .*customer-managed",
    ):
        build(body)


def test_an_imported_topic_and_key_get_a_warning_instead_of_a_policy() -> None:
    stack = new_stack()
    key = kms.Key.from_key_arn(stack, "Key", "arn:aws:kms:us-east-1:123456789012:key/1234abcd")
    topic = sns.Topic.from_topic_attributes(
        stack, "Topic", topic_arn="arn:aws:sns:us-east-1:123456789012:events", key_arn=key.key_arn
    )
    add_sns(stack, topic)
    template = Template.from_json(template_of(stack))
    template.resource_count_is("AWS::SNS::TopicPolicy", 0)
    annotations = Annotations.from_stack(stack)
    annotations.has_warning("/TestStack/Config/Alerts", Match.string_like_regexp("topic is imported"))
    annotations.has_warning("/TestStack/Config/Alerts", Match.string_like_regexp("KMS key is imported"))


def test_a_given_role_gets_the_permissions_and_no_role_is_made() -> None:
    def body(stack: cdk.Stack) -> None:
        role = iam.Role(
            stack,
            "MyRole",
            path="/smsvoice-cdk/",
            assumed_by=iam.ServicePrincipal("sms-voice.amazonaws.com"),
        )
        ConfigurationSet(stack, "Config").add_event_destination(
            "Logs",
            CloudWatchLogsDestination(logs.LogGroup(stack, "EventLog"), role=role),
            events=[EventType.ALL],
        )

    template = Template.from_json(build(body))
    service_roles = template.find_resources("AWS::IAM::Role", {"Properties": {"Path": "/smsvoice-cdk/"}})
    assert [lid for lid in service_roles if not lid.startswith("MyRole")] == []
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [Match.object_like({"Action": Match.array_with(["logs:PutLogEvents"])})]
            },
            "Roles": [{"Ref": Match.string_like_regexp("^MyRole")}],
        },
    )


def test_an_unencrypted_topic_needs_no_key_statement() -> None:
    template = Template.from_json(build(lambda stack: add_sns(stack, sns.Topic(stack, "Topic"))))
    template.resource_count_is("AWS::KMS::Key", 0)
    template.resource_count_is("AWS::SNS::TopicPolicy", 1)
