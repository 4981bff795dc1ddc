"""Where a configuration set's events go: CloudWatch Logs, Firehose or SNS, each wired with least privilege.

Like aws-cdk's event targets, a destination is a plain object that is bound when it is used: ``bind``
creates, in the event destination's scope, what the service needs to deliver to the sink (a role it may
assume, a topic or key policy statement) and returns the sink's properties.

Every grant to ``sms-voice.amazonaws.com`` is conditioned on ``aws:SourceAccount`` and on
``aws:SourceArn`` being the configuration set's ARN, so no other account's or set's events can use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from aws_cdk import Annotations, ArnFormat, Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct, IDependable

from ..custom_resources.contract import SERVICE_PRINCIPAL, SERVICE_ROLE_PATH
from ..custom_resources.contract import EventDestination as Keys
from .core import property_value
from .validation import SmsVoiceValidationError

if TYPE_CHECKING:
    from .configuration_set import IConfigurationSet

LOGS_ACTIONS = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
FIREHOSE_ACTIONS = ["firehose:PutRecord", "firehose:PutRecordBatch"]
KMS_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"]
AWS_MANAGED_KEY_ALIAS_PREFIX = "alias/aws/"


@dataclass(frozen=True)
class EventDestinationSinkConfig:
    """What a bound destination hands to its event destination."""

    #: The sink's property key: ``CloudWatchLogsDestination``, ``KinesisFirehoseDestination`` or
    #: ``SnsDestination``.
    sink_type: str
    #: The sink's properties, keyed as the API keys them.
    properties: Mapping[str, str]
    #: What must exist before the destination is created (a role's policy, a topic policy): the service
    #: checks its access when the destination is created.
    dependencies: Sequence[IDependable] = field(default_factory=tuple)


@runtime_checkable
class IEventDestinationSink(Protocol):
    """A place a configuration set can send its events to."""

    def bind(self, scope: Construct, configuration_set: IConfigurationSet) -> EventDestinationSinkConfig:
        """Create what the service needs to deliver to this sink, in ``scope``, for ``configuration_set``."""
        ...


def source_conditions(scope: Construct, configuration_set: IConfigurationSet) -> dict[str, Any]:
    """The confused-deputy guard: only this account's configuration set may use the grant."""
    return {
        "StringEquals": {"aws:SourceAccount": Stack.of(scope).account},
        "ArnLike": {"aws:SourceArn": property_value(configuration_set, "configuration_set_arn")},
    }


def service_role(
    scope: Construct,
    configuration_set: IConfigurationSet,
    description: str,
    inline_policies: Mapping[str, iam.PolicyDocument] | None = None,
) -> iam.Role:
    """A role only the service may assume, for this set only, under the path the handler may pass."""
    principal = iam.ServicePrincipal(
        SERVICE_PRINCIPAL, conditions=source_conditions(scope, configuration_set)
    )
    return iam.Role(
        scope,
        "Role",
        assumed_by=principal,
        path=SERVICE_ROLE_PATH,
        description=description,
        inline_policies=inline_policies,
    )


def delivery_role(
    scope: Construct,
    configuration_set: IConfigurationSet,
    description: str,
    statement: iam.PolicyStatement,
    role: iam.IRole | None,
) -> tuple[iam.IRole, list[IDependable]]:
    """The role the service delivers with, allowed ``statement``, and what the destination must wait for.

    A role made here carries the permission inline: it exists as soon as the role does, and the
    destination, which references the role, is created after it. A role the user gives gets the statement
    added, and the destination waits for that policy.
    """
    if role is None:
        inline = {"Delivery": iam.PolicyDocument(statements=[statement])}
        return service_role(scope, configuration_set, description, inline), []
    return role, _policy_of(scope, role.add_to_principal_policy(statement))


def _policy_of(scope: Construct, granted: iam.AddToPrincipalPolicyResult) -> list[IDependable]:
    """The role's policy, so the destination is created after it (the role itself is referenced)."""
    if granted.statement_added and granted.policy_dependable is not None:
        return [granted.policy_dependable]
    if not granted.statement_added:
        Annotations.of(scope).add_warning_v2(
            "smsvoice-cdk:rolePolicyNotAdded",
            "The destination's role is immutable: it must already allow writing to the sink, or no event "
            "is delivered.",
        )
    return []


class CloudWatchLogsDestination:
    """Events to a CloudWatch Logs log group.

    Example::

        config_set.add_event_destination(
            "Logs", CloudWatchLogsDestination(log_group), events=[EventType.ALL]
        )
    """

    def __init__(self, log_group: logs.ILogGroup, role: iam.IRole | None = None) -> None:
        """
        :param log_group: the log group the events are written to.
        :param role: the role the service assumes to write them; it must trust ``sms-voice.amazonaws.com``
            and live under the path ``/smsvoice-cdk/`` (the only roles the handler may pass). The write
            permissions are added to it when it is mutable. Default: - a role for this destination alone.
        """
        self.log_group = log_group
        self.role = role

    def bind(self, scope: Construct, configuration_set: IConfigurationSet) -> EventDestinationSinkConfig:
        # ``log_group_arn`` ends in ":*", which covers the group's log streams.
        role, dependencies = delivery_role(
            scope,
            configuration_set,
            "smsvoice-cdk: lets the configuration set write events to the log group",
            iam.PolicyStatement(actions=LOGS_ACTIONS, resources=[self.log_group.log_group_arn]),
            self.role,
        )
        # The API names the group by its own ARN, without the streams wildcard.
        group_arn = Stack.of(scope).format_arn(
            service="logs",
            resource="log-group",
            resource_name=self.log_group.log_group_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        return EventDestinationSinkConfig(
            Keys.CLOUDWATCH_LOGS,
            {Keys.IAM_ROLE_ARN: role.role_arn, Keys.LOG_GROUP_ARN: group_arn},
            dependencies,
        )


class FirehoseDestination:
    """Events to an Amazon Data Firehose delivery stream.

    Example::

        config_set.add_event_destination(
            "Stream", FirehoseDestination(delivery_stream), events=[EventType.TEXT_ALL]
        )
    """

    def __init__(self, delivery_stream: firehose.IDeliveryStream, role: iam.IRole | None = None) -> None:
        """
        :param delivery_stream: the stream the events are put into.
        :param role: the role the service assumes to put them; it must trust ``sms-voice.amazonaws.com``
            and live under the path ``/smsvoice-cdk/``. The put permissions are added to it when it is
            mutable. Default: - a role for this destination alone.
        """
        self.delivery_stream = delivery_stream
        self.role = role

    def bind(self, scope: Construct, configuration_set: IConfigurationSet) -> EventDestinationSinkConfig:
        stream_arn = self.delivery_stream.delivery_stream_arn
        role, dependencies = delivery_role(
            scope,
            configuration_set,
            "smsvoice-cdk: lets the configuration set put events into the stream",
            iam.PolicyStatement(actions=FIREHOSE_ACTIONS, resources=[stream_arn]),
            self.role,
        )
        return EventDestinationSinkConfig(
            Keys.KINESIS_FIREHOSE,
            {Keys.IAM_ROLE_ARN: role.role_arn, Keys.DELIVERY_STREAM_ARN: stream_arn},
            dependencies,
        )


class SnsDestination:
    """Events to an SNS topic: the topic's policy lets the service publish, for this set only.

    A topic encrypted with a customer-managed KMS key owned by the app gets a key policy statement that
    lets the service use the key. Refused at synth time, with the reason: FIFO topics (the service
    publishes to standard topics only) and topics on the AWS-managed key ``alias/aws/sns`` (its policy cannot
    be changed to let the service use it).

    Example::

        config_set.add_event_destination(
            "Alerts", SnsDestination(topic), events=[EventType.TEXT_CARRIER_UNREACHABLE]
        )
    """

    def __init__(self, topic: sns.ITopic) -> None:
        """:param topic: the standard topic the events are published to."""
        self.topic = topic

    def bind(self, scope: Construct, configuration_set: IConfigurationSet) -> EventDestinationSinkConfig:
        key = self.topic.master_key
        self._check_topic(scope, key)
        conditions = source_conditions(scope, configuration_set)
        published = self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal(SERVICE_PRINCIPAL)],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions=conditions,
            )
        )
        dependencies: list[IDependable] = []
        if published.statement_added and published.policy_dependable is not None:
            dependencies.append(published.policy_dependable)
        else:
            Annotations.of(scope).add_warning_v2(
                "smsvoice-cdk:topicPolicyNotAdded",
                "The topic is imported: its policy must allow sns:Publish to sms-voice.amazonaws.com "
                "for this configuration set, or no event is delivered.",
            )
        self._allow_key_use(scope, key)
        return EventDestinationSinkConfig(Keys.SNS, {Keys.TOPIC_ARN: self.topic.topic_arn}, dependencies)

    def _check_topic(self, scope: Construct, key: kms.IKey | None) -> None:
        if self.topic.fifo:
            raise SmsVoiceValidationError(
                scope.node.path,
                "destination",
                self.topic.topic_name,
                "a FIFO topic cannot be an event destination: the service publishes to standard topics "
                "only (a FIFO topic needs a message group id on every publish); use a standard topic",
            )
        if key is not None and _is_aws_managed(key):
            raise SmsVoiceValidationError(
                scope.node.path,
                "destination",
                getattr(key, "alias_name", None) or key.key_arn,
                "a topic encrypted with the AWS-managed key alias/aws/sns cannot be an event destination: "
                "that key's policy cannot be changed to let sms-voice.amazonaws.com use it; encrypt the "
                "topic with a customer-managed kms.Key",
            )

    def _allow_key_use(self, scope: Construct, key: kms.IKey | None) -> None:
        if key is None:
            return
        # The statement has the documented shape, without source conditions: the KMS calls are made
        # through SNS, and a condition key absent from them would deny every event silently.
        added = key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal(SERVICE_PRINCIPAL)],
                actions=KMS_ACTIONS,
                resources=["*"],
            ),
            True,  # allow_no_op: an imported key is reported below rather than failing
        )
        if not added.statement_added:
            Annotations.of(scope).add_warning_v2(
                "smsvoice-cdk:keyPolicyNotAdded",
                "The topic's KMS key is imported: its key policy must allow kms:GenerateDataKey and "
                "kms:Decrypt to sms-voice.amazonaws.com, or no event is delivered.",
            )


def _is_aws_managed(key: Any) -> bool:
    alias = getattr(key, "alias_name", None)
    if isinstance(alias, str) and not Token.is_unresolved(alias):
        return alias.startswith(AWS_MANAGED_KEY_ALIAS_PREFIX)
    arn = key.key_arn
    return isinstance(arn, str) and f":{AWS_MANAGED_KEY_ALIAS_PREFIX}" in arn
