"""The fake answers as the API reference says, through the real boto3 client: the conflicts that bite."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from smsvoice_cdk.custom_resources import aws
from tests.fakes import FakeSmsVoice


def client() -> Any:
    return aws.client()


def reason(err: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    response: Any = err.value.response
    return response["Error"]["Code"], response.get("Reason") or response["Error"].get("Reason")


def request_number(fake: FakeSmsVoice, **params: Any) -> dict[str, Any]:
    number: dict[str, Any] = client().request_phone_number(
        **{
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberCapabilities": ["SMS"],
            "NumberType": "SIMULATOR",
            **params,
        }
    )
    return number


def active_pool(fake: FakeSmsVoice, number_id: str, message_type: str = "TRANSACTIONAL") -> str:
    pool_id: str = client().create_pool(OriginationIdentity=number_id, MessageType=message_type)["PoolId"]
    for _ in range(fake.creating_polls + 1):
        status = client().describe_pools(PoolIds=[pool_id])["Pools"][0]["Status"]
    assert status == "ACTIVE"
    return pool_id


def test_numbers_are_pending_then_active(fake: FakeSmsVoice) -> None:
    fake.pending_polls = 2
    number_id = request_number(fake)["PhoneNumberId"]
    statuses = [
        client().describe_phone_numbers(PhoneNumberIds=[number_id])["PhoneNumbers"][0]["Status"]
        for _ in range(3)
    ]
    assert statuses == ["PENDING", "PENDING", "ACTIVE"]


def test_a_phone_number_belongs_to_one_pool(fake: FakeSmsVoice) -> None:
    first, second = request_number(fake)["PhoneNumberId"], request_number(fake)["PhoneNumberId"]
    active_pool(fake, first)
    other = active_pool(fake, second)
    with pytest.raises(ClientError) as err:
        client().associate_origination_identity(PoolId=other, OriginationIdentity=first, IsoCountryCode="US")
    assert reason(err) == ("ConflictException", "RESOURCE_ALREADY_ASSOCIATED")


def test_a_pool_cannot_lose_its_last_phone_number(fake: FakeSmsVoice) -> None:
    number_id = request_number(fake)["PhoneNumberId"]
    pool_id = active_pool(fake, number_id)
    with pytest.raises(ClientError) as err:
        client().disassociate_origination_identity(
            PoolId=pool_id, OriginationIdentity=number_id, IsoCountryCode="US"
        )
    assert reason(err) == ("ConflictException", "LAST_PHONE_NUMBER")


def test_release_is_refused_while_in_a_pool(fake: FakeSmsVoice) -> None:
    number_id = request_number(fake)["PhoneNumberId"]
    active_pool(fake, number_id)
    with pytest.raises(ClientError) as err:
        client().release_phone_number(PhoneNumberId=number_id)
    assert reason(err) == ("ConflictException", "PHONE_NUMBER_ASSOCIATED_TO_POOL")


def test_deletion_protection_refuses_release_and_delete(fake: FakeSmsVoice) -> None:
    number_id = request_number(fake, DeletionProtectionEnabled=True)["PhoneNumberId"]
    with pytest.raises(ClientError) as err:
        client().release_phone_number(PhoneNumberId=number_id)
    assert reason(err) == ("ConflictException", "DELETION_PROTECTION_ENABLED")
    pool_id = active_pool(fake, number_id)
    client().update_pool(PoolId=pool_id, DeletionProtectionEnabled=True)
    with pytest.raises(ClientError) as err:
        client().delete_pool(PoolId=pool_id)
    assert reason(err) == ("ConflictException", "DELETION_PROTECTION_ENABLED")


def test_message_type_and_opt_out_list_mismatches_are_refused(fake: FakeSmsVoice) -> None:
    client().create_opt_out_list(OptOutListName="other")
    pool_id = active_pool(fake, request_number(fake)["PhoneNumberId"])
    promotional = request_number(fake, NumberType="LONG_CODE", MessageType="PROMOTIONAL")["PhoneNumberId"]
    other_list = request_number(fake, OptOutListName="other")["PhoneNumberId"]
    with pytest.raises(ClientError) as err:
        client().associate_origination_identity(
            PoolId=pool_id, OriginationIdentity=promotional, IsoCountryCode="US"
        )
    assert reason(err) == ("ConflictException", "MESSAGE_TYPE_MISMATCH")
    with pytest.raises(ClientError) as err:
        client().associate_origination_identity(
            PoolId=pool_id, OriginationIdentity=other_list, IsoCountryCode="US"
        )
    assert reason(err) == ("ConflictException", "OPT_OUT_LIST_MISMATCH")


def test_sender_ids_need_their_country_to_join(fake: FakeSmsVoice) -> None:
    arn = client().request_sender_id(SenderId="BRAND", IsoCountryCode="US")["SenderIdArn"]
    pool_id = active_pool(fake, request_number(fake)["PhoneNumberId"])
    with pytest.raises(ClientError) as err:
        client().associate_origination_identity(PoolId=pool_id, OriginationIdentity=arn)
    assert reason(err) == ("ValidationException", "MISSING_PARAMETER")
    client().associate_origination_identity(PoolId=pool_id, OriginationIdentity=arn, IsoCountryCode="US")
    with pytest.raises(ClientError) as err:
        client().release_sender_id(SenderId="BRAND", IsoCountryCode="US")
    assert reason(err) == ("ConflictException", "SENDER_ID_ASSOCIATED_TO_POOL")


def test_an_opt_out_list_in_use_cannot_be_deleted(fake: FakeSmsVoice) -> None:
    client().create_opt_out_list(OptOutListName="used")
    request_number(fake, OptOutListName="used")
    with pytest.raises(ClientError) as err:
        client().delete_opt_out_list(OptOutListName="used")
    assert reason(err) == ("ConflictException", "RESOURCE_DELETION_NOT_ALLOWED")


def test_a_deleted_pool_lets_its_numbers_go_a_few_calls_later(fake: FakeSmsVoice) -> None:
    number_id = request_number(fake)["PhoneNumberId"]
    pool_id = active_pool(fake, number_id)
    client().delete_pool(PoolId=pool_id)
    with pytest.raises(ClientError):
        client().release_phone_number(PhoneNumberId=number_id)
    for _ in range(fake.deleting_calls):
        client().describe_phone_numbers()
    client().release_phone_number(PhoneNumberId=number_id)
    assert fake.released_phone_numbers == [number_id]


def test_a_pool_is_creating_then_active(fake: FakeSmsVoice) -> None:
    pool_id = client().create_pool(
        OriginationIdentity=request_number(fake)["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )["PoolId"]
    statuses = [client().describe_pools(PoolIds=[pool_id])["Pools"][0]["Status"] for _ in range(2)]
    assert statuses == ["CREATING", "ACTIVE"]
