"""cdk-nag AwsSolutions over the example app: no finding left unacknowledged, each acknowledgment narrow.

Kept out of the snapshot fixtures: a finding here must not break an unrelated snapshot.
"""

from __future__ import annotations

import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from cdk_nag import AwsSolutionsChecks

from smsvoice_cdk.stacks.app import build_app
from smsvoice_cdk.stacks.tenants import load_tenants
from tests.synth import ENV, app_with_project_context
from tests.test_app import REPO

# Rules that can report several findings on one resource: their acknowledgments must name the finding.
GRANULAR_RULES = ("IAM4", "IAM5")


def nagged_app() -> cdk.App:
    app = app_with_project_context()
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return build_app(app, tenants=load_tenants(REPO / "tenants.json"), env=ENV)


@pytest.fixture(scope="module")
def acknowledgments() -> list[tuple[str, str, str]]:
    app = nagged_app()
    app.synth()  # raises with the report if any finding is not acknowledged
    found = []
    for construct in app.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
                found += [(construct.node.path, rule, reason) for rule, reason in dict(entry.data).items()]
    return found


def test_the_example_app_has_no_unacknowledged_finding(acknowledgments: list[tuple[str, str, str]]) -> None:
    assert acknowledgments  # the synth above passed the AwsSolutions checks


def test_each_acknowledgment_covers_one_finding_on_one_resource_and_says_why(
    acknowledgments: list[tuple[str, str, str]],
) -> None:
    for path, rule, reason in acknowledgments:
        assert path.endswith("/Resource"), f"{rule} is acknowledged on {path}, not on one resource"
        match = re.fullmatch(r"AwsSolutions::AwsSolutions-([A-Z]+\d+)(\[.+\])?", rule)
        assert match, rule
        if match.group(1) in GRANULAR_RULES:
            assert match.group(2), f"{rule} on {path} would cover every finding of the rule"
        assert len(reason) > 40, f"{rule} on {path} needs a reason"
    assert len({(p, r) for p, r, _ in acknowledgments}) == len(acknowledgments)


def test_a_new_finding_fails_the_check() -> None:
    app = nagged_app()
    stack = app.node.find_child("SmsVoice-acme")
    role = iam.Role(stack, "TooBroad", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["sms-voice:*"], resources=["*"]))
    with pytest.raises(Exception, match=r"AwsSolutions-IAM5") as raised:
        app.synth()
    report: Any = str(raised.value)
    assert "SmsVoice-acme/TooBroad" in report
