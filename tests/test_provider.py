"""SmsVoiceProvider: handler asset, role scope, timeouts, one per stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template

from smsvoice_cdk import OptOutList, SmsVoiceProvider
from smsvoice_cdk.constructs.provider import PACKAGE_DIR
from tests.synth import build, new_stack, template_of


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return build(lambda stack: OptOutList(stack, "OptOuts"))


def handler_functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        lid: r
        for lid, r in template["Resources"].items()
        if r["Type"] == "AWS::Lambda::Function" and r["Properties"]["Handler"].startswith("custom_resources.")
    }


def handler_policy(template: dict[str, Any]) -> list[dict[str, Any]]:
    role = next(
        lid
        for lid, r in template["Resources"].items()
        if r["Type"] == "AWS::IAM::Role" and "HandlerRole" in lid
    )
    policy = next(
        r
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy" and {"Ref": role} in r["Properties"]["Roles"]
    )
    return policy["Properties"]["PolicyDocument"]["Statement"]  # type: ignore[no-any-return]


def test_handlers_run_python_3_13_from_the_package_asset(template: dict[str, Any]) -> None:
    functions = handler_functions(template)
    assert sorted(f["Properties"]["Handler"] for f in functions.values()) == [
        "custom_resources.index.is_complete",
        "custom_resources.index.on_event",
    ]
    assert {f["Properties"]["Runtime"] for f in functions.values()} == {"python3.13"}


def test_asset_holds_only_the_handler_and_no_caches(tmp_path: Path) -> None:
    stray = PACKAGE_DIR / "custom_resources" / "__pycache__" / "stray.cpython-313.pyc"
    stray.parent.mkdir(exist_ok=True)
    before = build(lambda stack: OptOutList(stack, "OptOuts"))
    stray.write_bytes(b"changes nothing")
    try:
        after = build(lambda stack: OptOutList(stack, "OptOuts"))
    finally:
        stray.unlink()
    keys = [f["Properties"]["Code"]["S3Key"] for f in handler_functions(before).values()]
    assert keys == [f["Properties"]["Code"]["S3Key"] for f in handler_functions(after).values()]

    stack = new_stack()
    OptOutList(stack, "OptOuts")
    assembly = stack.node.root.synth()  # type: ignore[attr-defined]
    manifest = json.loads(Path(assembly.directory, "TestStack.assets.json").read_text())
    asset_dirs = [Path(assembly.directory, a["source"]["path"]) for a in manifest["files"].values()]
    handler_dir = next(d for d in asset_dirs if (d / "custom_resources").is_dir())
    files = sorted(str(p.relative_to(handler_dir)) for p in handler_dir.rglob("*") if p.is_file())
    assert "custom_resources/index.py" in files
    assert all(f.startswith("custom_resources/") and f.endswith(".py") for f in files), files


def test_handler_role_has_no_service_wildcard(template: dict[str, Any]) -> None:
    for statement in handler_policy(template):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert not any(a in ("*", "sms-voice:*") or a.endswith(":*") for a in actions), statement


def test_creates_without_resource_level_permissions_need_the_managed_request_tag(
    template: dict[str, Any],
) -> None:
    for statement in handler_policy(template):
        if statement.get("Resource") == "*":
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            creates = [a for a in actions if ":Create" in a or ":Request" in a]
            if creates:
                assert statement["Condition"] == {
                    "StringEquals": {"aws:RequestTag/smsvoice-cdk:managed": "true"}
                }
            else:
                assert all(":Describe" in a or ":List" in a for a in actions), statement


def test_pass_role_only_to_the_service_and_only_for_its_roles(template: dict[str, Any]) -> None:
    passes = [s for s in handler_policy(template) if s["Action"] == "iam:PassRole"]
    assert len(passes) == 1
    assert passes[0]["Condition"] == {"StringEquals": {"iam:PassedToService": "sms-voice.amazonaws.com"}}
    assert "role/smsvoice-cdk/*" in json.dumps(passes[0]["Resource"])


def test_waits_end_well_inside_cloudformations_hour(template: dict[str, Any]) -> None:
    machine = next(
        r for r in template["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"
    )
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    definition = json.loads("".join(p if isinstance(p, str) else "token" for p in parts))
    retry = definition["States"][definition["StartAt"]]["Retry"][0]
    assert retry["IntervalSeconds"] * (retry["MaxAttempts"] + 1) <= 46 * 60


def test_log_group_has_retention(template: dict[str, Any]) -> None:
    Template.from_json(template).has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})
    log_group = next(lid for lid, r in template["Resources"].items() if r["Type"] == "AWS::Logs::LogGroup")
    for function in handler_functions(template).values():
        assert function["Properties"]["LoggingConfig"]["LogGroup"] == {"Ref": log_group}


def test_provider_of_finds_the_one_provider_of_a_stack() -> None:
    stack = new_stack()
    assert SmsVoiceProvider.of(stack) is SmsVoiceProvider.of(stack)
    OptOutList(stack, "A")
    Template.from_json(template_of(stack)).resource_count_is("AWS::StepFunctions::StateMachine", 1)
