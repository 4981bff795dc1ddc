"""Keywords of a phone number or pool, reconciled by diff (one helper for both).

HELP and STOP exist on every number and pool and the API refuses to delete them: their messages can be
set, and when they leave the stack's properties they are left as they are.
"""

from __future__ import annotations

from typing import Any, TypedDict

from . import aws
from .contract import KEYWORD, KEYWORD_ACTION, KEYWORD_MESSAGE, KEYWORDS, PROTECTED_KEYWORDS

DEFAULT_ACTION = "AUTOMATIC_RESPONSE"


class KeywordSetting(TypedDict):
    message: str
    action: str


def parse(properties: dict[str, Any]) -> dict[str, KeywordSetting]:
    """``Keywords`` as delivered by CloudFormation, by keyword."""
    return {
        str(item[KEYWORD]): {
            "message": str(item[KEYWORD_MESSAGE]),
            "action": str(item.get(KEYWORD_ACTION) or DEFAULT_ACTION),
        }
        for item in properties.get(KEYWORDS) or []
    }


def current(origination_identity: str) -> dict[str, KeywordSetting]:
    items = aws.paginate(
        "DescribeKeywords", "Keywords", OriginationIdentity=origination_identity, MaxResults=100
    )
    return {
        item["Keyword"]: {"message": item["KeywordMessage"], "action": item["KeywordAction"]}
        for item in items
    }


def reconcile(
    origination_identity: str, old_properties: dict[str, Any], new_properties: dict[str, Any]
) -> None:
    """Put what is new or changed, delete what the stack put there and no longer lists.

    Keywords the stack never listed (set in the console, say) are left alone. Safe to repeat.
    """
    wanted, before = parse(new_properties), parse(old_properties)
    if not wanted and not before:
        return
    existing = current(origination_identity)
    for keyword, setting in sorted(wanted.items()):
        if existing.get(keyword) != setting:
            aws.call(
                "PutKeyword",
                OriginationIdentity=origination_identity,
                Keyword=keyword,
                KeywordMessage=setting["message"],
                KeywordAction=setting["action"],
            )
    for keyword in sorted(set(before) - set(wanted)):
        if keyword.upper() in PROTECTED_KEYWORDS or keyword not in existing:
            continue
        aws.call_unless_gone("DeleteKeyword", OriginationIdentity=origination_identity, Keyword=keyword)
