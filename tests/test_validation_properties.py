"""Synth-time validation, as properties: valid values construct, invalid ones raise SmsVoiceValidationError
naming the property, and nothing the constructs accept would be refused by the service's own model (an
error that would only surface at deploy)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import botocore.session
import pytest
from aws_cdk import aws_logs as logs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smsvoice_cdk import (
    CloudWatchLogsDestination,
    ConfigurationSet,
    EventType,
    Keyword,
    OptOutList,
    SenderId,
    SmsVoiceValidationError,
)
from tests.synth import new_stack, simulator_number

MODEL = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")
EXAMPLES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)


def service_accepts(operation: str, member: str, value: str) -> bool:
    """What the service model says of a value: its length and pattern (botocore checks neither)."""
    shape = MODEL.operation_model(operation).input_shape.members[member]
    low, high, pattern = (
        shape.metadata.get("min", 0),
        shape.metadata.get("max"),
        shape.metadata.get("pattern"),
    )
    if len(value) < low or (high is not None and len(value) > high):
        return False
    return pattern is None or re.fullmatch(pattern, value) is not None


def raises_for(prop: str, build: Callable[[Any], object]) -> SmsVoiceValidationError:
    with pytest.raises(SmsVoiceValidationError) as raised:
        build(new_stack())
    assert raised.value.prop.split("[")[0].split(".")[0] == prop, raised.value.prop
    return raised.value


def not_matching(pattern: str, **text: Any) -> st.SearchStrategy[str]:
    return st.text(**text).filter(lambda value: re.fullmatch(pattern, value) is None)


NAME = r"[A-Za-z0-9_-]{1,64}"
E164 = r"\+[1-9][0-9]{1,14}"
SENDER_ID = r"[A-Za-z0-9_-]{1,11}"


# --- names -------------------------------------------------------------------------------------------------
@EXAMPLES
@given(st.from_regex(NAME, fullmatch=True))
def test_valid_names_construct_and_the_service_accepts_them(name: str) -> None:
    stack = new_stack()
    OptOutList(stack, "OptOuts", opt_out_list_name=name)
    ConfigurationSet(stack, "Config", configuration_set_name=name)
    assert service_accepts("CreateOptOutList", "OptOutListName", name)
    assert service_accepts("CreateConfigurationSet", "ConfigurationSetName", name)


@EXAMPLES
@given(not_matching(NAME, max_size=80))
def test_invalid_names_raise_naming_the_property(name: str) -> None:
    raises_for("opt_out_list_name", lambda stack: OptOutList(stack, "OptOuts", opt_out_list_name=name))
    raises_for(
        "configuration_set_name", lambda stack: ConfigurationSet(stack, "Config", configuration_set_name=name)
    )


# --- phone numbers -----------------------------------------------------------------------------------------
@EXAMPLES
@given(st.lists(st.from_regex(E164, fullmatch=True), max_size=5, unique=True))
def test_valid_e164_numbers_construct_and_the_service_accepts_them(numbers: list[str]) -> None:
    OptOutList(new_stack(), "OptOuts", opt_out_list_name="tenant-a", opted_out_numbers=numbers)
    assert all(service_accepts("PutOptedOutNumber", "OptedOutNumber", n) for n in numbers)


@EXAMPLES
@given(
    st.one_of(
        not_matching(E164, max_size=20),
        st.from_regex(r"[1-9][0-9]{6,14}", fullmatch=True),  # no '+': not E.164
        st.from_regex(r"\+[1-9][0-9]{15,18}", fullmatch=True),  # more than 15 digits
        st.from_regex(r"\+0[0-9]{1,14}", fullmatch=True),  # no country code starts with 0
    )
)
def test_invalid_numbers_raise_naming_the_property(bad: str) -> None:
    error = raises_for(
        "opted_out_numbers",
        lambda stack: OptOutList(stack, "OptOuts", opted_out_numbers=["+12065550100", bad]),
    )
    assert error.value == bad


@EXAMPLES
@given(st.from_regex(E164, fullmatch=True))
def test_a_number_listed_twice_raises_naming_the_property(repeated: str) -> None:
    raises_for("opted_out_numbers", lambda stack: OptOutList(stack, "O", opted_out_numbers=[repeated] * 2))


# --- sender IDs --------------------------------------------------------------------------------------------
@EXAMPLES
@given(st.from_regex(SENDER_ID, fullmatch=True))
def test_valid_sender_ids_construct_and_the_service_accepts_them(sender_id: str) -> None:
    stack = new_stack()
    SenderId(stack, "Sender", sender_id=sender_id, iso_country_code="DE")
    ConfigurationSet(stack, "Config", default_sender_id=sender_id)
    assert service_accepts("RequestSenderId", "SenderId", sender_id)


@EXAMPLES
@given(not_matching(SENDER_ID, max_size=20))
def test_invalid_sender_ids_raise_naming_the_property(sender_id: str) -> None:
    raises_for(
        "sender_id", lambda stack: SenderId(stack, "Sender", sender_id=sender_id, iso_country_code="DE")
    )
    raises_for(
        "default_sender_id", lambda stack: ConfigurationSet(stack, "Config", default_sender_id=sender_id)
    )


# --- keywords ----------------------------------------------------------------------------------------------
KEYWORD_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30)
MESSAGE_TEXT = st.text(min_size=1, max_size=1600).filter(lambda message: message.strip() != "")


@EXAMPLES
@given(KEYWORD_TEXT.filter(lambda k: re.fullmatch(r"[ \S]{1,30}", k) is not None), MESSAGE_TEXT)
def test_valid_keywords_construct_and_the_service_accepts_them(keyword: str, message: str) -> None:
    simulator_number(new_stack(), keywords=[Keyword(keyword, message=message)])
    assert service_accepts("PutKeyword", "Keyword", keyword)
    assert service_accepts("PutKeyword", "KeywordMessage", message)


@EXAMPLES
@given(
    st.one_of(
        st.just(""),
        st.text(min_size=31, max_size=40).filter(lambda k: "\n" not in k),
        st.text(min_size=1, max_size=30).filter(lambda k: re.search(r"[^ \S]", k) is not None),
    )
)
def test_invalid_keywords_raise_naming_the_property(keyword: str) -> None:
    raises_for(
        "keywords", lambda stack: simulator_number(stack, keywords=[Keyword(keyword, message="hello")])
    )


@EXAMPLES
@given(
    st.one_of(st.just(""), st.text(" \t\n", min_size=1, max_size=20), st.text(min_size=1601, max_size=1700))
)
def test_invalid_keyword_messages_raise_naming_the_property(message: str) -> None:
    raises_for("keywords", lambda stack: simulator_number(stack, keywords=[Keyword("JOIN", message=message)]))


# --- event types -------------------------------------------------------------------------------------------
SUPPORTED_EVENTS = [e for e in EventType if e.value != "TEXT_SENT"]


def destination(stack: Any, events: list[Any]) -> None:
    config_set = ConfigurationSet(stack, "Config", configuration_set_name="tenant-a")
    config_set.add_event_destination(
        "Logs", CloudWatchLogsDestination(logs.LogGroup(stack, "Log")), events=events
    )


@EXAMPLES
@given(st.lists(st.sampled_from(SUPPORTED_EVENTS), min_size=1, max_size=5, unique=True))
def test_valid_event_types_construct(events: list[EventType]) -> None:
    destination(new_stack(), list(events))
    enum = (
        MODEL.operation_model("CreateEventDestination").input_shape.members["MatchingEventTypes"].member.enum
    )
    assert {e.value for e in events} <= set(enum)


@EXAMPLES
@given(st.text(max_size=30).filter(lambda value: value not in {e.value for e in EventType}))
def test_invalid_event_types_raise_naming_the_property(event: str) -> None:
    raises_for("events", lambda stack: destination(stack, [EventType.ALL, event]))


def test_no_event_types_and_the_unsupported_one_raise_naming_the_property() -> None:
    raises_for("events", lambda stack: destination(stack, []))
    raises_for("events", lambda stack: destination(stack, ["TEXT_SENT"]))
