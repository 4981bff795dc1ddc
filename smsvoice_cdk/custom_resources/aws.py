"""The one place that builds the v2 client, calls it, and retries what is transient.

botocore's own retries are off so that every retry decision is made here:
- throttling backs off exponentially with full jitter for up to THROTTLING_RETRY_SECONDS, and a
  per-operation client-side rate (the control plane allows about one request per second per operation
  and account) halves on each throttle and creeps back up on success, so that many tenants deploying at
  once share the allowance instead of fighting over it;
- server errors are retried a few times with the same backoff;
- IAM propagation errors (a role created a moment ago that the service cannot assume yet) are retried
  for about two minutes where the caller passes a role;
- everything else raises at once with the service's own reason.
"""

from __future__ import annotations

import math
import random
import re
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client


# Tests replace these to run retries without waiting.
sleep: Callable[[float], None] = time.sleep
monotonic: Callable[[], float] = time.monotonic
# Wall-clock seconds: the only clock that means the same in every invocation, for deadlines that span
# the framework's polls (each poll may run in a different Lambda process).
wall_clock: Callable[[], float] = time.time
jitter: Callable[[float, float], float] = random.uniform

THROTTLING_CODES = frozenset({"ThrottlingException", "TooManyRequestsException", "Throttling"})
SERVER_ERROR_CODES = frozenset({"InternalServerException", "ServiceUnavailableException"})
IAM_PROPAGATION_REASONS = frozenset({"RESOURCE_NOT_ACCESSIBLE"})
IAM_PROPAGATION_MESSAGE = re.compile(r"could not assume|not authorized to assume|unable to assume", re.I)

THROTTLING_RETRY_SECONDS = 240.0
MAX_SERVER_ERROR_ATTEMPTS = 6
BASE_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 20.0
IAM_PROPAGATION_SECONDS = 120.0

_client: PinpointSMSVoiceV2Client | None = None
_client_lock = threading.Lock()


class ServiceError(Exception):
    """A failed call, carrying the service's own error code, reason and message."""

    def __init__(self, operation: str, code: str, message: str, reason: str | None = None) -> None:
        self.operation = operation
        self.code = code
        self.reason = reason
        self.message = message
        detail = f"{code} ({reason})" if reason else code
        super().__init__(f"{operation} failed: {detail}: {message}")

    @classmethod
    def from_client_error(cls, operation: str, err: ClientError) -> ServiceError:
        error = err.response.get("Error", {})
        reason = err.response.get("Reason") or error.get("Reason")
        code, message = error.get("Code", "Unknown"), error.get("Message", str(err))
        return cls(operation, code, message, str(reason) if reason else None)

    @property
    def not_found(self) -> bool:
        return self.code == "ResourceNotFoundException"

    def is_conflict(self, *reasons: str) -> bool:
        return self.code == "ConflictException" and (not reasons or self.reason in reasons)


def client() -> PinpointSMSVoiceV2Client:
    """The process-wide client, built on first use (a cold start that never calls it pays nothing)."""
    global _client
    with _client_lock:
        if _client is None:
            config = Config(
                retries={"total_max_attempts": 1, "mode": "standard"},
                user_agent_extra="smsvoice-cdk",
                connect_timeout=5,
                read_timeout=30,
            )
            _client = boto3.client("pinpoint-sms-voice-v2", config=config)
        return _client


def reset_client() -> None:
    global _client
    with _client_lock:
        _client = None


class _AdaptiveRate:
    """Client-side requests per second for one operation: halved on throttling, raised on success."""

    MIN_RATE = 0.2
    MAX_RATE = 10.0

    def __init__(self) -> None:
        self.rate = self.MAX_RATE
        self.next_slot = 0.0
        self.lock = threading.Lock()

    def acquire(self) -> None:
        with self.lock:
            now = monotonic()
            wait = self.next_slot - now
            self.next_slot = max(now, self.next_slot) + 1.0 / self.rate
        if wait > 0:
            sleep(wait)

    def throttled(self) -> None:
        with self.lock:
            self.rate = max(self.MIN_RATE, self.rate / 2)

    def succeeded(self) -> None:
        with self.lock:
            self.rate = min(self.MAX_RATE, self.rate + 0.1)


# One Lambda container serves one request at a time and keeps its module state between requests: the
# rates are per thread so that threads in tests behave like separate containers.
_container = threading.local()


def _rate_for(operation: str) -> _AdaptiveRate:
    rates: dict[str, _AdaptiveRate] = _container.__dict__.setdefault("rates", {})
    return rates.setdefault(operation, _AdaptiveRate())


def reset_rates() -> None:
    _container.__dict__.pop("rates", None)


def is_iam_propagation(err: ServiceError) -> bool:
    if err.reason in IAM_PROPAGATION_REASONS:
        return True
    return err.code in {"ValidationException", "AccessDeniedException"} and bool(
        IAM_PROPAGATION_MESSAGE.search(err.message)
    )


def _snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


def call(operation: str, *, retry_iam_propagation: bool = False, **params: Any) -> dict[str, Any]:
    """Call ``operation`` (the API's name, e.g. ``"CreatePool"``) and return its parsed response.

    ``retry_iam_propagation`` is for calls that hand the service a role or a resource policy that was
    created moments ago.
    """
    method = getattr(client(), _snake(operation))
    rate = _rate_for(operation)
    started = monotonic()
    attempt = 0
    while True:
        attempt += 1
        rate.acquire()
        try:
            response: dict[str, Any] = method(**params)
        except ClientError as client_error:
            err = ServiceError.from_client_error(operation, client_error)
            if err.code in THROTTLING_CODES:
                rate.throttled()
            elapsed = monotonic() - started
            if not _should_retry(err, attempt, elapsed, retry_iam_propagation):
                raise err from client_error
            backoff = jitter(0, min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2**attempt))
            # A wait never runs past the time these errors are retried for: the last attempt comes at
            # the deadline, not up to MAX_DELAY_SECONDS after it.
            sleep(min(backoff, _retry_seconds(err) - elapsed))
            continue
        rate.succeeded()
        response.pop("ResponseMetadata", None)
        return response


def _should_retry(err: ServiceError, attempt: int, elapsed: float, retry_iam_propagation: bool) -> bool:
    if err.code in SERVER_ERROR_CODES:
        return attempt < MAX_SERVER_ERROR_ATTEMPTS
    if err.code in THROTTLING_CODES or (retry_iam_propagation and is_iam_propagation(err)):
        return elapsed < _retry_seconds(err)
    return False


def _retry_seconds(err: ServiceError) -> float:
    """How long after the first attempt an error like ``err`` is still retried (server errors: by count)."""
    if err.code in THROTTLING_CODES:
        return THROTTLING_RETRY_SECONDS
    if err.code in SERVER_ERROR_CODES:
        return math.inf
    return IAM_PROPAGATION_SECONDS


def call_unless_gone(operation: str, **params: Any) -> bool:
    """``call``, where a resource that is not there is what a delete wanted: False instead of an error."""
    try:
        call(operation, **params)
    except ServiceError as err:
        if err.not_found:
            return False
        raise
    return True


def paginate(operation: str, result_key: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paginated Describe/List call, each page fetched through ``call``."""
    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = call(operation, **{**params, **({"NextToken": token} if token else {})})
        items.extend(page.get(result_key, []))
        token = page.get("NextToken")
        if not token:
            return items
