"""Custom::SmsVoiceOptOutList: an opt-out list and the opted-out numbers seeded into it.

Opted-out numbers are consent records. The rules that protect them:
- a rename creates the new list and copies every opted-out number of the old one into it before it
  reports success (CloudFormation then deletes or retains the old list as its removal policy says);
- a number removed from ``OptedOutNumbers`` is deleted from the list only if the handler put it there:
  a recipient who opted out themselves (EndUserOptedOut) stays opted out.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict

from . import aws, coerce
from .contract import OptOutList as Keys
from .events import (
    CustomResourceEvent,
    IsCompleteResult,
    OnEventResult,
    old_properties,
    physical_id,
    properties,
)
from .named import NamedResource

NAME_PATTERN = re.compile(r"[A-Za-z0-9_:/-]{1,256}")
# Copying a large list into a renamed one can take longer than one invocation: each is_complete call
# copies what it can in this many seconds and the framework polls again.
WORK_BUDGET_SECONDS = 240.0


class OptOutListProperties(TypedDict):
    name: str
    numbers: list[str]


def parse(raw: dict[str, Any]) -> OptOutListProperties:
    return {
        "name": str(raw[Keys.NAME]),
        "numbers": coerce.to_str_list(raw.get(Keys.OPTED_OUT_NUMBERS)),
    }


OPT_OUT_LISTS = NamedResource("OptOutList", NAME_PATTERN)


def on_event(event: CustomResourceEvent) -> OnEventResult:
    return OPT_OUT_LISTS.on_event(event)


def is_complete(event: CustomResourceEvent) -> IsCompleteResult:
    """Converge the list's numbers: seed, copy on rename, remove what the stack no longer lists."""
    if event["RequestType"] == "Delete":
        return {"IsComplete": True}
    name = physical_id(event)
    new = parse(properties(event))
    removed: set[str] = set()
    source: dict[str, dict[str, Any]] = {}
    if event["RequestType"] == "Update":
        old = parse(old_properties(event))
        removed = set(old["numbers"]) - set(new["numbers"])
        if old["name"] != name:
            source = opted_out_numbers(old["name"], missing_ok=True)

    target = opted_out_numbers(name)
    wanted = set(new["numbers"]) | {
        number for number, entry in source.items() if number not in removed or entry["EndUserOptedOut"]
    }
    deadline = aws.monotonic() + WORK_BUDGET_SECONDS
    for number in sorted(wanted - set(target)):
        if aws.monotonic() > deadline:
            return {"IsComplete": False}
        aws.call("PutOptedOutNumber", OptOutListName=name, OptedOutNumber=number)
    for number in sorted(removed & set(target)):
        if target[number]["EndUserOptedOut"]:
            continue  # the recipient opted out themselves: that consent record stays
        if aws.monotonic() > deadline:
            return {"IsComplete": False}
        aws.call("DeleteOptedOutNumber", OptOutListName=name, OptedOutNumber=number)
    return {"IsComplete": True}


def opted_out_numbers(name: str, *, missing_ok: bool = False) -> dict[str, dict[str, Any]]:
    """Every opted-out number of a list, by number."""
    try:
        entries = aws.paginate(
            "DescribeOptedOutNumbers", "OptedOutNumbers", OptOutListName=name, MaxResults=100
        )
    except aws.ServiceError as err:
        if missing_ok and err.not_found:
            return {}
        raise
    return {entry["OptedOutNumber"]: entry for entry in entries}
