"""The shapes the Provider framework hands to the handler and expects back."""

import hashlib
from collections.abc import Callable
from typing import Any, Literal, NotRequired, TypedDict

RequestType = Literal["Create", "Update", "Delete"]


class CustomResourceEvent(TypedDict):
    RequestType: RequestType
    ResourceType: str
    StackId: str
    RequestId: str
    LogicalResourceId: str
    ResourceProperties: dict[str, Any]
    OldResourceProperties: NotRequired[dict[str, Any]]
    PhysicalResourceId: NotRequired[str]
    ResponseURL: NotRequired[str]
    ServiceToken: NotRequired[str]
    # Added by the framework to is_complete events: what on_event returned.
    Data: NotRequired[dict[str, Any]]


class OnEventResult(TypedDict):
    PhysicalResourceId: str
    Data: NotRequired[dict[str, Any]]


class IsCompleteResult(TypedDict):
    IsComplete: bool
    Data: NotRequired[dict[str, Any]]


# The physical id the Provider framework gives a Create that failed before returning one.
CREATE_FAILED_MARKER = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED"


def client_token(event: CustomResourceEvent, purpose: str = "") -> str:
    """A token that is the same for a redelivered request and different for every other one.

    The API replays a create made with the same token instead of making a second resource.
    """
    seed = "\n".join((event["StackId"], event["LogicalResourceId"], event["RequestId"], purpose))
    return hashlib.sha256(seed.encode()).hexdigest()[:64]


def properties(event: CustomResourceEvent) -> dict[str, Any]:
    return event.get("ResourceProperties") or {}


def old_properties(event: CustomResourceEvent) -> dict[str, Any]:
    return event.get("OldResourceProperties") or {}


def physical_id(event: CustomResourceEvent) -> str:
    return event.get("PhysicalResourceId") or ""


Handler = Callable[[CustomResourceEvent], OnEventResult]


def dispatch(
    event: CustomResourceEvent, *, create: Handler, update: Handler, delete: Handler
) -> OnEventResult:
    """Send a request to the resource module's create, update or delete."""
    handlers = {"Create": create, "Update": update, "Delete": delete}
    return handlers[event["RequestType"]](event)
