"""TenantMessaging: one tenant's complete, isolated messaging setup."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from aws_cdk import Duration, RemovalPolicy, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from .configuration_set import ConfigurationSet
from .destinations import (
    CloudWatchLogsDestination,
    FirehoseDestination,
    IEventDestinationSink,
    SnsDestination,
)
from .enums import EventType, MessageType, NumberCapability, NumberType
from .nag import acknowledge, evidence, resource_of
from .opt_out_list import OptOutList
from .origination_identity import IOriginationIdentity
from .phone_number import PhoneNumber
from .pool import Pool
from .provider import ISmsVoiceProvider
from .validation import SmsVoiceValidationError, check_pattern

# The id forms stack names (SmsVoice-<id>) and resource names (<id>-opt-outs, at most 64 characters).
TENANT_ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
TENANT_ID_RULE = "must be 1 to 32 of a-z, 0-9 and '-', starting and ending with a letter or digit"
TENANT_TAG = "smsvoice-cdk:tenant"
SEND_ACTIONS = ["sms-voice:SendMediaMessage", "sms-voice:SendTextMessage", "sms-voice:SendVoiceMessage"]
# Numbers that can stay PENDING for days: the deployment does not wait for them.
SLOW_NUMBER_TYPES = frozenset({NumberType.TOLL_FREE, NumberType.TEN_DLC})


class EventDestinationKind(StrEnum):
    """Where a tenant's message events go."""

    CLOUDWATCH_LOGS = "cloudwatch-logs"
    FIREHOSE = "firehose"
    SNS = "sns"


@dataclass(frozen=True)
class PhoneNumberRequest:
    """A number to request for the tenant."""

    number_type: NumberType
    capabilities: tuple[NumberCapability, ...] = (NumberCapability.SMS,)


class TenantMessaging(Construct):
    """One tenant's opt-out list, origination identities, pool, configuration set and event destinations.

    Names and tags carry the tenant id and nothing is shared with another tenant. The parts are attributes
    (``opt_out_list``, ``phone_numbers``, ``pool``, ``configuration_set``, ``event_log``, ...) so an app
    can add to them.

    Example::

        acme = TenantMessaging(
            self, "Acme", tenant_id="acme", iso_country_code="US", message_type=MessageType.TRANSACTIONAL,
            phone_numbers=[PhoneNumberRequest(NumberType.SIMULATOR, (NumberCapability.SMS,))],
            event_destinations=[EventDestinationKind.CLOUDWATCH_LOGS, EventDestinationKind.SNS],
        )
        acme.grant_send(worker_role)
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        tenant_id: str,
        iso_country_code: str,
        message_type: MessageType,
        phone_numbers: Sequence[PhoneNumberRequest] = (),
        existing_phone_number_arns: Sequence[str] = (),
        default_sender_id: str | None = None,
        event_destinations: Sequence[EventDestinationKind] = (EventDestinationKind.CLOUDWATCH_LOGS,),
        events: Sequence[EventType] = (EventType.ALL,),
        opted_out_numbers: Sequence[str] = (),
        tags: Mapping[str, str] | None = None,
        event_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        provider: ISmsVoiceProvider | None = None,
    ) -> None:
        """
        :param tenant_id: the tenant, 1 to 32 of ``[a-z0-9-]``; prefixes every name and is tagged.
        :param iso_country_code: the country of the tenant's numbers and pool.
        :param message_type: what the tenant sends: the numbers', pool's and set's message type.
        :param phone_numbers: numbers to request. Default: - none (then give existing ones).
        :param existing_phone_number_arns: numbers the tenant has already, joined to its pool.
            Default: - none.
        :param default_sender_id: the configuration set's default sender ID. Default: - none.
        :param event_destinations: where message events go. Default: - CloudWatch Logs.
        :param events: which events go there. Default: - all.
        :param opted_out_numbers: numbers opted out from the start. Default: - none.
        :param tags: tags of every part, besides the tenant tag. Default: - none.
        :param event_retention: how long logged events are kept. Default: - one year.
        :param provider: the provider that serves the parts. Default: - the stack's provider.
        """
        super().__init__(scope, id)
        check_pattern(self, "tenant_id", tenant_id, TENANT_ID_PATTERN, TENANT_ID_RULE)
        if not phone_numbers and not existing_phone_number_arns:
            raise SmsVoiceValidationError(
                self, "phone_numbers", [], "a tenant needs a requested or an existing phone number"
            )
        self.tenant_id = tenant_id
        Tags.of(self).add(TENANT_TAG, tenant_id)
        common_tags = dict(tags or {})

        self.opt_out_list = OptOutList(
            self,
            "OptOuts",
            opt_out_list_name=f"{tenant_id}-opt-outs",
            opted_out_numbers=opted_out_numbers,
            tags=common_tags,
            provider=provider,
        )
        self.phone_numbers: list[PhoneNumber] = [
            PhoneNumber(
                self,
                f"Number{index}",
                iso_country_code=iso_country_code,
                message_type=message_type,
                number_type=request.number_type,
                number_capabilities=list(request.capabilities),
                opt_out_list=self.opt_out_list,
                wait_for_active=request.number_type not in SLOW_NUMBER_TYPES,
                tags=common_tags,
                provider=provider,
            )
            for index, request in enumerate(phone_numbers)
        ]
        identities: list[IOriginationIdentity] = [*self.phone_numbers]
        identities += [
            PhoneNumber.from_phone_number_attributes(
                self, f"Existing{index}", phone_number_arn=arn, iso_country_code=iso_country_code,
                message_type=message_type,
            )
            for index, arn in enumerate(existing_phone_number_arns)
        ]  # fmt: skip
        self.pool = Pool(
            self,
            "Pool",
            origination_identities=identities,
            message_type=message_type,
            iso_country_code=iso_country_code,
            opt_out_list=self.opt_out_list,
            tags=common_tags,
            provider=provider,
        )
        self.configuration_set = ConfigurationSet(
            self,
            "Events",
            configuration_set_name=f"{tenant_id}-events",
            default_message_type=message_type,
            default_sender_id=default_sender_id,
            tags=common_tags,
            provider=provider,
        )
        self.event_log: logs.LogGroup | None = None
        self.event_archive: s3.Bucket | None = None
        self.event_stream: firehose.DeliveryStream | None = None
        self.event_topic: sns.Topic | None = None
        for kind in dict.fromkeys(event_destinations):
            self.configuration_set.add_event_destination(
                kind.title().replace("-", ""),
                self._sink(kind, event_retention),
                events=list(events),
                event_destination_name=f"{tenant_id}-{kind}",
            )

    def _sink(self, kind: EventDestinationKind, retention: logs.RetentionDays) -> IEventDestinationSink:
        if kind is EventDestinationKind.CLOUDWATCH_LOGS:
            self.event_log = event_log_group(self, retention)
            return CloudWatchLogsDestination(self.event_log)
        if kind is EventDestinationKind.FIREHOSE:
            self.event_archive, self.event_stream = event_archive_stream(self)
            return FirehoseDestination(self.event_stream)
        self.event_topic = event_topic(self, self.tenant_id)
        return SnsDestination(self.event_topic)

    def grant_send(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` send text, voice and media messages from this tenant's pool and set, only."""
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=SEND_ACTIONS,
            resource_arns=[self.pool.pool_arn, self.configuration_set.configuration_set_arn],
        )


# The sinks of a tenant's events, built the same way wherever they are used (the benchmark's L1 app too).
def event_log_group(scope: Construct, retention: logs.RetentionDays) -> logs.LogGroup:
    """A log group for events, retained with the stack's removal: events are the tenant's records."""
    return logs.LogGroup(scope, "EventLog", retention=retention, removal_policy=RemovalPolicy.RETAIN)


def event_archive_stream(scope: Construct) -> tuple[s3.Bucket, firehose.DeliveryStream]:
    """A Firehose stream into an encrypted, private, versioned S3 bucket."""
    bucket = s3.Bucket(
        scope,
        "EventArchive",
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        versioned=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
    destination = firehose.S3Bucket(
        bucket,
        data_output_prefix="events/",
        error_output_prefix="errors/",
        buffering_interval=Duration.minutes(5),
    )
    stream = firehose.DeliveryStream(
        scope, "EventStream", destination=destination, encryption=firehose.StreamEncryption.aws_owned_key()
    )
    _acknowledge_archive_findings(bucket, stream)
    return bucket, stream


def _acknowledge_archive_findings(bucket: s3.Bucket, stream: firehose.DeliveryStream) -> None:
    archive_reason = (
        "The archive is written only by this Firehose stream through its role; object access is recorded "
        "by CloudTrail data events where the account enables them, without a second bucket per tenant."
    )
    acknowledge(resource_of(bucket), "S1", reason=archive_reason)
    # The stream's S3 role, made by aws-cdk's DeliveryStream with bucket.grant_read_write: action families
    # and object keys of this one bucket.
    policy = resource_of(stream.node.find_child("S3 Destination Role"), "DefaultPolicy")
    reason = "Firehose's own grant on this one bucket (aws-cdk DeliveryStream, grant_read_write)."
    actions = ("s3:Abort*", "s3:DeleteObject*", "s3:GetBucket*", "s3:GetObject*", "s3:List*")
    findings = [f"Action::{action}" for action in actions]
    findings.append(f"Resource::{evidence(bucket, f'{bucket.bucket_arn}/*')}")
    acknowledge(policy, "IAM5", findings=findings, reason=reason)


def event_topic(scope: Construct, tenant_id: str) -> sns.Topic:
    """A topic encrypted with a customer-managed, rotated key, which the service may be allowed to use."""
    key = kms.Key(
        scope,
        "EventTopicKey",
        enable_key_rotation=True,
        description=f"smsvoice-cdk: encrypts tenant {tenant_id}'s message event topic",
    )
    return sns.Topic(scope, "EventTopic", master_key=key, enforce_ssl=True)
