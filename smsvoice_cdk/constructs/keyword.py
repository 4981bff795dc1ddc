"""Keyword: a word recipients text to a number or pool, and the message it answers with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..custom_resources.contract import KEYWORD, KEYWORD_ACTION, KEYWORD_MESSAGE, KEYWORDS
from .enums import KeywordAction
from .validation import SmsVoiceValidationError, Where, check_choice, check_length, unresolved

KEYWORD_PATTERN = re.compile(r"[ \S]{1,30}")
KEYWORD_RULE = "must be 1 to 30 characters, no line breaks or tabs"
MESSAGE_RULE = "must be 1 to 1600 characters, not only white space"


@dataclass(frozen=True)
class Keyword:
    """A keyword of a phone number or pool (``PutKeyword``).

    HELP and STOP exist on every number; their messages can be set here but they are never deleted:
    when they leave the ``keywords`` prop they keep their last message.

    Example::

        Keyword("JOIN", message="Welcome! Reply STOP to opt out.", action=KeywordAction.OPT_IN)
    """

    keyword: str
    message: str
    action: KeywordAction = KeywordAction.AUTOMATIC_RESPONSE

    def _render(self) -> dict[str, Any]:
        return {KEYWORD: self.keyword, KEYWORD_MESSAGE: self.message, KEYWORD_ACTION: str(self.action)}


def check_keyword(path: Where, prop: str, keyword: Keyword, existing: Sequence[Keyword] = ()) -> None:
    if not unresolved(keyword.keyword) and not KEYWORD_PATTERN.fullmatch(keyword.keyword):
        raise SmsVoiceValidationError(path, f"{prop}.keyword", keyword.keyword, KEYWORD_RULE)
    check_length(path, f"{prop}[{keyword.keyword!r}].message", keyword.message, 1, 1600)
    if not unresolved(keyword.message) and not keyword.message.strip():
        raise SmsVoiceValidationError(
            path, f"{prop}[{keyword.keyword!r}].message", keyword.message, MESSAGE_RULE
        )
    check_choice(
        path, f"{prop}[{keyword.keyword!r}].action", keyword.action, [a.value for a in KeywordAction]
    )
    if any(other.keyword.upper() == keyword.keyword.upper() for other in existing):
        raise SmsVoiceValidationError(path, prop, keyword.keyword, "each keyword may appear only once")


def render_keywords(keywords: Sequence[Keyword]) -> list[dict[str, Any]]:
    return [keyword._render() for keyword in keywords]


def render_keywords_property(keywords: Sequence[Keyword]) -> dict[str, Any]:
    """The ``Keywords`` property, left out when there are none (the service's HELP and STOP stay)."""
    return {KEYWORDS: render_keywords(keywords)} if keywords else {}
