"""IAM of the example app, read from the synthesized policies: least privilege, and nothing else."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from smsvoice_cdk.custom_resources.contract import MANAGED_TAG_KEY, MANAGED_TAG_VALUE
from tests.cloudformation import Stack
from tests.fakes import FakeSmsVoice
from tests.test_app import PROVIDER_STACK, TENANT_STACKS

# Create actions of the API without resource-level permissions (Service Authorization Reference).
CREATES_WITHOUT_RESOURCES = {
    "sms-voice:CreateConfigurationSet", "sms-voice:CreateOptOutList", "sms-voice:CreatePool",
    "sms-voice:RequestPhoneNumber", "sms-voice:RequestSenderId",
}  # fmt: skip
SOURCE_CONDITION_KEYS = {"aws:SourceAccount", "aws:SourceArn"}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every statement of every identity policy, role trust policy, topic policy and key policy."""
    for logical_id, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        for key in ("PolicyDocument", "AssumeRolePolicyDocument", "KeyPolicy"):
            if key in props:
                for statement in props[key]["Statement"]:
                    yield f"{logical_id}.{key}", statement
        for policy in props.get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                yield f"{logical_id}.Policies", statement


def all_statements(templates: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{name}/{where}", s) for name, t in templates.items() for where, s in statements(t)]


def test_no_action_wildcard_on_sms_voice(templates: dict[str, dict[str, Any]]) -> None:
    for where, statement in all_statements(templates):
        for action in as_list(statement.get("Action", [])):
            if action.startswith("sms-voice:") or action == "*":
                assert "*" not in action, f"{where}: {action}"


def test_resource_star_only_for_tagged_creates(templates: dict[str, dict[str, Any]]) -> None:
    handler = [s for w, s in all_statements({PROVIDER_STACK: templates[PROVIDER_STACK]})
               if any(a.startswith("sms-voice:") for a in as_list(s.get("Action", [])))]  # fmt: skip
    assert handler
    for statement in handler:
        if statement["Resource"] == "*":
            assert set(as_list(statement["Action"])) <= CREATES_WITHOUT_RESOURCES, statement
            condition = statement["Condition"]["StringEquals"]
            assert condition == {f"aws:RequestTag/{MANAGED_TAG_KEY}": MANAGED_TAG_VALUE}
        else:
            for arn in as_list(statement["Resource"]):
                assert ":sms-voice:us-east-1:123456789012:" in json.dumps(arn), statement


def test_pass_role_only_to_the_service(templates: dict[str, dict[str, Any]]) -> None:
    passes = [s for _, s in all_statements(templates) if "iam:PassRole" in as_list(s.get("Action", []))]
    assert passes
    for statement in passes:
        assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "sms-voice.amazonaws.com"}}
        assert statement["Resource"] != "*"


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_every_grant_to_the_service_is_for_this_account_and_configuration_set(
    templates: dict[str, dict[str, Any]],
    stack: str,
) -> None:
    trusted = [
        (where, s) for where, s in statements(templates[stack])
        if "sms-voice.amazonaws.com" in json.dumps(s.get("Principal", {})) and not where.endswith("KeyPolicy")
    ]  # fmt: skip
    kinds = {where.split(".")[1] for where, _ in trusted}
    has_topic = any(r["Type"] == "AWS::SNS::TopicPolicy" for r in templates[stack]["Resources"].values())
    has_role = any(r["Type"] == "AWS::IAM::Role" for r in templates[stack]["Resources"].values())
    assert ("PolicyDocument" in kinds) == has_topic and ("AssumeRolePolicyDocument" in kinds) == has_role
    for where, statement in trusted:
        conditions = {key for operator in statement["Condition"].values() for key in operator}
        assert conditions >= SOURCE_CONDITION_KEYS, where
        source_arn = json.dumps(statement["Condition"]["ArnLike"]["aws:SourceArn"])
        assert "ConfigurationSetArn" in source_arn, where


def test_the_handler_sends_the_managed_tag_on_every_create(
    templates: dict[str, dict[str, Any]],
    fake: FakeSmsVoice,
) -> None:
    """The condition above only works if every create carries the tag: deploy a tenant and look."""
    Stack(name="SmsVoice-acme").deploy(templates["SmsVoice-acme"])
    creates = [(op, params) for op, params in fake.calls if f"sms-voice:{op}" in CREATES_WITHOUT_RESOURCES]
    assert {op for op, _ in creates} == {
        "CreateOptOutList", "RequestPhoneNumber", "CreatePool", "CreateConfigurationSet",
    }  # fmt: skip
    for op, params in creates:
        assert {"Key": MANAGED_TAG_KEY, "Value": MANAGED_TAG_VALUE} in params["Tags"], op
