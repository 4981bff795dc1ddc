"""Synth-time validation: every error names the property, shows the value and says what is allowed.

Values that are unresolved tokens (parameters, attributes of other resources) are skipped: they are only
known at deploy time, where the handler fails with the service's own reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from aws_cdk import Token
from constructs import IConstruct

# Where the bad input is: a construct, or its path. Checks take the construct and read its path only when
# they fail, since every read of a construct's node is a call into the CDK's Node.js process.
Where = str | IConstruct


class SmsVoiceValidationError(ValueError):
    """Bad input found at synth time, before anything is deployed."""

    def __init__(self, where: Where, prop: str, value: Any, allowed: str) -> None:
        construct_path = where if isinstance(where, str) else where.node.path
        self.construct_path = construct_path
        self.prop = prop
        self.value = value
        super().__init__(f"{construct_path}: invalid {prop} {value!r}: {allowed}")


NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
NAME_RULE = "must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'"
E164_PATTERN = re.compile(r"\+[1-9][0-9]{1,14}")
E164_RULE = "must be an E.164 phone number: '+', then 2 to 15 digits, the first not 0 (e.g. +12065550100)"

MAX_TAGS = 50
TAG_RULE = (
    f"at most {MAX_TAGS} tags; keys 1 to 128 characters not starting with 'aws:', values up to 256 characters"
)


# Every encoded token (string, list, or one embedded in a longer string) carries one of these markers;
# a string without them cannot be a token, and the check then needs no call into the CDK's Node.js.
_TOKEN_MARKERS = ("${Token[", "#{Token[", "${TOKEN[")


def unresolved(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if not any(marker in value for marker in _TOKEN_MARKERS):
        return False
    return bool(Token.is_unresolved(value))


def check_pattern(path: Where, prop: str, value: str | None, pattern: re.Pattern[str], rule: str) -> None:
    if value is None or unresolved(value):
        return
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise SmsVoiceValidationError(path, prop, value, rule)


def check_name(path: Where, prop: str, value: str | None) -> None:
    check_pattern(path, prop, value, NAME_PATTERN, NAME_RULE)


def check_phone_numbers(path: Where, prop: str, numbers: Sequence[str]) -> None:
    seen: set[str] = set()
    for number in numbers:
        check_pattern(path, prop, number, E164_PATTERN, E164_RULE)
        if number in seen:
            raise SmsVoiceValidationError(path, prop, number, "each number may appear only once")
        seen.add(number)


def check_choice(path: Where, prop: str, value: Any, allowed: Iterable[str]) -> None:
    if value is None or unresolved(value):
        return
    choices = sorted(allowed)
    if str(value) not in choices:
        raise SmsVoiceValidationError(path, prop, value, f"must be one of {', '.join(choices)}")


def check_tags(path: Where, tags: Mapping[str, str]) -> None:
    if len(tags) > MAX_TAGS:
        raise SmsVoiceValidationError(path, "tags", f"{len(tags)} tags", TAG_RULE)
    for key, value in tags.items():
        if unresolved(key):
            continue
        if not 1 <= len(key) <= 128 or key.lower().startswith("aws:"):
            raise SmsVoiceValidationError(path, "tags", key, TAG_RULE)
        if not unresolved(value) and len(value) > 256:
            raise SmsVoiceValidationError(path, f"tags[{key!r}]", value, TAG_RULE)


ISO_COUNTRY_PATTERN = re.compile(r"[A-Z]{2}")
ISO_COUNTRY_RULE = "must be two capital letters, an ISO 3166-1 alpha-2 country code (e.g. US)"


def check_iso_country_code(path: Where, prop: str, value: str | None) -> None:
    check_pattern(path, prop, value, ISO_COUNTRY_PATTERN, ISO_COUNTRY_RULE)


def check_length(
    path: Where, prop: str, value: str | None, low: int, high: int, what: str = "characters"
) -> None:
    if value is None or unresolved(value):
        return
    if not low <= len(value) <= high:
        raise SmsVoiceValidationError(path, prop, value, f"must be {low} to {high} {what}")


def check_unique_choices(path: Where, prop: str, values: Sequence[Any], allowed: Iterable[str]) -> None:
    """A non-empty list of distinct choices."""
    choices = sorted(allowed)
    if not values:
        raise SmsVoiceValidationError(
            path, prop, list(values), f"must list at least one of {', '.join(choices)}"
        )
    seen: set[str] = set()
    for value in values:
        check_choice(path, prop, value, choices)
        if str(value) in seen:
            raise SmsVoiceValidationError(path, prop, list(values), f"lists {value} more than once")
        seen.add(str(value))
