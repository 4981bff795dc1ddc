"""The same tenants built from aws_cdk.aws_smsvoice L1 resources: the benchmark's point of comparison.

Same opt-out list, number, pool, configuration set and destinations (inline on CfnConfigurationSet), and
the same log groups, streams, buckets, topics, keys and destination roles, built by the same functions.
What makes the tenants the same is kept too: the opt-out list and the number are retained as
TenantMessaging retains them (consent records and numbers outlive the stack), and the configuration set
waits for what its destinations wait for (the topic policy the service checks when it adds the SNS
destination).
"""

from __future__ import annotations

from typing import Any, TypeVar

import aws_cdk as cdk
from aws_cdk import ArnFormat
from aws_cdk import aws_smsvoice as smsvoice
from constructs import Construct

from smsvoice_cdk.constructs.destinations import (
    CloudWatchLogsDestination,
    EventDestinationSinkConfig,
    FirehoseDestination,
    IEventDestinationSink,
    SnsDestination,
)
from smsvoice_cdk.constructs.enums import EventType
from smsvoice_cdk.constructs.tenant import (
    EventDestinationKind,
    event_archive_stream,
    event_log_group,
    event_topic,
)
from smsvoice_cdk.stacks.tenants import TenantConfig

_Retainable = TypeVar("_Retainable", bound=cdk.CfnResource)
MANDATORY_KEYWORDS = {
    "help": {"message": "Reply STOP to opt out."},
    "stop": {"message": "You are opted out."},
}
_SET = smsvoice.CfnConfigurationSet
SINK_KEYS = {
    "CloudWatchLogsDestination": ("cloud_watch_logs_destination", _SET.CloudWatchLogsDestinationProperty),
    "KinesisFirehoseDestination": ("kinesis_firehose_destination", _SET.KinesisFirehoseDestinationProperty),
    "SnsDestination": ("sns_destination", _SET.SnsDestinationProperty),
}
PROPERTY_KEYS = {
    "IamRoleArn": "iam_role_arn",
    "LogGroupArn": "log_group_arn",
    "DeliveryStreamArn": "delivery_stream_arn",
    "TopicArn": "topic_arn",
}


class _NamedSet(Construct):
    """What a destination binds to: the set's ARN, built from its name (inline destinations, no cycle)."""

    def __init__(self, scope: Construct, id: str, name: str) -> None:
        super().__init__(scope, id)
        self.configuration_set_name = name
        self.configuration_set_arn = cdk.Stack.of(scope).format_arn(
            service="sms-voice",
            resource="configuration-set",
            resource_name=name,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )


class L1TenantStack(cdk.Stack):
    def __init__(self, scope: Construct, id: str, *, tenant: TenantConfig, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        # Tagged the way TenantMessaging tags a tenant: everything in the stack carries the tenant.
        cdk.Tags.of(self).add("smsvoice-cdk:tenant", tenant.id)
        opt_outs = _retained(
            smsvoice.CfnOptOutList(self, "OptOuts", opt_out_list_name=f"{tenant.id}-opt-outs")
        )
        numbers = [
            _retained(
                smsvoice.CfnPhoneNumber(
                    self,
                    f"Number{index}",
                    iso_country_code=tenant.iso_country_code,
                    number_type=request.number_type.value,
                    number_capabilities=[c.value for c in request.capabilities],
                    mandatory_keywords=MANDATORY_KEYWORDS,
                    opt_out_list_name=opt_outs.ref,
                )
            )
            for index, request in enumerate(tenant.phone_numbers)
        ]
        smsvoice.CfnPool(
            self,
            "Pool",
            origination_identities=[n.attr_phone_number_id for n in numbers],
            mandatory_keywords=MANDATORY_KEYWORDS,
            opt_out_list_name=opt_outs.ref,
        )
        set_name = f"{tenant.id}-events"
        named_set = _NamedSet(self, "EventsName", set_name)
        sinks = [self._sink(named_set, kind, tenant) for kind in dict.fromkeys(tenant.event_destinations)]
        configuration_set = smsvoice.CfnConfigurationSet(
            self,
            "Events",
            configuration_set_name=set_name,
            default_sender_id=tenant.default_sender_id,
            event_destinations=[_destination(kind, config, tenant) for kind, config in sinks],
        )
        for _, config in sinks:
            for dependency in config.dependencies:
                configuration_set.node.add_dependency(dependency)

    def _sink(
        self, named_set: _NamedSet, kind: EventDestinationKind, tenant: TenantConfig
    ) -> tuple[EventDestinationKind, EventDestinationSinkConfig]:
        scope = Construct(self, kind.title().replace("-", ""))
        sink: IEventDestinationSink
        if kind is EventDestinationKind.CLOUDWATCH_LOGS:
            sink = CloudWatchLogsDestination(event_log_group(self, cdk.aws_logs.RetentionDays.ONE_YEAR))
        elif kind is EventDestinationKind.FIREHOSE:
            sink = FirehoseDestination(event_archive_stream(self)[1])
        else:
            sink = SnsDestination(event_topic(self, tenant.id))
        return kind, sink.bind(scope, named_set)  # type: ignore[arg-type]


def _retained(resource: _Retainable) -> _Retainable:
    resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
    return resource


def _destination(
    kind: EventDestinationKind, config: EventDestinationSinkConfig, tenant: TenantConfig
) -> smsvoice.CfnConfigurationSet.EventDestinationProperty:
    key, property_class = SINK_KEYS[config.sink_type]
    sink_property = property_class(**{PROPERTY_KEYS[k]: v for k, v in config.properties.items()})
    return smsvoice.CfnConfigurationSet.EventDestinationProperty(
        enabled=True,
        event_destination_name=f"{tenant.id}-{kind}",
        matching_event_types=[EventType.ALL.value],
        **{key: sink_property},
    )


def build_l1_app(app: cdk.App, tenants: list[TenantConfig], env: cdk.Environment) -> cdk.App:
    for tenant in tenants:
        L1TenantStack(app, f"SmsVoiceL1-{tenant.id}", tenant=tenant, env=env)
    return app
