"""One measured synth in a fresh process: `python -m benchmarks.synth_one ours|l1 N OUTDIR`.

The app gets the context `cdk synth` hands it: cdk.json's feature flags and the CLI's own defaults (path and
asset metadata, version reporting), so it does the work a user's `cdk synth` makes it do.

Prints one JSON line: the peak resident memory of this process and of every process below it (jsii's
Node.js and its launcher, read from /proc before exit, so the figure is what this synth used), and, with
BENCH_COUNT_NODE_CALLS set, how many messages Python sent to Node.js (0 otherwise: timed runs go
through jsii untouched).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from benchmarks.l1_app import build_l1_app
from smsvoice_cdk.constructs.enums import MessageType, NumberCapability, NumberType
from smsvoice_cdk.constructs.tenant import EventDestinationKind, PhoneNumberRequest
from smsvoice_cdk.stacks.app import build_app
from smsvoice_cdk.stacks.tenants import TenantConfig

ENV = cdk.Environment(account="123456789012", region="us-east-1")
CDK_JSON = Path(__file__).resolve().parent.parent / "cdk.json"
# What the CDK CLI (2.1149) puts in CDK_CONTEXT_JSON for `cdk synth` without options.
CLI_CONTEXT: dict[str, Any] = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
    "aws:cdk:version-reporting": True,
    "aws:cdk:bundling-stacks": ["**"],
    "@aws-cdk/core:failSynthOnValidationErrors": False,
}


def synth_context() -> dict[str, Any]:
    """The context `cdk synth` gives the app: cdk.json's, then the CLI's defaults."""
    return {**json.loads(CDK_JSON.read_text())["context"], **CLI_CONTEXT}


def tenants(count: int) -> list[TenantConfig]:
    """The benchmark's tenants: each with a simulator number, a sender ID and all three destinations."""
    return [
        TenantConfig(
            id=f"t{index:04d}",
            iso_country_code="US",
            message_type=MessageType.TRANSACTIONAL,
            phone_numbers=(PhoneNumberRequest(NumberType.SIMULATOR, (NumberCapability.SMS,)),),
            default_sender_id="BENCH",
            event_destinations=tuple(EventDestinationKind),
        )
        for index in range(count)
    ]


def peak_rss_kib(pid: int | str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def descendant_pids(pid: int | str = "self") -> list[str]:
    """Every process below ``pid``: jsii's Node.js runs as a child of its own launcher process."""
    pids: list[str] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            pids += [child, *descendant_pids(child)]
    return pids


def count_node_calls() -> list[int]:
    """Count the messages Python sends to jsii's Node.js: calls, and answers to Node.js's callbacks."""
    from jsii._kernel.providers import process

    counter = [0]
    send = process._NodeProcess.send

    def counting_send(self: Any, request: Any, response_type: Any) -> Any:
        counter[0] += 1
        return send(self, request, response_type)

    process._NodeProcess.send = counting_send  # type: ignore[method-assign]
    return counter


def main() -> None:
    kind, count, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    # Counting is for a separate run: the timed runs go through jsii untouched.
    node_calls = count_node_calls() if os.environ.get("BENCH_COUNT_NODE_CALLS") else [0]
    app = cdk.App(outdir=outdir, context=synth_context())
    if kind == "ours":
        build_app(app, tenants=tenants(count), env=ENV)
    else:
        build_l1_app(app, tenants(count), ENV)
    app.synth()
    memory = peak_rss_kib("self") + sum(peak_rss_kib(pid) for pid in descendant_pids())
    print(json.dumps({"peak_rss_mib": round(memory / 1024, 1), "node_calls": node_calls[0]}))
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: it is not part of synth


if __name__ == "__main__":
    main()
