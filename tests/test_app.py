"""The example app: what `make synth` writes, snapshotted for review and linted with cfn-lint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template
from cfnlint.api import ManualArgs, lint

from smsvoice_cdk.stacks.app import build_app
from tests.synth import ENV


@pytest.fixture(scope="module")
def templates() -> dict[str, dict[str, Any]]:
    """Every stack template of the example app, by stack name (one synth for the module)."""
    app = build_app(
        cdk.App(), env=ENV, synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False)
    )
    assembly = app.synth()
    return {
        stack.stack_name: json.loads(Path(assembly.directory, stack.template_file).read_text())
        for stack in assembly.stacks
    }


def test_the_example_stack_holds_the_opt_out_list(templates: dict[str, dict[str, Any]]) -> None:
    Template.from_json(templates["SmsVoiceExample"]).has_resource(
        "Custom::SmsVoiceOptOutList",
        {"DeletionPolicy": "Retain", "Properties": {"OptOutListName": "example-opt-outs"}},
    )


def test_snapshot(templates: dict[str, dict[str, Any]], snapshot_json: Any) -> None:
    """Review a change here like code: it is the infrastructure diff of the example app."""
    assert templates == snapshot_json


def test_cfn_lint_finds_no_errors(templates: dict[str, dict[str, Any]]) -> None:
    for name, template in templates.items():
        matches = lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"]))
        errors = [f"{m.rule.id} {m.message} ({m.path})" for m in matches if m.rule.severity == "error"]
        assert errors == [], f"{name}: {errors}"
