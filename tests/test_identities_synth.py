"""PhoneNumber, SenderId and Pool at synth time: validation, templates (snapshots), cfn-lint."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from smsvoice_cdk import (
    Keyword,
    KeywordAction,
    MessageType,
    NumberCapability,
    OptOutList,
    PhoneNumber,
    Pool,
    SenderId,
    SmsVoiceValidationError,
    TwoWayChannel,
)
from tests.lint import cfn_lint_errors
from tests.synth import build, new_stack, simulator_number, template_of


# --- validation -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["us", "USA", "U", "1A", ""])
def test_a_country_code_that_is_not_two_capital_letters_is_refused(code: str) -> None:
    with pytest.raises(SmsVoiceValidationError, match="two capital letters") as failed:
        simulator_number(new_stack(), iso_country_code=code)
    assert (failed.value.prop, failed.value.value) == ("iso_country_code", code)


@pytest.mark.parametrize(
    ("capabilities", "rule"),
    [
        ([], "at least one"),
        ([NumberCapability.SMS, NumberCapability.SMS], "more than once"),
        (["FAX"], "one of"),
    ],
)
def test_empty_duplicate_or_unknown_capabilities_are_refused(capabilities: list[Any], rule: str) -> None:
    with pytest.raises(SmsVoiceValidationError, match=rule) as failed:
        simulator_number(new_stack(), number_capabilities=capabilities)
    assert failed.value.prop == "number_capabilities"


def test_a_promotional_simulator_number_is_refused() -> None:
    with pytest.raises(SmsVoiceValidationError, match="SIMULATOR numbers send TRANSACTIONAL") as failed:
        simulator_number(new_stack(), message_type=MessageType.PROMOTIONAL)
    assert (failed.value.prop, failed.value.value) == ("message_type", "PROMOTIONAL")


@pytest.mark.parametrize("sender", ["", "TWELVECHARSX", "MY BRAND", "brand!"])
def test_a_sender_id_outside_the_pattern_is_refused(sender: str) -> None:
    with pytest.raises(SmsVoiceValidationError, match=r"1 to 11 characters") as failed:
        SenderId(new_stack(), "Sender", sender_id=sender, iso_country_code="DE")
    assert (failed.value.prop, failed.value.value) == ("sender_id", sender)


def test_a_pool_with_no_identity_fails_synth_naming_the_property() -> None:
    stack = new_stack()
    Pool(stack, "Pool")
    with pytest.raises(Exception, match=r"TestStack/Pool: invalid origination_identities \[\]"):
        template_of(stack)


def test_identities_whose_message_type_disagrees_are_refused() -> None:
    stack = new_stack()
    sender = SenderId(
        stack, "Sender", sender_id="BRAND", iso_country_code="US", message_types=[MessageType.PROMOTIONAL]
    )
    with pytest.raises(
        SmsVoiceValidationError, match="sends PROMOTIONAL but the pool's message_type is TRANSACTIONAL"
    ):
        Pool(stack, "Pool", origination_identities=[simulator_number(stack), sender])


def test_identities_whose_country_disagrees_are_refused() -> None:
    stack = new_stack()
    with pytest.raises(
        SmsVoiceValidationError, match="is of country CA but the pool's identities are of US"
    ) as failed:
        Pool(
            stack,
            "Pool",
            origination_identities=[
                simulator_number(stack),
                simulator_number(stack, "Canadian", iso_country_code="CA"),
            ],
        )
    assert failed.value.value == "TestStack/Canadian"


def test_an_identity_of_another_country_than_the_pool_is_refused_when_added_later() -> None:
    stack = new_stack()
    pool = Pool(stack, "Pool", iso_country_code="CA")
    with pytest.raises(SmsVoiceValidationError, match="country US"):
        pool.add_origination_identity(simulator_number(stack))


def test_imported_identities_are_checked_on_what_is_known() -> None:
    stack = new_stack()
    imported = PhoneNumber.from_phone_number_attributes(
        stack,
        "Imported",
        phone_number_arn="arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-abc",
        message_type=MessageType.PROMOTIONAL,
    )
    with pytest.raises(SmsVoiceValidationError, match="sends PROMOTIONAL"):
        Pool(stack, "Pool", origination_identities=[imported])
    unknown = PhoneNumber.from_phone_number_arn(
        stack, "Unknown", "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-def"
    )
    Pool(stack, "Other", origination_identities=[unknown])  # nothing known, nothing to refuse
    assert unknown.phone_number_id == "phone-def"


def test_the_same_identity_twice_is_refused() -> None:
    stack = new_stack()
    n = simulator_number(stack)
    with pytest.raises(SmsVoiceValidationError, match="appear once"):
        Pool(stack, "Pool", origination_identities=[n, n])
    arn = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-abc"
    first, again = (PhoneNumber.from_phone_number_arn(stack, id, arn) for id in ("First", "Again"))
    with pytest.raises(SmsVoiceValidationError, match="appear once"):
        Pool(stack, "Imports", origination_identities=[first, again])


def test_two_owned_numbers_and_an_import_join_one_pool() -> None:
    stack = new_stack()
    arn = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-abc"
    imported = PhoneNumber.from_phone_number_arn(stack, "Imported", arn)
    Pool(
        stack,
        "Pool",
        origination_identities=[simulator_number(stack, "One"), simulator_number(stack, "Two"), imported],
    )
    pools = Template.from_stack(stack).find_resources("Custom::SmsVoicePool")
    (pool,) = pools.values()
    assert [i["OriginationIdentity"] for i in pool["Properties"]["OriginationIdentities"]] == [
        {"Fn::GetAtt": [_logical_id(stack, "One"), "PhoneNumberArn"]},
        {"Fn::GetAtt": [_logical_id(stack, "Two"), "PhoneNumberArn"]},
        arn,
    ]


def _logical_id(stack: cdk.Stack, id: str) -> str:
    resource = stack.node.find_child(id).node.default_child
    assert isinstance(resource, cdk.CfnResource)
    return stack.resolve(resource.logical_id)


def test_unresolved_values_are_not_validated() -> None:
    stack = new_stack()
    country = cdk.CfnParameter(stack, "Country").value_as_string
    simulator_number(stack, iso_country_code=country)


# --- templates ----------------------------------------------------------------------------------------
def _full(stack: cdk.Stack) -> None:
    opt_outs = OptOutList(stack, "OptOuts", opt_out_list_name="tenant-a")
    role = iam.Role(
        stack,
        "ConnectRole",
        assumed_by=iam.ServicePrincipal("sms-voice.amazonaws.com"),
        path="/smsvoice-cdk/",
    )
    n = simulator_number(
        stack,
        opt_out_list=opt_outs,
        deletion_protection=True,
        two_way_channel=TwoWayChannel.amazon_connect(role),
        keywords=[Keyword("JOIN", "Welcome", KeywordAction.OPT_IN)],
        tags={"team": "a"},
    )
    sender = SenderId(
        stack, "Sender", sender_id="BRAND", iso_country_code="US", message_types=[MessageType.TRANSACTIONAL]
    )
    pool = Pool(stack, "Pool", origination_identities=[n], opt_out_list=opt_outs, shared_routes=True)
    pool.add_origination_identity(sender)
    pool.add_keyword(Keyword("HELP", "Call us"))
    fn_role = iam.Role(stack, "Sender Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    pool.grant_send_text_message(fn_role)
    pool.grant_send_voice_message(fn_role)
    pool.grant_send_media_message(fn_role)


@pytest.fixture(scope="module")
def full_template() -> dict[str, Any]:
    return build(_full)


def test_phone_number_template(full_template: dict[str, Any], snapshot_json: Any) -> None:
    template = Template.from_json(full_template)
    template.has_resource(
        "Custom::SmsVoicePhoneNumber",
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "IsoCountryCode": "US",
                    "NumberType": "SIMULATOR",
                    "DeletionProtectionEnabled": True,
                    "TwoWayEnabled": True,
                    "TwoWayChannelArn": {
                        "Fn::Join": ["", ["connect.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]
                    },
                    "WaitForActive": True,
                    "AllowReplacement": False,
                    "Keywords": [{"Keyword": "JOIN", "KeywordMessage": "Welcome", "KeywordAction": "OPT_IN"}],
                }
            ),
        },
    )
    numbers = template.find_resources("Custom::SmsVoicePhoneNumber")
    assert numbers == snapshot_json


def test_sender_id_template(full_template: dict[str, Any], snapshot_json: Any) -> None:
    template = Template.from_json(full_template)
    template.has_resource(
        "Custom::SmsVoiceSenderId",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like({"SenderId": "BRAND", "IsoCountryCode": "US"}),
        },
    )
    assert template.find_resources("Custom::SmsVoiceSenderId") == snapshot_json


def test_pool_template_renders_identities_added_later(
    full_template: dict[str, Any], snapshot_json: Any
) -> None:
    template = Template.from_json(full_template)
    pools = template.find_resources("Custom::SmsVoicePool")
    ((_, pool),) = pools.items()
    identities = pool["Properties"]["OriginationIdentities"]
    assert [list(i["OriginationIdentity"]["Fn::GetAtt"])[1] for i in identities] == [
        "PhoneNumberArn",
        "SenderIdArn",
    ]
    assert all(i["IsoCountryCode"] == "US" for i in identities)
    assert pool["Properties"]["Keywords"] == [
        {"Keyword": "HELP", "KeywordMessage": "Call us", "KeywordAction": "AUTOMATIC_RESPONSE"}
    ]
    assert "DeletionPolicy" not in pool  # DESTROY: CloudFormation's default, not written
    assert pools == snapshot_json


def test_grants_are_scoped_to_the_pool(full_template: dict[str, Any]) -> None:
    template = Template.from_json(full_template)
    pool_lid = next(iter(template.find_resources("Custom::SmsVoicePool")))
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": action,
                        "Effect": "Allow",
                        "Resource": {"Fn::GetAtt": [pool_lid, "PoolArn"]},
                    }
                    for action in (
                        "sms-voice:SendTextMessage",
                        "sms-voice:SendVoiceMessage",
                        "sms-voice:SendMediaMessage",
                    )
                ]
            }
        },
    )


def test_cfn_lint_finds_no_errors(full_template: dict[str, Any]) -> None:
    assert cfn_lint_errors(full_template) == []


def test_imported_pool_grants_use_its_arn() -> None:
    stack = new_stack()
    pool = Pool.from_pool_id(stack, "Imported", "pool-123")
    role = iam.Role(stack, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    pool.grant_send_text_message(role)
    assert pool.pool_id == "pool-123"
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    Match.object_like(
                        {
                            "Resource": {
                                "Fn::Join": [
                                    "",
                                    Match.array_with([":sms-voice:us-east-1:123456789012:pool/pool-123"]),
                                ]
                            }
                        }
                    )
                ]
            }
        },
    )
