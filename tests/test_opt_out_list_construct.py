"""OptOutList at synth time: properties, defaults, imports, tags, validation, snapshot."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from smsvoice_cdk import OptOutList, SmsVoiceProvider, SmsVoiceValidationError
from tests.synth import build, new_stack, template_of

TYPE = "Custom::SmsVoiceOptOutList"


@pytest.fixture(scope="module")
def seeded() -> dict[str, Any]:
    return build(
        lambda stack: OptOutList(
            stack,
            "OptOuts",
            opt_out_list_name="tenant-a",
            opted_out_numbers=["+12065550100"],
            tags={"team": "a"},
        )
    )


def test_properties_use_the_api_names(seeded: dict[str, Any]) -> None:
    Template.from_json(seeded).has_resource_properties(
        TYPE,
        {
            "OptOutListName": "tenant-a",
            "OptedOutNumbers": ["+12065550100"],
            "Tags": [{"Key": "team", "Value": "a"}],
            "ServiceToken": Match.any_value(),
        },
    )


def test_consent_records_are_retained_by_default(seeded: dict[str, Any]) -> None:
    Template.from_json(seeded).has_resource(
        TYPE, {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
    )


def test_snapshot(seeded: dict[str, Any], snapshot_json: Any) -> None:
    assert seeded == snapshot_json


def test_name_is_generated_unique_and_valid_when_absent() -> None:
    def body(stack: cdk.Stack) -> None:
        OptOutList(stack, "First")
        OptOutList(stack, "Second")

    names = [
        r["Properties"]["OptOutListName"] for r in build(body)["Resources"].values() if r["Type"] == TYPE
    ]
    assert len(set(names)) == 2
    assert all(len(n) <= 64 and n.replace("-", "").replace("_", "").isalnum() for n in names)


def test_removal_policy_destroy_is_honoured() -> None:
    template = build(lambda s: OptOutList(s, "OptOuts", removal_policy=cdk.RemovalPolicy.DESTROY))
    (resource,) = Template.from_json(template).find_resources(TYPE).values()
    assert (
        "DeletionPolicy" not in resource and "UpdateReplacePolicy" not in resource
    )  # CloudFormation deletes


def test_tags_of_scope_reach_the_list_merged_with_the_prop() -> None:
    stack = new_stack()
    OptOutList(stack, "OptOuts", tags={"team": "a"})
    cdk.Tags.of(stack).add("env", "prod")
    Template.from_stack(stack).has_resource_properties(
        TYPE, {"Tags": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "a"}]}
    )


def test_attributes_are_the_handlers_data() -> None:
    stack = new_stack()
    opt_outs = OptOutList(stack, "OptOuts")
    arn, name = stack.resolve(opt_outs.opt_out_list_arn), stack.resolve(opt_outs.opt_out_list_name)
    assert arn["Fn::GetAtt"][1] == "OptOutListArn"
    assert name["Fn::GetAtt"][1] == "OptOutListName"
    assert arn["Fn::GetAtt"][0] == name["Fn::GetAtt"][0]
    assert arn["Fn::GetAtt"][0].startswith("OptOuts")


def test_imports_by_name_and_arn() -> None:
    stack = new_stack()
    by_name = OptOutList.from_opt_out_list_name(stack, "ByName", "existing")
    assert by_name.opt_out_list_name == "existing"
    assert stack.resolve(by_name.opt_out_list_arn) == {
        "Fn::Join": [
            "",
            ["arn:", {"Ref": "AWS::Partition"}, ":sms-voice:us-east-1:123456789012:opt-out-list/existing"],
        ]
    }
    arn = "arn:aws:sms-voice:eu-west-1:111122223333:opt-out-list/theirs"
    by_arn = OptOutList.from_opt_out_list_arn(stack, "ByArn", arn)
    assert (by_arn.opt_out_list_name, by_arn.opt_out_list_arn) == ("theirs", arn)
    assert Template.from_stack(stack).to_json().get("Resources") is None


def test_one_provider_serves_every_list_of_a_stack() -> None:
    stack = new_stack()
    first, second = OptOutList(stack, "A"), OptOutList(stack, "B")
    template = template_of(stack)
    Template.from_json(template).resource_count_is("AWS::Lambda::Function", 5)  # 2 handlers + 3 framework
    tokens = {
        json_str(r["Properties"]["ServiceToken"]) for r in template["Resources"].values() if r["Type"] == TYPE
    }
    assert len(tokens) == 1
    assert SmsVoiceProvider.of(first) is SmsVoiceProvider.of(second)


def test_a_provider_from_another_stack_is_used_by_its_token() -> None:
    app = cdk.App()
    provider_stack = new_stack("Providers", app)
    provider = SmsVoiceProvider(provider_stack, "Provider")
    tenant = new_stack("Tenant", app)
    OptOutList(tenant, "OptOuts", provider=SmsVoiceProvider.from_service_token(tenant, "Shared", "arn:token"))
    template = template_of(tenant)
    Template.from_json(template).resource_count_is("AWS::Lambda::Function", 0)
    Template.from_json(template).has_resource_properties(TYPE, {"ServiceToken": "arn:token"})
    assert provider.service_token


def json_str(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@pytest.mark.parametrize(
    ("props", "prop", "shown"),
    [
        ({"opt_out_list_name": "has space"}, "opt_out_list_name", "'has space'"),
        ({"opt_out_list_name": "x" * 65}, "opt_out_list_name", "'" + "x" * 65 + "'"),
        ({"opt_out_list_name": ""}, "opt_out_list_name", "''"),
        ({"opt_out_list_name": "colon:name"}, "opt_out_list_name", "'colon:name'"),
        ({"opted_out_numbers": ["2065550100"]}, "opted_out_numbers", "'2065550100'"),
        ({"opted_out_numbers": ["+0206555010"]}, "opted_out_numbers", "'+0206555010'"),
        ({"opted_out_numbers": ["+1206555010012345"]}, "opted_out_numbers", "'+1206555010012345'"),
        ({"opted_out_numbers": ["+12065550100", "+12065550100"]}, "opted_out_numbers", "'+12065550100'"),
        ({"tags": {"aws:reserved": "x"}}, "tags", "'aws:reserved'"),
        ({"tags": {"k" * 129: "x"}}, "tags", "'" + "k" * 129 + "'"),
        ({"tags": {"team": "v" * 257}}, "tags['team']", "'" + "v" * 257 + "'"),
        ({"tags": {f"k{i}": "v" for i in range(51)}}, "tags", "'51 tags'"),
    ],
)
def test_bad_input_is_a_clear_synth_time_error(props: dict[str, Any], prop: str, shown: str) -> None:
    stack = new_stack()
    with pytest.raises(SmsVoiceValidationError) as raised:
        OptOutList(stack, "OptOuts", **props)
    message = str(raised.value)
    assert raised.value.prop == prop
    assert f"invalid {prop} {shown}" in message
    assert "TestStack/OptOuts" in message


def test_unresolved_tokens_are_left_to_deploy_time() -> None:
    stack = new_stack()
    name = cdk.CfnParameter(stack, "Name").value_as_string
    OptOutList(stack, "OptOuts", opt_out_list_name=name)
    Template.from_stack(stack).has_resource_properties(TYPE, {"OptOutListName": {"Ref": "Name"}})
