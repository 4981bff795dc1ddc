"""The contract grid's machinery: one scenario per resource type, a CloudFormation that can hit exactly one
request with a state change and a fault, and the invariants every cell checks afterwards.

A cell is (resource type, request, state before, fault). The request is the one CloudFormation request the
cell is about (the *target*); the other requests of the deploy (the resources it depends on, the forward
update before a rollback) run as usual. Right before the target is sent:
- the state is set up: a twin of the same identity made outside the stack (``present``), the resource
  removed from the fake behind the stack's back (``deleted_out_of_band``), its deletion protection turned
  on (``deletion_protected``), or the target's ``on_event`` run once on its own, as when the Lambda that
  polls ``is_complete`` dies and the request is delivered again (``half_created``);
- the fault is armed: it hits the target's own calls and is disarmed when the target is answered.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from smsvoice_cdk.custom_resources import index
from tests.cloudformation import Deployed, DeployFailedError, Stack
from tests.fakes import FakeSmsVoice

REQUESTS = ("create", "update_in_place", "update_replacement", "rollback_update", "delete")
STATES = ("absent", "present", "half_created", "deleted_out_of_band", "deletion_protected")
FAULTS = ("none", "throttling", "server_error", "iam_propagation", "duplicate")

# A resource as the grid counts it: (family, physical id in the handler's own format).
Ref = tuple[str, str]

FAMILY = {
    "Custom::SmsVoiceOptOutList": "opt-out-list",
    "Custom::SmsVoicePhoneNumber": "phone-number",
    "Custom::SmsVoiceSenderId": "sender-id",
    "Custom::SmsVoicePool": "pool",
    "Custom::SmsVoiceConfigurationSet": "configuration-set",
    "Custom::SmsVoiceEventDestination": "event-destination",
}
# Families whose physical id is the name the user gave.
NAMED_BY_ID = frozenset({"opt-out-list", "configuration-set"})

# The tripwire: a resource after the target whose create fails, so that CloudFormation rolls back.
TRIPWIRE = "Tripwire"
TRIPWIRE_REASON = "FIELD_VALIDATION_FAILED"
IAM_REASON = "RESOURCE_NOT_ACCESSIBLE"


def inventory(fake: FakeSmsVoice) -> set[Ref]:
    """Every resource in the fake, named the way the handler names its physical ids."""
    refs: set[Ref] = {("opt-out-list", name) for name in fake.opt_out_lists}
    refs |= {("phone-number", number_id) for number_id in fake.phone_numbers}
    refs |= {("sender-id", f"{sender}|{country}") for sender, country in fake.sender_ids}
    refs |= {("pool", p.id) for p in fake.pools.values() if p.status != "DELETING"}
    for config_set in fake.configuration_sets.values():
        refs.add(("configuration-set", config_set.name))
        refs |= {
            ("event-destination", f"{config_set.name}|{d.name}|{d.sink_type}")
            for d in config_set.destinations.values()
        }
    return refs


def opted_out(fake: FakeSmsVoice) -> dict[str, set[str]]:
    return {name: set(state.numbers) for name, state in fake.opt_out_lists.items()}


def protected(fake: FakeSmsVoice) -> set[Ref]:
    refs: set[Ref] = {("phone-number", n.id) for n in fake.phone_numbers.values() if n.deletion_protection}
    refs |= {
        ("sender-id", f"{s.sender_id}|{s.iso_country_code}")
        for s in fake.sender_ids.values()
        if s.deletion_protection
    }
    refs |= {("pool", p.id) for p in fake.pools.values() if p.deletion_protection}
    return refs


# --- scenarios --------------------------------------------------------------------------------------------
@dataclass
class Scenario:
    """How the grid drives one resource type."""

    name: str
    resource_type: str
    # Fills a stack with the resource: variant "base" (the first deploy), "in_place" (a change made in
    # place) or "replacement" (a change that replaces it).
    body: Callable[[Any, str], None]
    # Another resource of the same identity collides with the stack's create (True) or not (False).
    name_identity: bool
    # What stops the service deleting one: "flag" (DeletionProtectionEnabled), "in_use" (a number uses
    # the list), None (the API has nothing).
    protection: str | None
    # The template change is applied to the base template instead of synthesized (a change the
    # constructs refuse at synth time, which the handler must refuse too).
    edit_replacement: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # The one call of each request that hands the service a role: the only call IAM propagation waits for.
    role_calls: dict[str, str] = field(default_factory=dict)
    # Never replaced: a change that would need a new one is refused (a pool).
    refuses_replacement: bool = False
    # The rollback of a replacement finds the resource to return to through the one it rolls back from
    # (a phone number's id says nothing of the number it replaced): if that one is gone, it fails.
    rollback_needs_current: bool = False
    # An update of a resource deleted out of band makes it again instead of failing.
    recreates_when_gone: bool = False
    # The world outside the stack that the templates import (made before each cell).
    world: Callable[[FakeSmsVoice], None] = lambda fake: None
    # Makes a resource of the same identity outside the stack; returns what it made.
    twin: Callable[[FakeSmsVoice], set[Ref]] = lambda fake: set()
    # "1" or "2": which template's settings the resource carries (base and replacement "1", in_place "2").
    version: Callable[[FakeSmsVoice, Ref], str] = lambda fake, ref: "1"

    @property
    def family(self) -> str:
        return FAMILY[self.resource_type]


def remove(fake: FakeSmsVoice, ref: Ref) -> None:
    """Delete a resource behind the stack's back (in the console, say)."""
    family, resource_id = ref
    match family:
        case "opt-out-list":
            fake.tags.pop(fake.opt_out_lists.pop(resource_id).arn, None)
        case "phone-number":
            fake.tags.pop(fake.phone_numbers.pop(resource_id).arn, None)
        case "sender-id":
            sender, country = resource_id.split("|")
            fake.tags.pop(fake.sender_ids.pop((sender, country)).arn, None)
            for pool in fake.pools.values():
                pool.sender_ids.discard((sender, country))
        case "pool":
            for number in fake.pool_phone_numbers(resource_id):
                number.pool_id = None
            fake.tags.pop(fake.pools.pop(resource_id).arn, None)
        case "configuration-set":
            fake.tags.pop(fake.configuration_sets.pop(resource_id).arn, None)
        case "event-destination":
            set_name, name, _ = resource_id.split("|")
            del fake.configuration_sets[set_name].destinations[name]


def user_number(fake: FakeSmsVoice, **extra: Any) -> Ref:
    """A phone number the user requested outside the stack."""
    created = fake.RequestPhoneNumber(
        {
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberCapabilities": ["SMS"],
            "NumberType": "SIMULATOR",
            **extra,
        }
    )
    return ("phone-number", str(created["PhoneNumberId"]))


def protect(fake: FakeSmsVoice, ref: Ref) -> set[Ref]:
    """Turn on what stops the service deleting the resource; returns what that made outside the stack."""
    family, resource_id = ref
    match family:
        case "phone-number":
            fake.phone_numbers[resource_id].deletion_protection = True
        case "sender-id":
            sender, country = resource_id.split("|")
            fake.sender_ids[(sender, country)].deletion_protection = True
        case "pool":
            fake.pool(resource_id).deletion_protection = True
        case "opt-out-list":
            # A list has no deletion protection: the service refuses to delete one that a number uses.
            return {user_number(fake, OptOutListName=resource_id)}
        case _:
            raise ValueError(f"{family} has no deletion protection")
    return set()


# --- applicability and expectations ----------------------------------------------------------------------
def not_applicable(scenario: Scenario, request: str, state: str) -> str | None:
    """Why CloudFormation can never send this request in this state, or None when it can."""
    if state == "absent" and request in ("update_in_place", "update_replacement", "rollback_update"):
        return (
            "CloudFormation sends Update only for a resource it created; for one it has not, it sends Create"
        )
    if state == "deleted_out_of_band" and request == "create":
        return "a resource the stack has not created yet cannot be deleted behind its back (that is 'absent')"
    if state == "deletion_protected" and scenario.protection is None:
        return f"the API has no deletion protection for {scenario.family}s"
    return None


@dataclass(frozen=True)
class Expected:
    success: bool
    # For a failure: substrings any one of which the failure's message must contain.
    reasons: tuple[str, ...] = ()
    # The stack's physical id after, compared with the one before the cell's deploy ("before") and the one
    # the target request carried ("target"):
    # "new": another real id, the one new resource of its type; "same": the id before (rolled back to it,
    # or updated in place); "forward": the target's (a rollback that failed); "untracked": none (a failed
    # create); "deleted": none, and the resource is gone; "kept": none, and the resource is still there.
    physical: str = "same"


def expected(scenario: Scenario, request: str, state: str, fault: str) -> Expected:
    """What the cell must end in. Throttling, server errors and a duplicate delivery change nothing."""
    if (
        fault == "iam_propagation"
        and request not in scenario.role_calls
        and _makes_calls(scenario, request, state)
    ):
        # Only a call that passes a role waits for IAM; anywhere else the reason is reported at once.
        physical = {
            "create": "untracked",
            "update_in_place": "same",
            "update_replacement": "same",
            "rollback_update": "forward",
            "delete": "kept" if state in ("present", "deletion_protected") else "untracked",
        }[request]
        return Expected(False, (IAM_REASON,), physical)
    return _expected_without_fault(scenario, request, state)


def _makes_calls(scenario: Scenario, request: str, state: str) -> bool:
    """Every request calls the service, but the Delete of an id that was never a resource's. A list's or a
    set's id is its name, and an id that could be a name is tried (the service says it is not there)."""
    if request == "update_replacement" and scenario.refuses_replacement:
        return False  # refused before any call
    return not (request == "delete" and state == "absent") or scenario.family in NAMED_BY_ID


def protection_reasons(scenario: Scenario) -> tuple[str, ...]:
    return (
        ("DELETION_PROTECTION_ENABLED",)
        if scenario.protection == "flag"
        else ("RESOURCE_DELETION_NOT_ALLOWED",)
    )


def _expected_without_fault(scenario: Scenario, request: str, state: str) -> Expected:
    match request:
        case "create":
            if state in ("present", "deletion_protected") and scenario.name_identity:
                return Expected(False, ("RESOURCE_ALREADY_EXISTS",), "untracked")
            return Expected(True, physical="new")
        case "update_in_place":
            if state == "deleted_out_of_band" and not scenario.recreates_when_gone:
                return Expected(False, ("ResourceNotFoundException",))
            return Expected(True)
        case "update_replacement":
            if scenario.refuses_replacement:
                return Expected(False, ("cannot change",))
            if state == "deletion_protected":
                # The new resource is made; CloudFormation's clean-up cannot delete the protected old one.
                return Expected(False, protection_reasons(scenario), "new")
            return Expected(True, physical="new")
        case "rollback_update":
            if state == "deleted_out_of_band" and scenario.refuses_replacement:
                # A pool is updated in place: rolling back a pool that is gone finds nothing to update.
                return Expected(False, ("ResourceNotFoundException",))
            if state == "deleted_out_of_band" and scenario.rollback_needs_current:
                # Nothing says which number to return to: the rollback fails and says what it refused.
                return Expected(False, ("cannot be done in place",), "forward")
            reasons: tuple[str, ...] = (TRIPWIRE_REASON,)
            if state == "deletion_protected" and not scenario.refuses_replacement:
                # Rolled back to the old resource; the clean-up cannot delete the protected new one.
                reasons = protection_reasons(scenario)
            return Expected(False, reasons)
        case "delete":
            if state == "deletion_protected":
                return Expected(False, protection_reasons(scenario), "kept")
            return Expected(True, physical="deleted")
    raise ValueError(request)


# --- the CloudFormation that aims at one request --------------------------------------------------------
@dataclass
class GridStack(Stack):
    """A Stack that applies the cell's state and fault to its target request and keeps the books."""

    target_type: str = ""
    target_request: str = ""
    target_index: int = 0
    before_target: Callable[[dict[str, Any]], None] = lambda event: None
    arm: Callable[[], None] = lambda: None
    disarm: Callable[[], None] = lambda: None
    half_created: bool = False
    duplicate: bool = False
    fake: FakeSmsVoice | None = None
    seen: int = 0
    hit: bool = False
    target_physical: str | None = None
    # What the target's lone on_event made (half_created): the stack only learns of it if the full
    # delivery after it answers.
    half_made: set[Ref] = field(default_factory=set)
    deleted: set[Ref] = field(default_factory=set)
    delete_failed: set[Ref] = field(default_factory=set)

    def send(self, event: dict[str, Any]) -> dict[str, Any]:
        is_target = False
        if event["ResourceType"] == self.target_type and event["RequestType"] == self.target_request:
            is_target = self.seen == self.target_index
            self.seen += 1
        family = FAMILY[event["ResourceType"]]
        try:
            response = self._send_target(event) if is_target else super().send(event)
        except DeployFailedError:
            if event["RequestType"] == "Delete":
                self.delete_failed.add((family, event["PhysicalResourceId"]))
            raise
        if event["RequestType"] == "Delete":
            self.deleted.add((family, event["PhysicalResourceId"]))
        return response

    def _send_target(self, event: dict[str, Any]) -> dict[str, Any]:
        self.hit = True
        self.target_physical = event.get("PhysicalResourceId")
        self.before_target(event)
        if self.half_created:
            fake_before = inventory(self.fake) if self.fake is not None else set()
            # on_event ran, then the Lambda polling is_complete died: the request comes again (an error
            # here is met again by the delivery below, which reports it)
            with contextlib.suppress(Exception):
                index.on_event(copy.deepcopy(event))  # type: ignore[arg-type]
            if self.fake is not None:
                self.half_made = inventory(self.fake) - fake_before
        self.arm()
        try:
            if self.duplicate:
                Stack.send(self, event)
            return Stack.send(self, event)
        finally:
            self.disarm()

    def tracked(self) -> set[Ref]:
        return {(FAMILY[r.resource_type], r.physical_id) for r in self.resources.values()}


def with_tripwire(template: dict[str, Any], after: str) -> dict[str, Any]:
    """``template`` plus a resource, created after ``after``, whose create the service refuses."""
    tripped = copy.deepcopy(template)
    service_token = template["Resources"][after]["Properties"]["ServiceToken"]
    tripped["Resources"][TRIPWIRE] = {
        "Type": "Custom::SmsVoiceOptOutList",
        "Properties": {"ServiceToken": service_token, "OptOutListName": "trip wire!"},
        "DependsOn": [after],
    }
    return tripped


def with_property(template: dict[str, Any], logical_id: str, key: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(template)
    changed["Resources"][logical_id]["Properties"][key] = value
    return changed


def fault_arming(
    fake: FakeSmsVoice, scenario: Scenario, request: str, fault: str
) -> tuple[Callable[[], None], Callable[[], None]]:
    def arm() -> None:
        match fault:
            case "throttling":
                fake.fail("ThrottlingException", count=3, message="Rate exceeded")
            case "server_error":
                fake.fail("InternalServerException", count=2, message="Internal failure")
            case "iam_propagation":
                role_call = scenario.role_calls.get(request)
                fake.fail(
                    "ValidationException",
                    operation=role_call,
                    count=2 if role_call else 1,
                    reason=IAM_REASON,
                    message="Could not assume IAM role arn:aws:iam::123456789012:role/smsvoice-cdk/events",
                )

    def disarm() -> None:
        for armed in fake.faults:
            armed.count = 0

    return arm, disarm


__all__ = [
    "FAULTS",
    "REQUESTS",
    "STATES",
    "Deployed",
    "Expected",
    "GridStack",
    "Scenario",
    "expected",
    "not_applicable",
]


# --- the table in docs/reliability.md ----------------------------------------------------------------------
def describe(want: Expected, request: str) -> str:
    if want.success:
        return {"new": "ok, new id", "same": "ok, same id", "deleted": "ok, gone"}[want.physical]
    reasons = " or ".join(f"`{reason}`" for reason in want.reasons)
    if request == "rollback_update" and want.physical == "same":
        # The deploy fails by design (the tripwire); what matters is that the rollback succeeds.
        return (
            "rolled back, old id"
            if want.reasons == (TRIPWIRE_REASON,)
            else f"rolled back; clean-up fails: {reasons}"
        )
    if request == "update_replacement" and want.physical == "new":
        return f"new id; clean-up of the old fails: {reasons}"
    return f"fails: {reasons}"


def markdown_table(scenarios: list[Scenario]) -> str:
    """One row per resource type and request, one column per state: what the cell must end in without a
    fault (throttling, server errors and a duplicate delivery must end the same)."""
    lines = [
        "| resource type | request | " + " | ".join(STATES) + " |",
        "|---|---|" + "---|" * len(STATES),
    ]
    for scenario in scenarios:
        for request in REQUESTS:
            cells = []
            for state in STATES:
                reason = not_applicable(scenario, request, state)
                want = _expected_without_fault(scenario, request, state)
                cells.append("n/a" if reason else describe(want, request))
            lines.append(f"| {scenario.family} | {request} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def counts(scenarios: list[Scenario]) -> tuple[int, int]:
    """(runnable cells, not-applicable cells)."""
    cells = [(s, r, st) for s in scenarios for r in REQUESTS for st in STATES]
    skipped = sum(len(FAULTS) for s, r, st in cells if not_applicable(s, r, st))
    return len(cells) * len(FAULTS) - skipped, skipped
