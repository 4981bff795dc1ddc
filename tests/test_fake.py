"""The fake follows the API reference, whatever the handler would find convenient."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from smsvoice_cdk.custom_resources import aws
from tests.fakes import FakeSmsVoice, RateLimit


def error_of(call: object) -> dict[str, str]:
    assert isinstance(call, ClientError)
    return {"code": call.response["Error"]["Code"], "reason": str(call.response.get("Reason"))}


@pytest.mark.parametrize(
    ("operation", "params", "reason"),
    [
        ("CreateOptOutList", {"OptOutListName": "bad name"}, "FIELD_VALIDATION_FAILED"),
        ("CreateOptOutList", {"OptOutListName": "x" * 65}, "FIELD_VALIDATION_FAILED"),
        (
            "CreateOptOutList",
            {"OptOutListName": "ok", "Tags": [{"Key": "k", "Value": "v" * 257}]},
            "FIELD_VALIDATION_FAILED",
        ),
        ("PutOptedOutNumber", {"OptOutListName": "l", "OptedOutNumber": "+0123"}, "FIELD_VALIDATION_FAILED"),
        ("DescribeOptedOutNumbers", {"OptOutListName": "l", "MaxResults": 101}, "FIELD_VALIDATION_FAILED"),
    ],
)
def test_requests_are_validated_against_the_model(
    fake: FakeSmsVoice, operation: str, params: dict[str, object], reason: str
) -> None:
    method = getattr(aws.client(), aws._snake(operation))
    with pytest.raises(ClientError) as raised:
        method(**params)
    assert error_of(raised.value) == {"code": "ValidationException", "reason": reason}


def test_not_found_and_conflicts(fake: FakeSmsVoice) -> None:
    client = aws.client()
    with pytest.raises(ClientError) as raised:
        client.delete_opt_out_list(OptOutListName="missing")
    assert error_of(raised.value)["code"] == "ResourceNotFoundException"
    client.create_opt_out_list(OptOutListName="dup")
    with pytest.raises(ClientError) as raised:
        client.create_opt_out_list(OptOutListName="dup")
    assert error_of(raised.value) == {"code": "ConflictException", "reason": "RESOURCE_ALREADY_EXISTS"}


def test_an_end_user_opt_out_cannot_be_deleted(fake: FakeSmsVoice) -> None:
    client = aws.client()
    client.create_opt_out_list(OptOutListName="l")
    fake.opt_out_as_end_user("l", "+12065550100")
    with pytest.raises(ClientError) as raised:
        client.delete_opted_out_number(OptOutListName="l", OptedOutNumber="+12065550100")
    assert error_of(raised.value) == {
        "code": "ConflictException",
        "reason": "DESTINATION_PHONE_NUMBER_OPTED_OUT",
    }


def test_client_token_replays_the_first_response_and_rejects_other_parameters(fake: FakeSmsVoice) -> None:
    client = aws.client()
    first = client.create_opt_out_list(OptOutListName="a", ClientToken="t1")
    again = client.create_opt_out_list(OptOutListName="a", ClientToken="t1")
    assert first["OptOutListArn"] == again["OptOutListArn"]
    assert list(fake.opt_out_lists) == ["a"]
    with pytest.raises(ClientError) as raised:
        client.create_opt_out_list(OptOutListName="b", ClientToken="t1")
    assert error_of(raised.value)["code"] == "ConflictException"


def test_injected_faults_reach_the_client_as_the_service_sends_them(fake: FakeSmsVoice) -> None:
    client = aws.client()
    fake.fail("ThrottlingException", operation="CreateOptOutList")
    fake.fail("InternalServerException")
    with pytest.raises(ClientError) as raised:
        client.create_opt_out_list(OptOutListName="a")
    assert error_of(raised.value)["code"] == "ThrottlingException"
    with pytest.raises(ClientError) as raised:
        client.describe_opt_out_lists()
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert client.describe_opt_out_lists()["OptOutLists"] == []


def test_rate_limit_throttles_the_second_call_in_a_second(fake: FakeSmsVoice) -> None:
    now = [0.0]
    fake.clock = lambda: now[0]
    fake.rate_limit = RateLimit(per_second=1)
    client = aws.client()
    client.describe_opt_out_lists()
    with pytest.raises(ClientError) as raised:
        client.describe_opt_out_lists()
    assert error_of(raised.value)["code"] == "ThrottlingException"
    client.create_opt_out_list(OptOutListName="other-operation")
    now[0] += 1.0
    client.describe_opt_out_lists()
    assert fake.throttled["DescribeOptOutLists"] == 1
