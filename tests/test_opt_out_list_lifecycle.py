"""OptOutList through the real handler and the fake, driven by synthesized templates."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy

from smsvoice_cdk import OptOutList
from smsvoice_cdk.custom_resources.contract import MANAGED_TAG_KEY
from smsvoice_cdk.custom_resources.events import CREATE_FAILED_MARKER
from tests.cloudformation import DeployFailedError, Stack
from tests.fakes import FakeSmsVoice
from tests.synth import build

TYPE = "Custom::SmsVoiceOptOutList"


def opt_out_template(**props: Any) -> dict[str, Any]:
    props.setdefault("opt_out_list_name", "tenant-a")
    return build(lambda stack: OptOutList(stack, "OptOuts", **props))


def logical(template: dict[str, Any]) -> str:
    return next(lid for lid, r in template["Resources"].items() if r["Type"] == TYPE)


def numbers(fake: FakeSmsVoice, name: str) -> dict[str, bool]:
    return dict(fake.opt_out_list(name).numbers)


def tags(fake: FakeSmsVoice, name: str) -> dict[str, str]:
    return fake.tags[fake.opt_out_list(name).arn]


def test_create_seeds_numbers_tags_and_returns_the_real_id(fake: FakeSmsVoice) -> None:
    template = opt_out_template(opted_out_numbers=["+12065550100", "+442071838750"], tags={"team": "a"})
    stack = Stack()
    stack.deploy(template)

    lid = logical(template)
    assert stack.physical_id(lid) == "tenant-a"
    assert stack.attribute(lid, "OptOutListArn") == fake.opt_out_list("tenant-a").arn
    assert numbers(fake, "tenant-a") == {"+12065550100": False, "+442071838750": False}
    assert tags(fake, "tenant-a") == {"team": "a", MANAGED_TAG_KEY: "true"}


def test_update_in_place_reconciles_tags_and_numbers(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(
        opt_out_template(opted_out_numbers=["+12065550100", "+12065550101"], tags={"team": "a", "cost": "1"})
    )
    fake.opt_out_as_end_user("tenant-a", "+12065550199")  # someone replied STOP meanwhile

    stack.deploy(
        opt_out_template(opted_out_numbers=["+12065550101", "+12065550102"], tags={"team": "b", "owner": "x"})
    )

    assert stack.physical_id(logical(opt_out_template())) == "tenant-a"
    assert numbers(fake, "tenant-a") == {"+12065550101": False, "+12065550102": False, "+12065550199": True}
    assert tags(fake, "tenant-a") == {"team": "b", "owner": "x", MANAGED_TAG_KEY: "true"}
    assert list(fake.opt_out_lists) == ["tenant-a"]


def test_removing_a_number_the_recipient_opted_out_themselves_keeps_it(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(opt_out_template(opted_out_numbers=["+12065550100"]))
    fake.opt_out_as_end_user("tenant-a", "+12065550100")

    stack.deploy(opt_out_template(opted_out_numbers=[]))

    assert numbers(fake, "tenant-a") == {"+12065550100": True}


def test_rename_copies_every_opted_out_number_before_success(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(opt_out_template(opted_out_numbers=["+12065550100"], removal_policy=RemovalPolicy.DESTROY))
    fake.opt_out_as_end_user("tenant-a", "+12065550177")

    renamed = opt_out_template(
        opt_out_list_name="tenant-a-v2",
        opted_out_numbers=["+12065550100"],
        removal_policy=RemovalPolicy.DESTROY,
    )
    stack.deploy(renamed)

    assert stack.physical_id(logical(renamed)) == "tenant-a-v2"
    assert numbers(fake, "tenant-a-v2") == {"+12065550100": False, "+12065550177": False}
    assert "tenant-a" not in fake.opt_out_lists  # DESTROY: CloudFormation deleted the old list after


def test_rename_with_the_default_policy_retains_the_old_list(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(opt_out_template(opted_out_numbers=["+12065550100"]))
    stack.deploy(opt_out_template(opt_out_list_name="tenant-a-v2", opted_out_numbers=["+12065550100"]))

    assert set(fake.opt_out_lists) == {"tenant-a", "tenant-a-v2"}
    assert numbers(fake, "tenant-a") == {"+12065550100": False}


def test_rename_copies_a_list_larger_than_one_page_across_polls(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(opt_out_template())
    for i in range(250):
        fake.opt_out_as_end_user("tenant-a", f"+1206555{i:04d}")

    stack.deploy(opt_out_template(opt_out_list_name="tenant-a-v2"))

    assert set(numbers(fake, "tenant-a-v2")) == set(numbers(fake, "tenant-a"))
    assert len(numbers(fake, "tenant-a-v2")) == 250


def test_rollback_of_a_rename_returns_to_the_old_list_with_new_opt_outs(fake: FakeSmsVoice) -> None:
    """A later resource fails, CloudFormation sends the rename back with old and new swapped."""
    stack = Stack()
    stack.deploy(opt_out_template(opted_out_numbers=["+12065550100"], removal_policy=RemovalPolicy.DESTROY))
    renamed = opt_out_template(
        opt_out_list_name="tenant-a-v2",
        opted_out_numbers=["+12065550100"],
        removal_policy=RemovalPolicy.DESTROY,
    )
    lid = logical(renamed)
    stack.deploy(renamed)
    fake.opt_out_as_end_user("tenant-a-v2", "+12065550188")  # opted out while v2 was live

    # Drive the rollback update exactly as CloudFormation would send it.
    rollback = stack.event(
        "Update",
        lid,
        TYPE,
        stack.resolve_properties(
            opt_out_template(opted_out_numbers=["+12065550100"], removal_policy=RemovalPolicy.DESTROY), lid
        ),
        old_props=stack.resources[lid].properties,
        physical_id="tenant-a-v2",
    )
    response = stack.send(rollback)

    assert response["PhysicalResourceId"] == "tenant-a"
    assert numbers(fake, "tenant-a") == {"+12065550100": False, "+12065550188": False}


def test_failed_update_rolls_back_tags_and_numbers(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(opt_out_template(opted_out_numbers=["+12065550100"], tags={"team": "a"}))
    fake.fail("ValidationException", operation="PutOptedOutNumber", count=1, message="boom")

    with pytest.raises(DeployFailedError, match="boom"):
        stack.deploy(opt_out_template(opted_out_numbers=["+12065550100", "+12065550101"], tags={"team": "b"}))

    assert tags(fake, "tenant-a") == {"team": "a", MANAGED_TAG_KEY: "true"}
    assert numbers(fake, "tenant-a") == {"+12065550100": False}


def test_delete_with_destroy_removes_the_list(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(opt_out_template(removal_policy=RemovalPolicy.DESTROY))
    stack.destroy()
    assert fake.opt_out_lists == {}


def test_delete_with_the_default_policy_keeps_the_consent_records(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(opt_out_template(opted_out_numbers=["+12065550100"]))
    stack.destroy()
    assert numbers(fake, "tenant-a") == {"+12065550100": False}
    assert "DeleteOptOutList" not in [op for op, _ in fake.calls]


def test_delete_of_a_list_that_is_already_gone_succeeds(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(opt_out_template(removal_policy=RemovalPolicy.DESTROY))
    del fake.opt_out_lists["tenant-a"]
    stack.destroy()
    assert fake.opt_out_lists == {}


@pytest.mark.parametrize("physical_id", [CREATE_FAILED_MARKER, "6f9c1a2e-9b1d-4d7e-8b8a-1c2d3e4f5a6b", ""])
def test_delete_of_a_failed_creates_id_touches_nothing(fake: FakeSmsVoice, physical_id: str) -> None:
    fake.CreateOptOutList({"OptOutListName": "bystander"})
    event = Stack().event("Delete", "OptOuts", TYPE, {"OptOutListName": "tenant-a"}, physical_id=physical_id)
    response = Stack().send(event)
    assert response["PhysicalResourceId"] == physical_id
    assert list(fake.opt_out_lists) == ["bystander"]


def test_the_same_create_request_twice_makes_one_list(fake: FakeSmsVoice) -> None:
    stack = Stack()
    lid = logical(opt_out_template())
    props = stack.resolve_properties(opt_out_template(), lid)
    event = stack.event("Create", lid, TYPE, props, request_id="same-request")
    first, second = stack.send(event), stack.send(event)
    assert first["PhysicalResourceId"] == second["PhysicalResourceId"] == "tenant-a"
    assert list(fake.opt_out_lists) == ["tenant-a"]
    assert [op for op, _ in fake.calls].count("CreateOptOutList") == 2  # the second was a replay


def test_create_of_a_name_that_exists_fails_with_the_services_reason(fake: FakeSmsVoice) -> None:
    fake.CreateOptOutList({"OptOutListName": "tenant-a"})
    with pytest.raises(DeployFailedError, match=r"ConflictException \(RESOURCE_ALREADY_EXISTS\)"):
        Stack().deploy(opt_out_template())


def test_delete_of_a_list_in_use_fails_with_the_services_reason(
    fake: FakeSmsVoice, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = Stack()
    stack.deploy(opt_out_template(removal_policy=RemovalPolicy.DESTROY))
    monkeypatch.setattr(fake, "opt_out_list_in_use", lambda name: True)
    with pytest.raises(DeployFailedError, match="RESOURCE_DELETION_NOT_ALLOWED"):
        stack.destroy()
    assert "tenant-a" in fake.opt_out_lists


def test_transient_errors_are_retried_and_succeed(fake: FakeSmsVoice, sleeps: list[float]) -> None:
    fake.fail("ThrottlingException", operation="CreateOptOutList", count=2)
    fake.fail("InternalServerException", operation="PutOptedOutNumber", count=1)
    Stack().deploy(opt_out_template(opted_out_numbers=["+12065550100"]))
    assert numbers(fake, "tenant-a") == {"+12065550100": False}
    assert len([s for s in sleeps if s > 0]) >= 1
