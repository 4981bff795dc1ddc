"""What a pool needs to know of its members, two-way channels, and lazy rendering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from aws_cdk import Aws, Fn
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns

from ..custom_resources.contract import (
    SERVICE_PRINCIPAL,
    TWO_WAY_CHANNEL_ARN,
    TWO_WAY_CHANNEL_ROLE,
    TWO_WAY_ENABLED,
)
from .enums import MessageType


class OriginationIdentityKind(StrEnum):
    PHONE_NUMBER = "PHONE_NUMBER"
    SENDER_ID = "SENDER_ID"


@runtime_checkable
class IOriginationIdentity(Protocol):
    """A phone number or sender ID that messages are sent from, and that can join a pool."""

    @property
    def origination_identity_arn(self) -> str:
        """The ARN a pool associates."""
        ...

    @property
    def origination_identity_kind(self) -> OriginationIdentityKind: ...

    @property
    def origination_iso_country_code(self) -> str | None:
        """The identity's country, when known at synth time (sender IDs always know it)."""
        ...

    @property
    def origination_message_types(self) -> Sequence[MessageType] | None:
        """The message types the identity sends, when known at synth time; None: unknown or any."""
        ...


@dataclass(frozen=True)
class TwoWayChannel:
    """Where incoming messages to a number or pool go: an SNS topic or Amazon Connect.

    The handler passes ``role`` to the service, and may pass only roles under the path
    ``/smsvoice-cdk/``: create the role with ``path="/smsvoice-cdk/"``.
    """

    channel_arn: str
    role: iam.IRole | None = None

    @staticmethod
    def sns_topic(topic: sns.ITopic, role: iam.IRole | None = None) -> TwoWayChannel:
        """Incoming messages are published to ``topic``; the topic's policy lets the service publish."""
        topic.add_to_resource_policy(
            iam.PolicyStatement(
                actions=["sns:Publish"],
                principals=[iam.ServicePrincipal(SERVICE_PRINCIPAL)],
                resources=[topic.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            )
        )
        return TwoWayChannel(topic.topic_arn, role)

    @staticmethod
    def amazon_connect(role: iam.IRole) -> TwoWayChannel:
        """Incoming messages go to Amazon Connect in this stack's region, through ``role``."""
        return TwoWayChannel(Fn.join("", ["connect.", Aws.REGION, ".amazonaws.com"]), role)

    def _render(self) -> dict[str, Any]:
        rendered: dict[str, Any] = {TWO_WAY_ENABLED: True, TWO_WAY_CHANNEL_ARN: self.channel_arn}
        if self.role is not None:
            rendered[TWO_WAY_CHANNEL_ROLE] = self.role.role_arn
        return rendered


def render_two_way(channel: TwoWayChannel | None) -> dict[str, Any]:
    return channel._render() if channel is not None else {TWO_WAY_ENABLED: False}
