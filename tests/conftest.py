"""Shared fixtures: the fake service behind the real client, synthesized templates, snapshots."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

REPO = Path(__file__).resolve().parent.parent

# jsii runs on the Node.js that package.json pins (Node 20 prints an end-of-life banner on every run).
_node_bin = REPO / "node_modules" / ".bin"
if _node_bin.is_dir() and str(_node_bin) not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = f"{_node_bin}{os.pathsep}{os.environ.get('PATH', '')}"

# The real boto3 client signs requests: give it credentials that can never reach AWS.
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_REGION="us-east-1",
)
os.environ.pop("AWS_PROFILE", None)

from smsvoice_cdk.custom_resources import aws  # noqa: E402
from tests.fakes import FakeSmsVoice  # noqa: E402


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every delay the handler asks for, recorded instead of slept; the clock advances by it."""
    recorded: list[float] = []
    now = [1000.0]

    def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(aws, "sleep", fake_sleep)
    monkeypatch.setattr(aws, "monotonic", lambda: now[0])
    return recorded


@pytest.fixture
def fake(sleeps: list[float]) -> Iterator[FakeSmsVoice]:
    """A fresh fake service behind a fresh handler client."""
    aws.reset_client()
    aws.reset_rates()
    service = FakeSmsVoice()
    service.install(aws.client())
    yield service
    aws.reset_client()
    aws.reset_rates()


# --- snapshots ----------------------------------------------------------------------------------------
ASSET_HASH = re.compile(r"[0-9a-f]{64}")


def mask_asset_hashes(*, data: Any, path: Any) -> Any:
    return ASSET_HASH.sub("<asset-hash>", data) if isinstance(data, str) else data


@pytest.fixture
def snapshot_json(snapshot: Any) -> Any:
    """JSON snapshots with asset hashes masked: a handler change shows as code, not as a hash."""
    return snapshot.with_defaults(
        extension_class=JSONSnapshotExtension,
        matcher=mask_asset_hashes,
    )


# --- the example app ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def templates() -> dict[str, dict[str, Any]]:
    """Every stack of the example app (tenants.json), by stack name, synthesized once for the session."""
    import json

    import aws_cdk as cdk

    from smsvoice_cdk.stacks.app import build_app
    from smsvoice_cdk.stacks.tenants import load_tenants
    from tests.synth import ENV, app_with_project_context

    app = build_app(
        app_with_project_context(),
        tenants=load_tenants(REPO / "tenants.json"),
        env=ENV,
        synthesizer_factory=cdk.DefaultStackSynthesizer,
    )
    assembly = app.synth()
    return {
        stack.stack_name: json.loads(Path(assembly.directory, stack.template_file).read_text())
        for stack in assembly.stacks
    }
