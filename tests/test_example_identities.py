"""The example app's number and pool: template snapshot, intent, cfn-lint, and a deploy against the fake."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from smsvoice_cdk.stacks.example import ExampleStack
from tests.cloudformation import Stack
from tests.fakes import FakeSmsVoice
from tests.lint import cfn_lint_errors
from tests.synth import ENV


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    app = cdk.App()
    synthesizer = cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False)
    stack = ExampleStack(app, "SmsVoiceExample", env=ENV, synthesizer=synthesizer)
    return Template.from_stack(stack).to_json()  # type: ignore[no-any-return]


def test_example_requests_a_simulator_number_and_pools_it(
    template: dict[str, Any], snapshot_json: Any
) -> None:
    t = Template.from_json(template)
    t.has_resource_properties(
        "Custom::SmsVoicePhoneNumber",
        {
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberType": "SIMULATOR",
            "NumberCapabilities": ["SMS", "VOICE"],
        },
    )
    number = next(iter(t.find_resources("Custom::SmsVoicePhoneNumber")))
    opt_outs = next(iter(t.find_resources("Custom::SmsVoiceOptOutList")))
    t.has_resource_properties(
        "Custom::SmsVoicePool",
        {
            "OriginationIdentities": [
                Match.object_like({"OriginationIdentity": {"Fn::GetAtt": [number, "PhoneNumberArn"]}})
            ],
            "OptOutListName": {"Fn::GetAtt": [opt_outs, "OptOutListName"]},
        },
    )
    custom = {lid: r for lid, r in template["Resources"].items() if r["Type"].startswith("Custom::")}
    assert custom == snapshot_json


def test_example_template_is_cfn_lint_clean(template: dict[str, Any]) -> None:
    assert cfn_lint_errors(template) == []


def test_example_deploys_and_destroys_against_the_fake(template: dict[str, Any], fake: FakeSmsVoice) -> None:
    stack = Stack(name="SmsVoiceExample")
    stack.deploy(template)
    ((pool_id, pool),) = fake.pools.items()
    (number,) = fake.phone_numbers.values()
    assert number.pool_id == pool_id and pool.opt_out_list == "example-opt-outs"
    assert pool.keywords["JOIN"][1] == "OPT_IN"

    stack.destroy()

    # The pool is deleted (or still letting its number go); the number and the list are retained.
    assert pool_id not in fake.pools or fake.pools[pool_id].status == "DELETING"
    assert list(fake.phone_numbers) == [number.id] and "example-opt-outs" in fake.opt_out_lists
