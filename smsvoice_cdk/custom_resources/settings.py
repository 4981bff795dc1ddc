"""Settings that UpdatePhoneNumber / UpdatePool change in place: what the stack wants vs what is there.

A setting the stack lists is wanted as listed; a setting it stopped listing goes back to the API's
default; a setting it never listed is left as it is (it may have been changed outside the stack).
Deletion protection is the exception: it is switched off only by a template that switches it off (listed
on before, off now). Protection turned on outside the stack, to guard a number in use say, stays on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import coerce
from .contract import (
    DELETION_PROTECTION_ENABLED,
    OPT_OUT_LIST_NAME,
    TWO_WAY_CHANNEL_ARN,
    TWO_WAY_CHANNEL_ROLE,
    TWO_WAY_ENABLED,
)

DEFAULT_OPT_OUT_LIST = "Default"
TWO_WAY_KEYS = (TWO_WAY_ENABLED, TWO_WAY_CHANNEL_ARN, TWO_WAY_CHANNEL_ROLE)


def wanted(defaults: Mapping[str, Any], old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """``defaults`` maps each setting to its API default (a bool, a string, or None: no default)."""
    result: dict[str, Any] = {}
    for key, default in defaults.items():
        if coerce.to_str(new.get(key)) is not None:
            result[key] = coerce.to_bool(new[key]) if isinstance(default, bool) else str(new[key])
        elif coerce.to_str(old.get(key)) is not None and default is not None:
            result[key] = default
    if result.get(DELETION_PROTECTION_ENABLED) is False and not coerce.to_bool(
        old.get(DELETION_PROTECTION_ENABLED)
    ):
        del result[DELETION_PROTECTION_ENABLED]
    return result


def changes(want: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """The update call's parameters: what differs, with the two-way settings always sent together."""
    changed = {key: value for key, value in want.items() if not _same(key, value, current.get(key))}
    if any(key in changed for key in TWO_WAY_KEYS):
        changed.update({key: want[key] for key in TWO_WAY_KEYS if key in want})
    return changed


def _same(key: str, wanted_value: Any, current_value: Any) -> bool:
    if key == OPT_OUT_LIST_NAME:
        # The stack may name the list by ARN; the API describes it by name.
        return str(wanted_value).rsplit("/", 1)[-1] == str(current_value or DEFAULT_OPT_OUT_LIST)
    if isinstance(wanted_value, bool):
        return wanted_value == bool(current_value)
    return bool(wanted_value == current_value)


def deletion_protection_message(kind: str, resource_id: str, error: Exception) -> str:
    return (
        f"{kind} {resource_id} has deletion protection enabled ({DELETION_PROTECTION_ENABLED}), so the "
        f"service refuses to delete it ({error}). Nothing was changed: to delete it, deploy with deletion "
        f"protection turned off first; to keep it, give it the RETAIN removal policy."
    )
