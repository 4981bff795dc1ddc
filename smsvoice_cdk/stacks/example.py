"""ExampleStack: one tenant's messaging resources, the way the README shows them."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from ..constructs.configuration_set import ConfigurationSet
from ..constructs.destinations import CloudWatchLogsDestination, FirehoseDestination, SnsDestination
from ..constructs.enums import EventType, KeywordAction, MessageType, NumberCapability, NumberType
from ..constructs.keyword import Keyword
from ..constructs.opt_out_list import OptOutList
from ..constructs.phone_number import PhoneNumber
from ..constructs.pool import Pool


class ExampleStack(Stack):
    """One tenant's messaging, the way the README shows it.

    An opt-out list seeded with a number that asked not to be contacted; a SIMULATOR number (it works in
    any account's SMS sandbox) in a pool with that list; and a configuration set whose events go to
    CloudWatch Logs, to S3 through Firehose, and (failures only) to an SNS topic.
    """

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        self.opt_out_list = OptOutList(
            self,
            "OptOuts",
            opt_out_list_name="example-opt-outs",
            opted_out_numbers=["+12065550100"],
            tags={"purpose": "example"},
        )
        self.phone_number = PhoneNumber(
            self,
            "SimulatorNumber",
            iso_country_code="US",
            message_type=MessageType.TRANSACTIONAL,
            number_type=NumberType.SIMULATOR,
            number_capabilities=[NumberCapability.SMS, NumberCapability.VOICE],
            opt_out_list=self.opt_out_list,
            tags={"purpose": "example"},
        )
        self.pool = Pool(
            self,
            "Pool",
            origination_identities=[self.phone_number],
            message_type=MessageType.TRANSACTIONAL,
            opt_out_list=self.opt_out_list,
            keywords=[
                Keyword("JOIN", message="Welcome! Reply STOP to opt out.", action=KeywordAction.OPT_IN)
            ],
            tags={"purpose": "example"},
        )
        self.configuration_set = ConfigurationSet(
            self,
            "Events",
            configuration_set_name="example-events",
            default_message_type=MessageType.TRANSACTIONAL,
            tags={"purpose": "example"},
        )
        self._add_destinations()

    def _add_destinations(self) -> None:
        event_log = logs.LogGroup(
            self, "EventLog", retention=logs.RetentionDays.THREE_MONTHS, removal_policy=RemovalPolicy.RETAIN
        )
        self.configuration_set.add_event_destination(
            "Logs",
            CloudWatchLogsDestination(event_log),
            events=[EventType.ALL],
            event_destination_name="logs",
        )

        archive = s3.Bucket(
            self,
            "EventArchive",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            versioned=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        stream = firehose.DeliveryStream(
            self,
            "EventStream",
            destination=firehose.S3Bucket(
                archive,
                data_output_prefix="events/",
                error_output_prefix="errors/",
                buffering_interval=Duration.minutes(5),
            ),
            encryption=firehose.StreamEncryption.aws_owned_key(),
        )
        self.configuration_set.add_event_destination(
            "Archive",
            FirehoseDestination(stream),
            events=[EventType.TEXT_ALL, EventType.VOICE_ALL],
            event_destination_name="archive",
        )

        alerts_key = kms.Key(
            self,
            "AlertsKey",
            enable_key_rotation=True,
            description="smsvoice-cdk example: encrypts the delivery failure alerts topic",
        )
        alerts = sns.Topic(self, "DeliveryFailures", master_key=alerts_key, enforce_ssl=True)
        self.configuration_set.add_event_destination(
            "Alerts",
            SnsDestination(alerts),
            events=[
                EventType.TEXT_BLOCKED,
                EventType.TEXT_CARRIER_BLOCKED,
                EventType.TEXT_CARRIER_UNREACHABLE,
                EventType.TEXT_UNREACHABLE,
                EventType.TEXT_TTL_EXPIRED,
                EventType.VOICE_FAILED,
            ],
            event_destination_name="failure-alerts",
        )
