"""The contract grid: every resource type x request x state before x fault, each cell checked end to end.

Each cell deploys synthesized templates through the real handler and the fake (tests/grid.py explains how
the state and the fault reach exactly the cell's request) and asserts:
- the outcome: success with the physical id the contract promises, or a failure whose message names the
  service's reason (never a failure reported as success);
- the fake's state after: no orphan (a resource made during the cell that neither the stack nor a
  reported failure accounts for), nothing gone that the stack did not delete, no opted-out number lost,
  no deletion protection switched off, and the change itself applied.
The table in docs/reliability.md is generated from the same lists (test_the_documented_grid_is_this_grid).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import RemovalPolicy
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns

from smsvoice_cdk import (
    CloudWatchLogsDestination,
    ConfigurationSet,
    EventDestination,
    EventType,
    MessageType,
    NumberCapability,
    NumberType,
    OptOutList,
    PhoneNumber,
    Pool,
    SenderId,
    SnsDestination,
)
from smsvoice_cdk.custom_resources.contract import MANAGED_TAG_KEY
from tests.cloudformation import Deployed, DeployFailedError
from tests.fakes import FakeSmsVoice
from tests.grid import (
    FAULTS,
    REQUESTS,
    STATES,
    GridStack,
    Ref,
    Scenario,
    counts,
    expected,
    fault_arming,
    inventory,
    markdown_table,
    not_applicable,
    opted_out,
    protect,
    protected,
    remove,
    user_number,
    with_property,
    with_tripwire,
)
from tests.synth import new_stack, simulator_number, template_of

END_USER_OPT_OUT = "+12065550199"
VERSION_TAGS = {"base": {"v": "1"}, "in_place": {"v": "2"}, "replacement": {"v": "1"}}


def tag_version(fake: FakeSmsVoice, arn: str) -> str:
    return fake.tags[arn].get("v", "?")


# --- the six scenarios -----------------------------------------------------------------------------------
def opt_out_list_body(stack: cdk.Stack, variant: str) -> None:
    numbers = ["+12065550100"] + (["+12065550101"] if variant == "in_place" else [])
    OptOutList(
        stack,
        "OptOuts",
        opt_out_list_name="tenant-b" if variant == "replacement" else "tenant-a",
        opted_out_numbers=numbers,
        tags=VERSION_TAGS[variant],
        removal_policy=RemovalPolicy.DESTROY,
    )


def opt_out_list_twin(fake: FakeSmsVoice) -> set[Ref]:
    fake.CreateOptOutList({"OptOutListName": "tenant-a"})
    fake.opt_out_as_end_user("tenant-a", "+12065550777")
    return {("opt-out-list", "tenant-a")}


def phone_number_body(stack: cdk.Stack, variant: str) -> None:
    PhoneNumber(
        stack,
        "Number",
        iso_country_code="CA" if variant == "replacement" else "US",
        message_type=MessageType.TRANSACTIONAL,
        number_type=NumberType.SIMULATOR,
        number_capabilities=[NumberCapability.SMS, NumberCapability.VOICE],
        self_managed_opt_outs=variant == "in_place",
        allow_replacement=variant == "replacement",
        tags=VERSION_TAGS[variant],
        removal_policy=RemovalPolicy.DESTROY,
    )


def phone_number_version(fake: FakeSmsVoice, ref: Ref) -> str:
    number = fake.phone_numbers[ref[1]]
    settings_applied = "2" if number.self_managed_opt_outs else "1"
    return tag_version(fake, number.arn) if tag_version(fake, number.arn) == settings_applied else "mixed"


def sender_id_body(stack: cdk.Stack, variant: str) -> None:
    SenderId(
        stack,
        "Sender",
        sender_id="BRAND2" if variant == "replacement" else "BRAND",
        iso_country_code="DE",
        tags=VERSION_TAGS[variant],
        removal_policy=RemovalPolicy.DESTROY,
    )


def sender_id_twin(fake: FakeSmsVoice) -> set[Ref]:
    fake.RequestSenderId({"SenderId": "BRAND", "IsoCountryCode": "DE"})
    return {("sender-id", "BRAND|DE")}


def sender_id_version(fake: FakeSmsVoice, ref: Ref) -> str:
    sender, country = ref[1].split("|")
    return tag_version(fake, fake.sender_ids[(sender, country)].arn)


def pool_body(stack: cdk.Stack, variant: str) -> None:
    opt_outs = OptOutList(stack, "ListA", opt_out_list_name="lista", removal_policy=RemovalPolicy.DESTROY)
    numbers = [
        simulator_number(stack, f"Number{name}", opt_out_list=opt_outs, removal_policy=RemovalPolicy.DESTROY)
        for name in "ABC"
    ]
    Pool(
        stack,
        "Pool",
        origination_identities=numbers if variant == "in_place" else numbers[:2],
        opt_out_list=opt_outs,
        tags=VERSION_TAGS[variant],
    )


def pool_twin(fake: FakeSmsVoice) -> set[Ref]:
    number = user_number(fake)
    pool = fake.CreatePool({"OriginationIdentity": number[1], "MessageType": "TRANSACTIONAL"})
    return {number, ("pool", str(pool["PoolId"]))}


def pool_message_type_change(template: dict[str, Any]) -> dict[str, Any]:
    """The construct refuses a message type its numbers cannot send at synth time; the handler refuses
    any change of it, since the API cannot update it and a pool is never replaced."""
    (lid,) = [lid for lid, r in template["Resources"].items() if r["Type"] == "Custom::SmsVoicePool"]
    return with_property(template, lid, "MessageType", "PROMOTIONAL")


def pool_version(fake: FakeSmsVoice, ref: Ref) -> str:
    members = len(fake.pool_phone_numbers(ref[1]))
    return (
        tag_version(fake, fake.pool(ref[1]).arn)
        if members == int(tag_version(fake, fake.pool(ref[1]).arn)) + 1
        else "mixed"
    )


def configuration_set_body(stack: cdk.Stack, variant: str) -> None:
    ConfigurationSet(
        stack,
        "Config",
        configuration_set_name="tenant-b" if variant == "replacement" else "tenant-a",
        default_message_type=MessageType.TRANSACTIONAL,
        default_sender_id="BRAND" if variant == "in_place" else None,
        tags=VERSION_TAGS[variant],
    )


def configuration_set_twin(fake: FakeSmsVoice) -> set[Ref]:
    fake.CreateConfigurationSet({"ConfigurationSetName": "tenant-a"})
    return {("configuration-set", "tenant-a")}


def configuration_set_version(fake: FakeSmsVoice, ref: Ref) -> str:
    state = fake.configuration_set(ref[1])
    if state.default_message_type != "TRANSACTIONAL":
        return "defaults missing"
    return "2" if state.default_sender_id == "BRAND" else "1"


USER_SET = "tenant-a"  # the event destinations' set: made outside the stack, imported by name


def event_destination_body(stack: cdk.Stack, variant: str) -> None:
    config_set = ConfigurationSet.from_configuration_set_name(stack, "Config", USER_SET)
    sink: Any = (
        SnsDestination(sns.Topic(stack, "Topic"))
        if variant == "replacement"
        else CloudWatchLogsDestination(logs.LogGroup(stack, "EventLog"))
    )
    EventDestination(
        stack,
        "Logs",
        configuration_set=config_set,
        destination=sink,
        events=[EventType.TEXT_DELIVERED] if variant == "in_place" else [EventType.ALL],
        enabled=variant != "in_place",
        event_destination_name="logs",
    )


def event_destination_world(fake: FakeSmsVoice) -> None:
    fake.CreateConfigurationSet({"ConfigurationSetName": USER_SET})


def event_destination_twin(fake: FakeSmsVoice) -> set[Ref]:
    sink = {
        "IamRoleArn": "arn:aws:iam::123456789012:role/smsvoice-cdk/theirs",
        "LogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:theirs:*",
    }
    fake.CreateEventDestination(
        {
            "ConfigurationSetName": USER_SET,
            "EventDestinationName": "logs",
            "MatchingEventTypes": ["ALL"],
            "CloudWatchLogsDestination": sink,
        }
    )
    return {("event-destination", f"{USER_SET}|logs|CloudWatchLogsDestination")}


def event_destination_version(fake: FakeSmsVoice, ref: Ref) -> str:
    set_name, name, _ = ref[1].split("|")
    destination = fake.event_destination(set_name, name)
    return "1" if destination.enabled and destination.event_types == ["ALL"] else "2"


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "opt_out_list",
            "Custom::SmsVoiceOptOutList",
            opt_out_list_body,
            name_identity=True,
            protection="in_use",
            twin=opt_out_list_twin,
            version=lambda fake, ref: tag_version(fake, fake.opt_out_list(ref[1]).arn),
        ),
        Scenario(
            "phone_number",
            "Custom::SmsVoicePhoneNumber",
            phone_number_body,
            name_identity=False,
            protection="flag",
            rollback_needs_current=True,
            twin=lambda fake: {user_number(fake)},
            version=phone_number_version,
        ),
        Scenario(
            "sender_id",
            "Custom::SmsVoiceSenderId",
            sender_id_body,
            name_identity=True,
            protection="flag",
            twin=sender_id_twin,
            version=sender_id_version,
        ),
        Scenario(
            "pool",
            "Custom::SmsVoicePool",
            pool_body,
            name_identity=False,
            protection="flag",
            edit_replacement=pool_message_type_change,
            refuses_replacement=True,
            twin=pool_twin,
            version=pool_version,
        ),
        Scenario(
            "configuration_set",
            "Custom::SmsVoiceConfigurationSet",
            configuration_set_body,
            name_identity=True,
            protection=None,
            twin=configuration_set_twin,
            version=configuration_set_version,
        ),
        Scenario(
            "event_destination",
            "Custom::SmsVoiceEventDestination",
            event_destination_body,
            name_identity=True,
            protection=None,
            role_calls={
                "create": "CreateEventDestination",
                "update_in_place": "UpdateEventDestination",
                "update_replacement": "CreateEventDestination",
                "rollback_update": "CreateEventDestination",
            },
            recreates_when_gone=True,
            world=event_destination_world,
            twin=event_destination_twin,
            version=event_destination_version,
        ),
    )
}

Templates = dict[tuple[str, str], dict[str, Any]]


@pytest.fixture(scope="module")
def templates() -> Templates:
    """Every scenario's three templates, synthesized in one app (one synth for the whole module)."""
    app = cdk.App()
    stacks: dict[tuple[str, str], cdk.Stack] = {}
    for scenario in SCENARIOS.values():
        for variant in ("base", "in_place", "replacement"):
            if variant == "replacement" and scenario.edit_replacement is not None:
                continue
            stack = new_stack(f"{scenario.name.replace('_', '-')}-{variant.replace('_', '-')}", app)
            scenario.body(stack, variant)
            stacks[(scenario.name, variant)] = stack
    built = {key: template_of(stack) for key, stack in stacks.items()}
    for scenario in SCENARIOS.values():
        if scenario.edit_replacement is not None:
            built[(scenario.name, "replacement")] = scenario.edit_replacement(built[(scenario.name, "base")])
    return built


def logical_id(template: dict[str, Any], resource_type: str) -> str:
    (lid,) = [lid for lid, r in template["Resources"].items() if r["Type"] == resource_type]
    return lid


# --- the cells -------------------------------------------------------------------------------------------
def cells() -> list[Any]:
    params = []
    for name, scenario in SCENARIOS.items():
        for request in REQUESTS:
            for state in STATES:
                for fault in FAULTS:
                    reason = not_applicable(scenario, request, state)
                    marks = [pytest.mark.skip(reason=f"not applicable: {reason}")] if reason else []
                    cell_id = f"{name}-{request}-{state}-{fault}"
                    params.append(pytest.param(name, request, state, fault, id=cell_id, marks=marks))
    return params


@pytest.mark.parametrize(("scenario_name", "request_kind", "state", "fault"), cells())
def test_cell(
    fake: FakeSmsVoice, templates: Templates, scenario_name: str, request_kind: str, state: str, fault: str
) -> None:
    scenario = SCENARIOS[scenario_name]
    family, resource_type = scenario.family, scenario.resource_type
    base = templates[(scenario_name, "base")]
    lid = logical_id(base, resource_type)
    fake.pending_polls = 0
    scenario.world(fake)

    # --- arrange: the stack as it stands before the cell's deploy
    stack = GridStack(target_type=resource_type, fake=fake)
    if request_kind == "delete" and state == "absent":
        # What a failed create leaves: an id that was never a resource of the service.
        props = stack.resolve_properties(base, lid)
        stack.resources[lid] = Deployed("9b1d2e4f-request-id", props, {}, resource_type, None, None)
    elif request_kind != "create":
        stack.deploy(base)
        for name in list(fake.opt_out_lists):  # a recipient replied STOP: a consent record to keep
            fake.opt_out_as_end_user(name, END_USER_OPT_OUT)
    before, numbers_before, protected_before = inventory(fake), opted_out(fake), protected(fake)
    id_before = stack.resources[lid].physical_id if lid in stack.resources else None

    # --- the state and the fault, aimed at the target request
    user_owned: set[Ref] = set()
    removed: set[Ref] = set()
    protected_at_target: set[Ref] = set()

    def before_target(event: dict[str, Any]) -> None:
        target: Ref = (family, str(event.get("PhysicalResourceId", "")))
        if state == "present" and request_kind == "create":
            user_owned.update(scenario.twin(fake))
        elif state == "deletion_protected":
            if request_kind == "create":
                twins = scenario.twin(fake)
                user_owned.update(twins)
                for twin in [t for t in twins if t[0] == family]:
                    user_owned.update(protect(fake, twin))
            else:
                user_owned.update(protect(fake, target))
        elif state == "deleted_out_of_band":
            remove(fake, target)
            removed.add(target)
        protected_at_target.update(protected(fake))

    stack.target_request = {"create": "Create", "delete": "Delete"}.get(request_kind, "Update")
    stack.target_index = 1 if request_kind == "rollback_update" else 0
    stack.before_target = before_target
    stack.arm, stack.disarm = fault_arming(fake, scenario, request_kind, fault)
    stack.half_created = state == "half_created"
    stack.duplicate = fault == "duplicate"
    act: dict[str, Callable[[], None]] = {
        "create": lambda: stack.deploy(base),
        "update_in_place": lambda: stack.deploy(templates[(scenario_name, "in_place")]),
        "update_replacement": lambda: stack.deploy(templates[(scenario_name, "replacement")]),
        "rollback_update": lambda: stack.deploy(
            with_tripwire(
                templates[(scenario_name, "in_place" if scenario.refuses_replacement else "replacement")], lid
            )
        ),
        "delete": stack.destroy,
    }

    # --- act
    failure: DeployFailedError | None = None
    try:
        act[request_kind]()
    except DeployFailedError as err:
        failure = err
    assert stack.hit, "the cell's request was never sent"
    after = inventory(fake)

    # --- the outcome
    want = expected(scenario, request_kind, state, fault)
    if want.success:
        assert failure is None, f"expected success, got: {failure}"
    else:
        assert failure is not None, "expected a failure, the deploy succeeded"
        # A failed rollback is reported after the failure that caused it: CloudFormation shows both.
        reported = " / ".join(str(err) for err in _chain(failure))
        assert any(reason in reported for reason in want.reasons), (want.reasons, reported)
    tracked = stack.resources[lid].physical_id if lid in stack.resources else None
    target = (family, str(stack.target_physical))
    match want.physical:
        case "new":
            assert tracked is not None and tracked != id_before
            assert (family, tracked) in after, f"{tracked} is not a real {family}"
            made = {ref for ref in after - before - user_owned if ref[0] == family}
            assert made == {(family, tracked)}, f"expected exactly one new {family}: {made}"
        case "same":
            assert tracked == id_before
            if want.success:
                assert (family, tracked) in after
        case "forward":
            assert tracked == stack.target_physical
        case "untracked":
            assert tracked is None
        case "deleted":
            assert tracked is None and target not in after
        case "kept":
            assert tracked is None and target in after
    if want.success and tracked is not None and request_kind != "delete":
        version = "2" if request_kind == "update_in_place" else "1"
        assert scenario.version(fake, (family, tracked)) == version, "the change was not applied"
        if family != "event-destination":
            assert fake.tags[_arn(fake, (family, tracked))][MANAGED_TAG_KEY] == "true"

    # --- the fake's state after
    accounted = before | user_owned | stack.tracked() | stack.delete_failed
    if failure is not None:
        # A create whose answer was lost, delivered again and then failing: CloudFormation never learns
        # the id the first delivery made, so nothing can delete it (docs/reliability.md, known limits).
        accounted |= stack.half_made
    orphans = after - accounted
    assert not orphans, f"resources nobody accounts for: {sorted(orphans)}"
    deleted_sets = {ref[1] for ref in stack.deleted if ref[0] == "configuration-set"}
    cascaded = {
        ref for ref in before if ref[0] == "event-destination" and ref[1].split("|")[0] in deleted_sets
    }
    delivered = {target} if request_kind == "delete" else set()  # a Delete that ran, even if it then failed
    lost = before - after - stack.deleted - removed - cascaded - delivered
    assert not lost, f"gone without a Delete: {sorted(lost)}"
    still_opted_out = set().union(*opted_out(fake).values())
    for list_name, numbers in numbers_before.items():
        deliberate = request_kind == "delete" and ("opt-out-list", list_name) in stack.deleted | delivered
        if deliberate or ("opt-out-list", list_name) in removed:
            continue
        assert numbers <= still_opted_out, (
            f"opted-out numbers lost from {list_name}: {numbers - still_opted_out}"
        )
    assert (protected_before | protected_at_target) & after <= protected(fake), "protection switched off"


def _chain(err: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _arn(fake: FakeSmsVoice, ref: Ref) -> str:
    family, resource_id = ref
    match family:
        case "opt-out-list":
            return fake.opt_out_list(resource_id).arn
        case "phone-number":
            return fake.phone_numbers[resource_id].arn
        case "sender-id":
            sender, country = resource_id.split("|")
            return fake.sender_ids[(sender, country)].arn
        case "pool":
            return fake.pool(resource_id).arn
        case "configuration-set":
            return fake.configuration_set(resource_id).arn
    raise ValueError(family)


def test_the_documented_grid_is_this_grid() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "reliability.md").read_text()
    assert markdown_table(list(SCENARIOS.values())) in doc
    runnable, not_applicable_cells = counts(list(SCENARIOS.values()))
    assert f"**{runnable} runnable cells** and **{not_applicable_cells} not applicable**" in doc
