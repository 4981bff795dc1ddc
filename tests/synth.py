"""Building and synthesizing test stacks the same way everywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk.assertions import Template
from constructs import Construct

from smsvoice_cdk import MessageType, NumberCapability, NumberType, PhoneNumber

ENV = cdk.Environment(account="123456789012", region="us-east-1")
CDK_JSON = Path(__file__).resolve().parent.parent / "cdk.json"
# The tests' usual number: one the simulator hands out at once, for US transactional SMS.
SIMULATOR_NUMBER: dict[str, Any] = {
    "iso_country_code": "US",
    "message_type": MessageType.TRANSACTIONAL,
    "number_type": NumberType.SIMULATOR,
    "number_capabilities": [NumberCapability.SMS],
}


def app_with_project_context() -> cdk.App:
    """An app with cdk.json's feature flags, so its templates are what `cdk synth` writes."""
    return cdk.App(context=json.loads(CDK_JSON.read_text())["context"])


def new_stack(name: str = "TestStack", app: cdk.App | None = None) -> cdk.Stack:
    """A stack with a fixed env and no bootstrap-version rule, so snapshots only show our resources."""
    app = app or cdk.App()
    synthesizer = cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False)
    return cdk.Stack(app, name, env=ENV, synthesizer=synthesizer)


def template_of(stack: cdk.Stack) -> dict[str, Any]:
    return Template.from_stack(stack).to_json()  # type: ignore[no-any-return]


def build(body: Callable[[cdk.Stack], Any], name: str = "TestStack") -> dict[str, Any]:
    """Synthesize a stack that ``body`` fills and return its template."""
    stack = new_stack(name)
    body(stack)
    return template_of(stack)


def logical_id(template: dict[str, Any], resource_type: str, index: int = 0) -> str:
    ids = sorted(lid for lid, r in template["Resources"].items() if r["Type"] == resource_type)
    return ids[index]


def simulator_number(scope: Construct, id: str = "Number", **props: Any) -> PhoneNumber:
    """A ``PhoneNumber`` with ``SIMULATOR_NUMBER``'s settings, ``props`` added or overriding them."""
    return PhoneNumber(scope, id, **{**SIMULATOR_NUMBER, **props})
