"""Tenants: the tenants file, TenantMessaging, and many tenants deploying at once under throttling."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from smsvoice_cdk import MessageType, NumberCapability, NumberType, SmsVoiceProvider, SmsVoiceValidationError
from smsvoice_cdk.constructs.tenant import EventDestinationKind, PhoneNumberRequest, TenantMessaging
from smsvoice_cdk.custom_resources import aws
from smsvoice_cdk.stacks.app import build_app
from smsvoice_cdk.stacks.tenants import TenantConfigError, load_tenants, parse_tenants
from tests.cloudformation import Stack
from tests.fakes import FakeSmsVoice, RateLimit
from tests.synth import ENV, new_stack, template_of
from tests.virtual_time import VirtualClock

VALID = {"id": "acme", "isoCountryCode": "US", "messageType": "TRANSACTIONAL",
         "phoneNumbers": [{"numberType": "SIMULATOR", "capabilities": ["SMS"]}]}  # fmt: skip


def tenants_doc(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"tenants": list(entries)}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (tenants_doc(VALID, VALID), "tenant 'acme': field 'id': duplicate tenant id"),
        (
            tenants_doc({**VALID, "id": "Acme Corp"}),
            "tenant 'Acme Corp': field 'id': 'Acme Corp' is not valid",
        ),
        (tenants_doc({**VALID, "id": "-acme"}), "field 'id': '-acme' is not valid"),
        (tenants_doc({**VALID, "id": "a" * 33}), "is not valid; must be 1 to 32 of a-z"),
        (tenants_doc({**VALID, "colour": "blue"}), "tenant 'acme': field 'colour': unknown field"),
        (
            tenants_doc({k: v for k, v in VALID.items() if k != "isoCountryCode"}),
            "tenant 'acme': field 'isoCountryCode': missing",
        ),
        (
            tenants_doc({k: v for k, v in VALID.items() if k != "messageType"}),
            "tenant 'acme': field 'messageType': missing",
        ),
        (tenants_doc({**VALID, "messageType": "MARKETING"}), "field 'messageType': 'MARKETING' is not valid"),
        (tenants_doc({**VALID, "isoCountryCode": "usa"}), "field 'isoCountryCode': 'usa' is not valid"),
        (tenants_doc({**VALID, "phoneNumbers": []}), "field 'phoneNumbers': a tenant needs at least one"),
        (
            tenants_doc({**VALID, "phoneNumbers": [{"numberType": "PREMIUM"}]}),
            "field 'phoneNumbers[0].numberType': 'PREMIUM' is not valid",
        ),
        (
            tenants_doc({**VALID, "phoneNumbers": [{"numberType": "SIMULATOR", "speed": 1}]}),
            "field 'phoneNumbers[0].speed': unknown field",
        ),
        (
            tenants_doc({**VALID, "eventDestinations": ["kafka"]}),
            "field 'eventDestinations': 'kafka' is not valid",
        ),
        (tenants_doc({**VALID, "optedOutNumbers": ["555-0100"]}), "field 'optedOutNumbers': '555-0100'"),
        (tenants_doc({**VALID, "defaultSenderId": "TOO-LONG-SENDER"}), "field 'defaultSenderId'"),
        (tenants_doc({"isoCountryCode": "US"}), "tenants[0]: field 'id': missing"),
        (tenants_doc(), "no tenants"),
        ({"tenant": []}, 'expected {"tenants": [...]}'),
    ],
)
def test_bad_tenants_are_named_with_their_field_before_anything_is_synthesized(
    document: dict[str, Any], expected: str
) -> None:
    with pytest.raises(TenantConfigError) as raised:
        parse_tenants(document, "tenants.json")
    assert expected in str(raised.value)
    assert str(raised.value).startswith("tenants.json: ")


def test_the_example_tenants_file_is_valid() -> None:
    tenants = load_tenants(Path(__file__).resolve().parent.parent / "tenants.json")
    assert [t.id for t in tenants] == ["acme", "globex", "initech"]
    assert set(tenants[0].event_destinations) == set(EventDestinationKind)


def test_an_unreadable_tenants_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TenantConfigError, match="no such tenants file"):
        load_tenants(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(TenantConfigError, match=r"broken\.json: not valid JSON"):
        load_tenants(broken)


def test_another_tenants_file_is_chosen_with_context(tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text(
        json.dumps(tenants_doc({**VALID, "id": "one"}, {**VALID, "id": "two", "region": "eu-west-1"}))
    )
    app = build_app(cdk.App(context={"tenants": str(path)}), env=ENV)
    names = sorted(child.node.id for child in app.node.children)
    assert names == ["SmsVoice-one", "SmsVoice-two", "SmsVoiceProvider-123456789012-eu-west-1",
                     "SmsVoiceProvider-123456789012-us-east-1"]  # fmt: skip
    two = app.node.find_child("SmsVoice-two")
    assert isinstance(two, cdk.Stack) and two.region == "eu-west-1"
    assert [d.node.id for d in two.dependencies] == ["SmsVoiceProvider-123456789012-eu-west-1"]


def messaging(stack: cdk.Stack, tenant_id: str = "acme", **props: Any) -> TenantMessaging:
    props.setdefault("phone_numbers", [PhoneNumberRequest(NumberType.SIMULATOR, (NumberCapability.SMS,))])
    return TenantMessaging(stack, tenant_id.title(), tenant_id=tenant_id, iso_country_code="US",
                           message_type=MessageType.TRANSACTIONAL, **props)  # fmt: skip


def test_grant_send_is_scoped_to_the_tenants_pool_and_set() -> None:
    stack = new_stack()
    acme, globex = messaging(stack, "acme"), messaging(stack, "globex")
    role = iam.Role(stack, "Worker", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    grant = acme.grant_send(role)
    assert isinstance(grant, iam.Grant) and grant.success
    template = template_of(stack)
    (policy,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Policy"
                 and r["Properties"]["Roles"] == [{"Ref": stack.get_logical_id(role.node.default_child)}]]  # type: ignore[arg-type]  # fmt: skip
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == ["sms-voice:SendMediaMessage", "sms-voice:SendTextMessage",
                                   "sms-voice:SendVoiceMessage"]  # fmt: skip
    assert statement["Resource"] == [stack.resolve(acme.pool.pool_arn),
                                     stack.resolve(acme.configuration_set.configuration_set_arn)]  # fmt: skip
    assert stack.resolve(globex.pool.pool_arn) not in statement["Resource"]


def test_parts_are_exposed_so_an_app_can_add_to_them() -> None:
    stack = new_stack()
    acme = messaging(stack, event_destinations=[EventDestinationKind.SNS])
    assert acme.event_topic is not None and acme.event_log is None
    acme.pool.add_origination_identity(
        acme.phone_numbers[0].__class__.from_phone_number_arn(
            stack, "Extra", "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-extra"
        )
    )
    identities = Template.from_stack(stack).find_resources("Custom::SmsVoicePool")
    (pool,) = identities.values()
    assert len(pool["Properties"]["OriginationIdentities"]) == 2


@pytest.mark.parametrize(
    ("props", "prop"),
    [({"tenant_id": "Acme!"}, "tenant_id"), ({"tenant_id": "acme", "phone_numbers": []}, "phone_numbers")],
)
def test_bad_tenant_props_are_synth_time_errors(props: dict[str, Any], prop: str) -> None:
    with pytest.raises(SmsVoiceValidationError) as raised:
        messaging(new_stack(), **props)
    assert raised.value.prop == prop


# --- many tenants at once ------------------------------------------------------------------------------
TENANTS_AT_ONCE = 16
HANDLER_CONCURRENCY = 4  # the provider stack's reserved concurrency


@pytest.fixture(scope="module")
def tenant_templates() -> list[dict[str, Any]]:
    app = cdk.App()
    stacks = []
    for index in range(TENANTS_AT_ONCE):
        stack = new_stack(f"SmsVoice-t{index:02d}", app)
        provider = SmsVoiceProvider.from_service_token(
            stack, "Provider", "arn:aws:lambda:us-east-1:1:function:p"
        )
        destinations = [EventDestinationKind.CLOUDWATCH_LOGS, EventDestinationKind.SNS]
        messaging(stack, f"t{index:02d}", provider=provider, event_destinations=destinations)
        stacks.append(stack)
    return [template_of(stack) for stack in stacks]


def run_concurrently(fake: FakeSmsVoice, templates: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
                     ) -> tuple[list[Any], float, list[Stack]]:  # fmt: skip
    clock = VirtualClock()
    monkeypatch.setattr(aws, "sleep", clock.sleep)
    monkeypatch.setattr(aws, "monotonic", clock.monotonic)
    monkeypatch.setattr(aws, "jitter", random.Random(7).uniform)
    fake.clock = clock.monotonic
    fake.rate_limit = RateLimit(per_second=1)
    stacks = [Stack(name=f"SmsVoice-t{i:02d}", sleep=clock.sleep) for i in range(len(templates))]
    tasks = [
        (lambda s=stack, t=template: s.deploy(t)) for stack, template in zip(stacks, templates, strict=True)
    ]
    results = clock.run(tasks, workers=HANDLER_CONCURRENCY)
    return results, clock.now, stacks


def test_many_tenants_deploying_at_once_all_succeed_under_the_rate_limit(
    fake: FakeSmsVoice, tenant_templates: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    results, elapsed, _ = run_concurrently(fake, tenant_templates, monkeypatch)

    failures = [r for r in results if isinstance(r, Exception)]
    assert failures == []
    assert sum(fake.throttled.values()) > 0  # the limit was hit, and retried through
    assert len(fake.pools) == len(fake.configuration_sets) == len(fake.phone_numbers) == TENANTS_AT_ONCE
    assert all(len(s.destinations) == 2 for s in fake.configuration_sets.values())
    busiest = Counter(op for op, _ in fake.calls).most_common(1)[0][1]
    assert elapsed >= busiest - 1  # the floor: at most one call per second of any operation got through
