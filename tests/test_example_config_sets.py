"""The example app's configuration set: all three destinations, each wired with least privilege."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from smsvoice_cdk.stacks.example import ExampleStack
from tests.lint import cfn_lint_errors
from tests.synth import ENV, template_of

DESTINATION_TYPE = "Custom::SmsVoiceEventDestination"


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    synthesizer = cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False)
    stack = ExampleStack(cdk.App(), "SmsVoiceExample", env=ENV, synthesizer=synthesizer)
    return template_of(stack)


def test_the_set_sends_transactional_by_default(example: dict[str, Any]) -> None:
    Template.from_json(example).has_resource_properties(
        "Custom::SmsVoiceConfigurationSet",
        {"ConfigurationSetName": "example-events", "DefaultMessageType": "TRANSACTIONAL"},
    )


def test_the_set_has_one_destination_of_each_kind(example: dict[str, Any]) -> None:
    destinations = [r["Properties"] for r in example["Resources"].values() if r["Type"] == DESTINATION_TYPE]
    sinks = sorted(
        key
        for props in destinations
        for key in ("CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination")
        if key in props
    )
    assert sinks == ["CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination"]


def test_the_event_log_has_a_retention(example: dict[str, Any]) -> None:
    Template.from_json(example).has_resource(
        "AWS::Logs::LogGroup", {"Properties": {"RetentionInDays": 90}, "DeletionPolicy": "Retain"}
    )


def test_the_archive_bucket_is_encrypted_and_private(example: dict[str, Any]) -> None:
    Template.from_json(example).has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
        },
    )


def test_the_alerts_topic_uses_a_rotated_customer_managed_key(example: dict[str, Any]) -> None:
    template = Template.from_json(example)
    key = next(iter(template.find_resources("AWS::KMS::Key", {"Properties": {"EnableKeyRotation": True}})))
    template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": {"Fn::GetAtt": [key, "Arn"]}})
    template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [Match.object_like({"Principal": {"Service": "sms-voice.amazonaws.com"}})]
                )
            }
        },
    )


def test_the_example_matches_the_snapshot(example: dict[str, Any], snapshot_json: Any) -> None:
    assert example == snapshot_json


def test_the_example_is_cfn_lint_clean(example: dict[str, Any]) -> None:
    assert cfn_lint_errors(example) == []
