"""cfn-lint over synthesized templates: errors fail a test, warnings are CDK's own style."""

from __future__ import annotations

import json
from typing import Any

from cfnlint.api import ManualArgs, lint


def cfn_lint_errors(template: dict[str, Any]) -> list[str]:
    matches = lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"]))
    return [f"{m.rule.id} {m.message}" for m in matches if m.rule.id.startswith("E")]
