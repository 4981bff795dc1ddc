"""The per-tenant app: what `make synth` writes, asserted, snapshotted per stack and linted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from tests.cloudformation import Stack
from tests.fakes import FakeSmsVoice
from tests.lint import cfn_lint_errors

REPO = Path(__file__).resolve().parent.parent
TENANT_STACKS = ["SmsVoice-acme", "SmsVoice-globex", "SmsVoice-initech"]
PROVIDER_STACK = "SmsVoiceProvider-123456789012-us-east-1"
SSM_PARAMETER = "/smsvoice-cdk/provider/service-token"


def resources_of(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def test_one_provider_stack_and_one_stack_per_tenant(templates: dict[str, dict[str, Any]]) -> None:
    assert sorted(templates) == sorted([PROVIDER_STACK, *TENANT_STACKS])


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_tenant_stacks_hold_no_function_and_use_the_shared_provider_through_ssm(
    templates: dict[str, dict[str, Any]], stack: str
) -> None:
    template = templates[stack]
    assert resources_of(template, "AWS::Lambda::Function") == []
    assert "Fn::ImportValue" not in json.dumps(template)
    (parameter,) = [p for p in template["Parameters"].values() if p["Type"].startswith("AWS::SSM")]
    assert parameter == {"Type": "AWS::SSM::Parameter::Value<String>", "Default": SSM_PARAMETER}
    tokens = {json.dumps(r["Properties"]["ServiceToken"]) for r in template["Resources"].values()
              if r["Type"].startswith("Custom::SmsVoice")}  # fmt: skip
    assert len(tokens) == 1 and '"Ref"' in tokens.pop()


def test_the_provider_publishes_its_token_and_bounds_its_concurrency(
    templates: dict[str, dict[str, Any]],
) -> None:
    template = Template.from_json(templates[PROVIDER_STACK])
    template.has_resource_properties(
        "AWS::SSM::Parameter",
        {"Name": SSM_PARAMETER, "Type": "String", "Value": {"Fn::GetAtt": Match.any_value()}},
    )
    functions = resources_of(templates[PROVIDER_STACK], "AWS::Lambda::Function")
    reserved = {
        f["Properties"]["Handler"]: f["Properties"].get("ReservedConcurrentExecutions") for f in functions
    }
    # The functions CloudFormation and the waiter invoke (both retry when throttled) are bounded.
    assert reserved["framework.onEvent"] == reserved["framework.isComplete"] == 4


@pytest.mark.parametrize("tenant", ["acme", "globex", "initech"])
def test_names_and_tags_carry_the_tenant_and_nothing_is_shared(
    templates: dict[str, dict[str, Any]], tenant: str
) -> None:
    template = templates[f"SmsVoice-{tenant}"]
    text = json.dumps(template)
    assert not any(other in text for other in {"acme", "globex", "initech"} - {tenant})
    Template.from_json(template).has_resource_properties(
        "Custom::SmsVoiceOptOutList", {"OptOutListName": f"{tenant}-opt-outs"}
    )
    Template.from_json(template).has_resource_properties(
        "Custom::SmsVoiceConfigurationSet", {"ConfigurationSetName": f"{tenant}-events"}
    )
    for destination in resources_of(template, "Custom::SmsVoiceEventDestination"):
        assert destination["Properties"]["EventDestinationName"].startswith(f"{tenant}-")
    for resource in template["Resources"].values():
        if resource["Type"].startswith("Custom::SmsVoice") and "Tags" in resource["Properties"]:
            assert {"Key": "smsvoice-cdk:tenant", "Value": tenant} in resource["Properties"]["Tags"]


def test_acme_sends_from_a_simulator_pool_with_its_opt_out_list(templates: dict[str, dict[str, Any]]) -> None:
    template = Template.from_json(templates["SmsVoice-acme"])
    template.has_resource(
        "Custom::SmsVoicePhoneNumber",
        {"DeletionPolicy": "Retain",
         "Properties": {"NumberType": "SIMULATOR", "IsoCountryCode": "US", "MessageType": "TRANSACTIONAL"}},
    )  # fmt: skip
    template.has_resource_properties(
        "Custom::SmsVoicePool",
        {"OptOutListName": {"Fn::GetAtt": [Match.string_like_regexp("OptOuts"), "OptOutListName"]}},
    )
    template.has_resource_properties(
        "Custom::SmsVoiceConfigurationSet", {"DefaultMessageType": "TRANSACTIONAL", "DefaultSenderId": "ACME"}
    )


def test_acme_routes_events_to_all_three_destinations_safely(templates: dict[str, dict[str, Any]]) -> None:
    template = templates["SmsVoice-acme"]
    sinks = sorted(
        key for d in resources_of(template, "Custom::SmsVoiceEventDestination") for key in d["Properties"]
        if key.endswith("Destination")
    )  # fmt: skip
    assert sinks == ["CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination"]
    assertions = Template.from_json(template)
    assertions.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 365})
    assertions.has_resource_properties(
        "AWS::S3::Bucket",
        {"BucketEncryption": Match.object_like({}),
         "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                            "IgnorePublicAcls": True, "RestrictPublicBuckets": True}},
    )  # fmt: skip
    assertions.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    assertions.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})


@pytest.mark.parametrize("stack", [PROVIDER_STACK, *TENANT_STACKS])
def test_snapshot(templates: dict[str, dict[str, Any]], stack: str, snapshot_json: Any) -> None:
    """One snapshot per stack: a one-property change shows as a few changed lines in review."""
    assert templates[stack] == snapshot_json


@pytest.mark.parametrize("stack", [PROVIDER_STACK, *TENANT_STACKS])
def test_cfn_lint_finds_no_errors(templates: dict[str, dict[str, Any]], stack: str) -> None:
    assert cfn_lint_errors(templates[stack]) == []


def test_acme_deploys_and_destroys_against_the_fake(
    templates: dict[str, dict[str, Any]], fake: FakeSmsVoice
) -> None:
    stack = Stack(name="SmsVoice-acme")
    stack.deploy(templates["SmsVoice-acme"])
    ((pool_id, pool),) = fake.pools.items()
    (number,) = fake.phone_numbers.values()
    assert number.pool_id == pool_id and pool.opt_out_list == "acme-opt-outs"
    assert fake.opt_out_list("acme-opt-outs").numbers == {"+12065550100": False}
    assert len(fake.configuration_sets["acme-events"].destinations) == 3

    stack.destroy()

    # The pool and the set go; the number and the consent records are retained.
    assert pool_id not in fake.pools or fake.pools[pool_id].status == "DELETING"
    assert "acme-events" not in fake.configuration_sets
    assert list(fake.phone_numbers) == [number.id] and "acme-opt-outs" in fake.opt_out_lists
