"""CloudFormation delivers every scalar property of a custom resource as a string: turn them back."""

from typing import Any

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def to_bool(value: Any, *, default: bool = False) -> bool:
    """``"false"`` is truthy in Python; this is not."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"expected a boolean, got {value!r}")


def to_int(value: Any, *, default: int | None = None) -> int | None:
    if value is None or value == "":
        return default
    return int(str(value))


def to_str(value: Any) -> str | None:
    """An absent or empty string property means "not set"."""
    if value is None or value == "":
        return None
    return str(value)


def to_str_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {value!r}")
    return [str(item) for item in value]


def to_tags(value: Any) -> dict[str, str]:
    """``[{"Key": k, "Value": v}, ...]`` as a dict; later duplicates win, as in CloudFormation."""
    return {str(tag["Key"]): str(tag.get("Value", "")) for tag in value or []}
