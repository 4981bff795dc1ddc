"""cfn-lint on synthesized templates: errors only."""

from __future__ import annotations

import json
from typing import Any

from cfnlint.api import ManualArgs, lint


def cfn_lint_errors(template: dict[str, Any]) -> list[str]:
    matches = lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"]))
    return [
        f"{m.rule.id} {m.message} ({'/'.join(map(str, m.path))})"
        for m in matches
        if m.rule.id.startswith("E")
    ]
