"""One measured synth in a fresh process: `python -m benchmarks.synth_one ours|l1 N OUTDIR`.

Prints one JSON line: the peak resident memory of this process and of the jsii Node.js process (both
read from /proc before exit, so the figure is what this synth used, not a running maximum).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import aws_cdk as cdk

from benchmarks.l1_app import build_l1_app
from smsvoice_cdk.constructs.enums import MessageType, NumberCapability, NumberType
from smsvoice_cdk.constructs.tenant import EventDestinationKind, PhoneNumberRequest
from smsvoice_cdk.stacks.app import build_app
from smsvoice_cdk.stacks.tenants import TenantConfig

ENV = cdk.Environment(account="123456789012", region="us-east-1")


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


def child_pids() -> list[str]:
    pids: list[str] = []
    for task in Path("/proc/self/task").iterdir():
        pids += (task / "children").read_text().split()
    return pids


def main() -> None:
    kind, count, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    app = cdk.App(outdir=outdir)
    if kind == "ours":
        build_app(app, tenants=tenants(count), env=ENV)
    else:
        build_l1_app(app, tenants(count), ENV)
    app.synth()
    memory = peak_rss_kib("self") + sum(peak_rss_kib(pid) for pid in child_pids())
    print(json.dumps({"peak_rss_mib": round(memory / 1024, 1)}))
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: it is not part of synth


if __name__ == "__main__":
    main()
