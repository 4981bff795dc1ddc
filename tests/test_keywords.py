"""Keywords of numbers and pools: reconciled by diff, HELP and STOP never deleted."""

from __future__ import annotations

from typing import Any

import pytest

from smsvoice_cdk import (
    Keyword,
    KeywordAction,
    Pool,
    SmsVoiceValidationError,
)
from smsvoice_cdk.custom_resources import keywords
from tests.cloudformation import Stack
from tests.fakes import FakeSmsVoice
from tests.fakes.phone_numbers import DEFAULT_KEYWORDS
from tests.synth import build, simulator_number


def number_template(*items: Keyword, late: Keyword | None = None) -> dict[str, Any]:
    def body(stack: Any) -> None:
        number = simulator_number(stack, keywords=items)
        if late is not None:
            number.add_keyword(late)

    return build(body)


def the_keywords(fake: FakeSmsVoice) -> dict[str, tuple[str, str]]:
    (number,) = fake.phone_numbers.values()
    return dict(number.keywords)


def test_keywords_are_put_changed_and_deleted_by_diff(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template(Keyword("JOIN", "Welcome", KeywordAction.OPT_IN), Keyword("INFO", "Info")))
    assert the_keywords(fake) == {
        **DEFAULT_KEYWORDS,
        "JOIN": ("Welcome", "OPT_IN"),
        "INFO": ("Info", "AUTOMATIC_RESPONSE"),
    }
    puts = [op for op, _ in fake.calls].count("PutKeyword")

    stack.deploy(number_template(Keyword("JOIN", "Welcome back", KeywordAction.OPT_IN)))

    assert the_keywords(fake) == {**DEFAULT_KEYWORDS, "JOIN": ("Welcome back", "OPT_IN")}
    assert [op for op, _ in fake.calls].count("PutKeyword") == puts + 1  # only the changed one


def test_keywords_added_after_construction_reach_the_number(fake: FakeSmsVoice) -> None:
    Stack().deploy(number_template(late=Keyword("LATE", "added later")))
    assert the_keywords(fake)["LATE"] == ("added later", "AUTOMATIC_RESPONSE")


def test_help_and_stop_can_be_set_and_are_never_deleted(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template(Keyword("HELP", "Call 555"), Keyword("STOP", "Bye", KeywordAction.OPT_OUT)))
    assert the_keywords(fake)["HELP"] == ("Call 555", "AUTOMATIC_RESPONSE")

    stack.deploy(number_template())

    assert the_keywords(fake)["HELP"] == ("Call 555", "AUTOMATIC_RESPONSE")
    assert the_keywords(fake)["STOP"] == ("Bye", "OPT_OUT")
    assert "DeleteKeyword" not in [op for op, _ in fake.calls]


def test_keywords_set_outside_the_stack_are_left_alone(fake: FakeSmsVoice) -> None:
    stack = Stack()
    stack.deploy(number_template(Keyword("JOIN", "Welcome")))
    (number,) = fake.phone_numbers.values()
    number.keywords["CONSOLE"] = ("made by hand", "AUTOMATIC_RESPONSE")
    stack.deploy(number_template())
    assert "CONSOLE" in the_keywords(fake) and "JOIN" not in the_keywords(fake)


def test_reconcile_is_safe_to_repeat(fake: FakeSmsVoice) -> None:
    Stack().deploy(number_template())
    (number,) = fake.phone_numbers.values()
    old = {"Keywords": [{"Keyword": "GONE", "KeywordMessage": "x", "KeywordAction": "AUTOMATIC_RESPONSE"}]}
    new = {"Keywords": [{"Keyword": "JOIN", "KeywordMessage": "hi", "KeywordAction": "OPT_IN"}]}
    fake.calls.clear()
    keywords.reconcile(number.id, old, new)
    keywords.reconcile(number.id, old, new)
    assert [op for op, _ in fake.calls if op != "DescribeKeywords"] == ["PutKeyword"]


def test_the_fake_refuses_to_delete_help(fake: FakeSmsVoice) -> None:
    Stack().deploy(number_template())
    (number,) = fake.phone_numbers.values()
    status, body = fake.handle("DeleteKeyword", {"OriginationIdentity": number.id, "Keyword": "HELP"})
    assert status == 400 and body["__type"] == "ConflictException"


@pytest.mark.parametrize(
    ("keyword", "prop", "value"),
    [
        (Keyword("", "hi"), "keywords.keyword", ""),
        (Keyword("X" * 31, "hi"), "keywords.keyword", "X" * 31),
        (Keyword("JOIN", ""), "keywords['JOIN'].message", ""),
        (Keyword("JOIN", "x" * 1601), "keywords['JOIN'].message", "x" * 1601),
        (Keyword("JOIN", "   "), "keywords['JOIN'].message", "   "),
    ],
)
def test_keyword_lengths_are_checked_at_synth(keyword: Keyword, prop: str, value: str) -> None:
    with pytest.raises(SmsVoiceValidationError) as failed:
        number_template(keyword)
    assert failed.value.prop == prop and failed.value.value == value
    assert "TestStack/Number" in str(failed.value)


def test_a_duplicate_keyword_is_refused_at_synth() -> None:
    with pytest.raises(SmsVoiceValidationError, match="only once"):
        number_template(Keyword("JOIN", "a"), Keyword("join", "b"))


def test_pool_keywords_render(fake: FakeSmsVoice) -> None:
    def body(stack: Any) -> None:
        number = simulator_number(stack)
        pool = Pool(stack, "Pool", origination_identities=[number])
        pool.add_keyword(Keyword("JOIN", "Welcome", KeywordAction.OPT_IN))

    Stack().deploy(build(body))
    (pool,) = fake.pools.values()
    assert pool.keywords["JOIN"] == ("Welcome", "OPT_IN")
