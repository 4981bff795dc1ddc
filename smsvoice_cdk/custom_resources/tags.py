"""Tags: the managed tag on every create, and reconciliation by diff on update."""

from typing import Any

from . import aws, coerce
from .contract import MANAGED_TAG_KEY, MANAGED_TAG_VALUE


def desired(properties: dict[str, Any]) -> dict[str, str]:
    """The tags a resource should carry: the user's, plus the managed tag the handler role relies on."""
    tags = coerce.to_tags(properties.get("Tags"))
    tags[MANAGED_TAG_KEY] = MANAGED_TAG_VALUE
    return tags


def for_create(properties: dict[str, Any]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in sorted(desired(properties).items())]


def current(resource_arn: str) -> dict[str, str]:
    """The tags a resource carries now."""
    found = aws.call("ListTagsForResource", ResourceArn=resource_arn)["Tags"]
    return {str(tag["Key"]): str(tag["Value"]) for tag in found}


def is_managed(resource_arn: str) -> bool:
    """Whether the resource was created by this package's handler (it carries the managed tag).

    Used to take a resource back by name during a rollback, and never to take a stranger's."""
    return current(resource_arn).get(MANAGED_TAG_KEY) == MANAGED_TAG_VALUE


def reconcile(resource_arn: str, old_properties: dict[str, Any], new_properties: dict[str, Any]) -> None:
    """Tag what was added or changed, untag what was removed. Tags set outside the stack are left alone."""
    old, new = desired(old_properties), desired(new_properties)
    removed = sorted(set(old) - set(new))
    changed = {key: value for key, value in new.items() if old.get(key) != value}
    if removed:
        aws.call("UntagResource", ResourceArn=resource_arn, TagKeys=removed)
    if changed:
        tags = [{"Key": key, "Value": value} for key, value in sorted(changed.items())]
        aws.call("TagResource", ResourceArn=resource_arn, Tags=tags)
