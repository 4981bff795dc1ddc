"""The fake's core: hooks into botocore so the real client serializes requests and parses responses.

A ``before-send`` handler answers each HTTP request the real boto3 client would send. Every request is
validated against the service model the client itself uses (required members, enums, patterns, lengths,
list sizes), because botocore checks none of that and the real service does. Operations are methods
named after the API (``CreateOptOutList``) on the mixins that make up ``FakeSmsVoice``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import botocore.session
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.model import ListShape, OperationModel, Shape, StringShape, StructureShape

SERVICE_MODEL = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")


class FakeError(Exception):
    """An API error: serialized as the service serializes it, parsed by botocore into a ClientError."""

    status = 400

    def __init__(self, code: str, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields


def not_found(resource_type: str, resource_id: str) -> FakeError:
    return FakeError(
        "ResourceNotFoundException",
        f"{resource_type} {resource_id} not found",
        ResourceType=resource_type,
        ResourceId=resource_id,
    )


def conflict(reason: str, resource_type: str, resource_id: str, message: str = "") -> FakeError:
    return FakeError(
        "ConflictException",
        message or f"{reason} on {resource_type} {resource_id}",
        Reason=reason,
        ResourceType=resource_type,
        ResourceId=resource_id,
    )


def validation(reason: str, message: str, name: str | None = None) -> FakeError:
    fields = [{"Name": name, "Message": message}] if name else []
    return FakeError("ValidationException", message, Reason=reason, Fields=fields)


@dataclass
class Fault:
    """An injected failure: the next ``count`` calls of ``operation`` (None: of any operation) fail."""

    code: str
    operation: str | None = None
    count: int = 1
    message: str = "injected"
    reason: str | None = None


@dataclass
class RateLimit:
    """Requests per second allowed per operation; more in the same second is throttled, like the API."""

    per_second: float
    windows: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


class FakeCore:
    """State and plumbing shared by the operation mixins."""

    account = "123456789012"
    region = "us-east-1"

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tags: dict[str, dict[str, str]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.faults: list[Fault] = []
        self.rate_limit: RateLimit | None = None
        self.throttled = Counter[str]()
        self._tokens: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
        self.clock = time.monotonic

    # --- wiring -------------------------------------------------------------------------------------
    def install(self, client: Any) -> None:
        client.meta.events.register_first("before-send.pinpoint-sms-voice-v2", self._on_send)

    def _on_send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        operation = request.headers["X-Amz-Target"].decode().split(".", 1)[1]
        body = request.body or b"{}"
        params = json.loads(body.decode() if isinstance(body, bytes) else body)
        status, payload = self.handle(operation, params)
        headers = {"x-amzn-RequestId": str(uuid.uuid4()), "Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, status, headers, _Raw(json.dumps(payload).encode()))

    def handle(self, operation: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            return 200, self.dispatch(operation, params)
        except FakeError as err:
            body = {"__type": err.code, "message": err.message, **err.fields}
            return err.status, body

    def dispatch(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.calls.append((operation, params))
            self._inject(operation)
            op_model = SERVICE_MODEL.operation_model(operation)
            validate(op_model, params)
            token = params.get("ClientToken")
            if token is not None:
                replay = self._tokens.get((operation, token))
                if replay is not None:
                    digest, response = replay
                    if digest != _digest(params):
                        raise conflict(
                            "RESOURCE_ALREADY_EXISTS",
                            "account",
                            token,
                            "ClientToken was used with different parameters",
                        )
                    return response
            response: dict[str, Any] = getattr(self, operation)(params)
            if token is not None:
                self._tokens[(operation, token)] = (_digest(params), response)
            return response

    def _inject(self, operation: str) -> None:
        if self.rate_limit is not None:
            now = self.clock()
            window = [t for t in self.rate_limit.windows[operation] if now - t < 1.0]
            if len(window) >= self.rate_limit.per_second:
                self.rate_limit.windows[operation] = window
                self.throttled[operation] += 1
                raise FakeError("ThrottlingException", "Rate exceeded")
            window.append(now)
            self.rate_limit.windows[operation] = window
        for fault in self.faults:
            if fault.count > 0 and fault.operation in (None, operation):
                fault.count -= 1
                err = FakeError(
                    fault.code, fault.message, **({"Reason": fault.reason} if fault.reason else {})
                )
                if fault.code in {"InternalServerException", "ServiceUnavailableException"}:
                    err.status = 500
                raise err

    # --- helpers for the mixins ---------------------------------------------------------------------
    def arn(self, resource: str, resource_id: str) -> str:
        return f"arn:aws:sms-voice:{self.region}:{self.account}:{resource}/{resource_id}"

    def fail(
        self,
        code: str,
        *,
        operation: str | None = None,
        count: int = 1,
        reason: str | None = None,
        message: str = "injected",
    ) -> None:
        self.faults.append(Fault(code, operation, count, message, reason))

    def mutating_calls(self) -> list[str]:
        return [op for op, _ in self.calls if not op.startswith(("Describe", "List", "Get"))]

    # --- tags ---------------------------------------------------------------------------------------
    def _resource_tags(self, arn: str) -> dict[str, str]:
        if arn not in self.tags:
            raise not_found("account", arn)
        return self.tags[arn]

    def set_tags(self, arn: str, tags: list[dict[str, str]] | None) -> None:
        if len(tags or []) > 50:
            raise FakeError("ServiceQuotaExceededException", "too many tags", Reason="TAGS_PER_RESOURCE")
        self.tags[arn] = {t["Key"]: t["Value"] for t in tags or []}

    def tag_list(self, arn: str) -> list[dict[str, str]]:
        return [{"Key": k, "Value": v} for k, v in sorted(self.tags.get(arn, {}).items())]

    def TagResource(self, p: dict[str, Any]) -> dict[str, Any]:
        tags = self._resource_tags(p["ResourceArn"])
        merged = {**tags, **{t["Key"]: t["Value"] for t in p["Tags"]}}
        if len(merged) > 50:
            raise FakeError("ServiceQuotaExceededException", "too many tags", Reason="TAGS_PER_RESOURCE")
        tags.update(merged)
        return {}

    def UntagResource(self, p: dict[str, Any]) -> dict[str, Any]:
        tags = self._resource_tags(p["ResourceArn"])
        for key in p["TagKeys"]:
            tags.pop(key, None)
        return {}

    def ListTagsForResource(self, p: dict[str, Any]) -> dict[str, Any]:
        self._resource_tags(p["ResourceArn"])
        return {"ResourceArn": p["ResourceArn"], "Tags": self.tag_list(p["ResourceArn"])}


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def _digest(params: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()


def paginate(
    items: list[Any], params: dict[str, Any], default_page: int = 50
) -> tuple[list[Any], str | None]:
    start = int(params.get("NextToken") or 0)
    size = int(params.get("MaxResults") or default_page)
    page = items[start : start + size]
    return page, (str(start + size) if start + size < len(items) else None)


# --- validation against the service model ------------------------------------------------------------
def validate(op_model: OperationModel, params: dict[str, Any]) -> None:
    if op_model.input_shape is not None:
        _validate_shape(op_model.input_shape, params, op_model.input_shape.name)


def _validate_shape(shape: Shape, value: Any, path: str) -> None:
    if isinstance(shape, StructureShape):
        for name in shape.required_members:
            if name not in value:
                raise validation("MISSING_PARAMETER", f"{path}.{name} is required", name)
        for name, member in shape.members.items():
            if name in value:
                _validate_shape(member, value[name], f"{path}.{name}")
    elif isinstance(shape, ListShape):
        _check_length(shape, len(value), path)
        for i, item in enumerate(value):
            _validate_shape(shape.member, item, f"{path}[{i}]")
    elif shape.type_name in {"integer", "long"}:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            raise validation("FIELD_VALIDATION_FAILED", f"{path} {value} outside {low}..{high}", path)
    elif isinstance(shape, StringShape):
        if shape.enum and value not in shape.enum:
            raise validation(
                "FIELD_VALIDATION_FAILED", f"{path} must be one of {shape.enum}, got {value!r}", path
            )
        _check_length(shape, len(value), path)
        pattern = shape.metadata.get("pattern")
        if pattern and not re.fullmatch(pattern, value):
            raise validation("FIELD_VALIDATION_FAILED", f"{path} {value!r} does not match {pattern}", path)


def _check_length(shape: Shape, length: int, path: str) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if (low is not None and length < low) or (high is not None and length > high):
        raise validation("FIELD_VALIDATION_FAILED", f"{path} length {length} outside {low}..{high}", path)
