"""The handler's shared machinery: coercion, tokens, retries, dispatch, logging, response size."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from smsvoice_cdk.custom_resources import aws, coerce, index
from smsvoice_cdk.custom_resources.events import client_token
from tests.cloudformation import Stack
from tests.fakes import FakeSmsVoice


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("false", False), ("True", True), ("0", False), (True, True), (None, False)],
)
def test_booleans_arrive_as_strings(raw: Any, expected: bool) -> None:
    assert coerce.to_bool(raw) is expected


def test_a_boolean_that_is_not_one_is_an_error() -> None:
    with pytest.raises(ValueError, match="expected a boolean, got 'maybe'"):
        coerce.to_bool("maybe")


def test_numbers_lists_and_tags_arrive_as_strings() -> None:
    assert coerce.to_int("42") == 42
    assert coerce.to_int("", default=7) == 7
    assert coerce.to_str("") is None
    assert coerce.to_str_list(["a", 1]) == ["a", "1"]
    assert coerce.to_tags([{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]) == {"a": "2"}


def test_client_token_is_stable_per_request_and_differs_between_requests() -> None:
    event: Any = {"StackId": "s", "LogicalResourceId": "L", "RequestId": "r1"}
    assert client_token(event) == client_token(dict(event))
    assert client_token(event) != client_token({**event, "RequestId": "r2"})
    assert client_token(event) != client_token(event, "second-call")
    assert len(client_token(event)) <= 64


def test_throttling_and_server_errors_are_retried_with_backoff(
    fake: FakeSmsVoice, sleeps: list[float]
) -> None:
    fake.fail("ThrottlingException", operation="CreateOptOutList", count=3)
    fake.fail("InternalServerException", operation="CreateOptOutList", count=2)
    aws.call("CreateOptOutList", OptOutListName="retried")
    assert "retried" in fake.opt_out_lists
    assert [op for op, _ in fake.calls].count("CreateOptOutList") == 6
    backoffs = [s for s in sleeps if s > 0]
    assert len(backoffs) >= 5


def test_throttling_lowers_the_client_side_rate(fake: FakeSmsVoice, sleeps: list[float]) -> None:
    fake.fail("ThrottlingException", operation="PutOptedOutNumber", count=4)
    fake.CreateOptOutList({"OptOutListName": "l"})
    aws.call("PutOptedOutNumber", OptOutListName="l", OptedOutNumber="+12065550100")
    assert aws._rate_for("PutOptedOutNumber").rate < aws._AdaptiveRate.MAX_RATE


def test_throttling_gives_up_after_a_deadline(fake: FakeSmsVoice, sleeps: list[float]) -> None:
    fake.fail("ThrottlingException", operation="CreateOptOutList", count=10_000)
    with pytest.raises(aws.ServiceError, match="ThrottlingException"):
        aws.call("CreateOptOutList", OptOutListName="never")
    # Rounded: the last wait ends at the deadline itself, give or take a float's last digit.
    assert (
        aws.THROTTLING_RETRY_SECONDS
        <= round(sum(sleeps), 6)
        <= aws.THROTTLING_RETRY_SECONDS + aws.MAX_DELAY_SECONDS * 2
    )


def test_server_errors_give_up_after_a_few_attempts(fake: FakeSmsVoice) -> None:
    fake.fail("InternalServerException", operation="CreateOptOutList", count=100)
    with pytest.raises(aws.ServiceError, match="InternalServerException"):
        aws.call("CreateOptOutList", OptOutListName="never")
    assert [op for op, _ in fake.calls].count("CreateOptOutList") == aws.MAX_SERVER_ERROR_ATTEMPTS


def test_other_errors_fail_at_once_with_the_services_reason(fake: FakeSmsVoice) -> None:
    fake.CreateOptOutList({"OptOutListName": "taken"})
    with pytest.raises(aws.ServiceError) as raised:
        aws.call("CreateOptOutList", OptOutListName="taken")
    assert raised.value.reason == "RESOURCE_ALREADY_EXISTS"
    assert "ConflictException (RESOURCE_ALREADY_EXISTS)" in str(raised.value)
    assert [op for op, _ in fake.calls].count("CreateOptOutList") == 1


def test_iam_propagation_is_retried_only_when_asked_and_for_about_two_minutes(
    fake: FakeSmsVoice, sleeps: list[float]
) -> None:
    fake.fail(
        "ValidationException",
        operation="CreateOptOutList",
        count=3,
        reason="RESOURCE_NOT_ACCESSIBLE",
        message="Could not assume IAM role",
    )
    with pytest.raises(aws.ServiceError, match="RESOURCE_NOT_ACCESSIBLE"):
        aws.call("CreateOptOutList", OptOutListName="a")
    aws.call("CreateOptOutList", OptOutListName="b", retry_iam_propagation=True)
    assert "b" in fake.opt_out_lists

    fake.fail(
        "ValidationException", operation="CreateOptOutList", count=1000, message="Could not assume IAM role"
    )
    waited_before = sum(sleeps)
    with pytest.raises(aws.ServiceError, match="Could not assume"):
        aws.call("CreateOptOutList", OptOutListName="c", retry_iam_propagation=True)
    waited = round(sum(sleeps) - waited_before, 6)  # the last wait ends at the deadline itself
    assert aws.IAM_PROPAGATION_SECONDS <= waited <= aws.IAM_PROPAGATION_SECONDS + 40


def test_paginate_follows_next_token(fake: FakeSmsVoice) -> None:
    fake.CreateOptOutList({"OptOutListName": "big"})
    for i in range(120):
        fake.opt_out_as_end_user("big", f"+1206555{i:04d}")
    entries = aws.paginate("DescribeOptedOutNumbers", "OptedOutNumbers", OptOutListName="big", MaxResults=50)
    assert len(entries) == 120
    assert [op for op, _ in fake.calls].count("DescribeOptedOutNumbers") == 3


def test_unknown_resource_type_is_refused() -> None:
    event = Stack().event("Create", "X", "Custom::SmsVoiceUnknown", {})
    with pytest.raises(ValueError, match="unsupported resource type 'Custom::SmsVoiceUnknown'"):
        index.on_event(event)  # type: ignore[arg-type]


def test_response_data_over_4_kb_is_refused() -> None:
    with pytest.raises(ValueError, match="at most 4096"):
        index.check_data_size({"Big": "x" * 4100})
    index.check_data_size({"Small": "x" * 100})


def test_each_request_is_one_log_line_without_the_response_url_or_whole_numbers(
    fake: FakeSmsVoice, caplog: pytest.LogCaptureFixture
) -> None:
    stack = Stack()
    event = stack.event(
        "Create",
        "OptOuts",
        "Custom::SmsVoiceOptOutList",
        {"OptOutListName": "logged", "OptedOutNumbers": ["+12065550123"]},
    )
    with caplog.at_level(logging.INFO, logger="smsvoice_cdk"):
        index.on_event(event)  # type: ignore[arg-type]
    assert len(caplog.records) == 1
    line = caplog.records[0].getMessage()
    record = json.loads(line)
    assert record["responseUrl"] == "[redacted]"
    assert "X-Amz-Signature" not in line and "secret" not in line
    assert "+12065550123" not in line and "2065550123" not in line
    assert record["resourceProperties"]["OptedOutNumbers"] == ["**********23"]


def _logged_line(event: Any, caplog: pytest.LogCaptureFixture) -> str:
    with caplog.at_level(logging.INFO, logger="smsvoice_cdk"):
        index.log_request("is_complete", event)
    assert len(caplog.records) == 1
    return caplog.records[0].getMessage()


def test_the_log_masks_phone_numbers_and_keeps_account_ids_and_resource_ids_readable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    arn = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1a46e3a8fac4495dbaa8b682d4be5f1d"
    event = Stack().event(
        "Update",
        "Number8932521F",
        "Custom::SmsVoicePool",
        {
            "OriginationIdentities": [{"OriginationIdentity": arn}],
            "TwoWayChannelArn": "arn:aws:sns:us-east-1:123456789012:inbound-2065550100",
        },
        old_props={"OptedOutNumbers": ["12065550123", "+442071838750"]},
        physical_id="pool-1234567890abcdef",
    )
    event["Data"] = {"PhoneNumber": "+12065550188", "PhoneNumberArn": arn}
    line = _logged_line(event, caplog)
    record = json.loads(line)

    assert "123456789012" in line  # the account id of every ARN
    assert record["resourceProperties"]["OriginationIdentities"][0]["OriginationIdentity"] == arn
    assert record["logicalResourceId"] == "Number8932521F"
    assert record["physicalResourceId"] == "pool-1234567890abcdef"
    assert record["data"]["PhoneNumberArn"] == arn
    # Numbers: E.164 anywhere, bare digits where a property holds numbers; the last two digits stay.
    assert record["oldResourceProperties"]["OptedOutNumbers"] == ["*" * 9 + "23", "*" * 11 + "50"]
    assert record["data"]["PhoneNumber"] == "**********88"
    for whole in ("12065550123", "442071838750", "2065550188"):
        assert whole not in line
    assert record["responseUrl"] == "[redacted]" and "X-Amz-Signature" not in line


@pytest.mark.parametrize("number", ["+12065550100", "+861012345678901", "+4930123456"])
def test_every_e164_number_is_masked_to_its_last_two_digits(number: str) -> None:
    masked = index.mask_phone_numbers(f"sent to {number}.")
    assert masked == f"sent to {'*' * (len(number) - 2)}{number[-2:]}."
