"""EventType must hold every value of the service model's enum, and nothing the model lacks."""

from __future__ import annotations

import botocore.session

from smsvoice_cdk import EventType

MODEL = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")


def model_event_types() -> set[str]:
    return set(MODEL.shape_for("EventType").enum)


def test_every_model_event_type_is_in_the_enum() -> None:
    missing = model_event_types() - {e.value for e in EventType}
    assert not missing, f"EventType lacks {sorted(missing)}: add them to smsvoice_cdk/constructs/enums.py"


def test_the_enum_has_no_value_the_model_lacks() -> None:
    extra = {e.value for e in EventType} - model_event_types()
    assert not extra, f"EventType has {sorted(extra)}, which the API model does not know"


def test_members_are_named_after_their_values() -> None:
    assert all(member.name == member.value for member in EventType)


def test_a_destination_accepts_as_many_event_types_as_the_model_has() -> None:
    shape = MODEL.operation_model("CreateEventDestination").input_shape.members["MatchingEventTypes"]
    assert shape.metadata["max"] >= len(EventType) - 1  # every type but TEXT_SENT fits in one destination
