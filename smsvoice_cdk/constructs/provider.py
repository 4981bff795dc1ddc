"""SmsVoiceProvider: the Lambda functions behind every smsvoice-cdk custom resource."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, cast, runtime_checkable

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ssm as ssm
from aws_cdk import custom_resources as cr
from constructs import Construct, IConstruct

from ..custom_resources.contract import (
    ARN_SERVICE,
    MANAGED_TAG_KEY,
    MANAGED_TAG_VALUE,
    SERVICE_PRINCIPAL,
    SERVICE_ROLE_PATH,
)
from .nag import acknowledge, evidence, resource_of

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The asset is the package folder with everything but the handler excluded, so the handler is the
# package ``custom_resources`` at the asset root and its relative imports work in Lambda as in tests.
HANDLER_ASSET_EXCLUDE = [
    "*",
    "!custom_resources",
    "!custom_resources/*.py",
    "custom_resources/__pycache__",
    "*.pyc",
]

# Create actions without resource-level permissions: allowed only with the managed tag in the request.
CREATE_ACTIONS = [
    "sms-voice:CreateConfigurationSet",
    "sms-voice:CreateOptOutList",
    "sms-voice:CreatePool",
    "sms-voice:RequestPhoneNumber",
    "sms-voice:RequestSenderId",
]
TAG_ACTIONS = ["sms-voice:ListTagsForResource", "sms-voice:TagResource", "sms-voice:UntagResource"]
MUTATE_ACTIONS = [
    "sms-voice:AssociateOriginationIdentity",
    "sms-voice:CreateEventDestination",
    "sms-voice:DeleteConfigurationSet",
    "sms-voice:DeleteDefaultMessageType",
    "sms-voice:DeleteDefaultSenderId",
    "sms-voice:DeleteEventDestination",
    "sms-voice:DeleteKeyword",
    "sms-voice:DeleteOptedOutNumber",
    "sms-voice:DeleteOptOutList",
    "sms-voice:DeletePool",
    "sms-voice:DisassociateOriginationIdentity",
    "sms-voice:PutKeyword",
    "sms-voice:PutOptedOutNumber",
    "sms-voice:ReleasePhoneNumber",
    "sms-voice:ReleaseSenderId",
    "sms-voice:SetDefaultMessageFeedbackEnabled",
    "sms-voice:SetDefaultMessageType",
    "sms-voice:SetDefaultSenderId",
    "sms-voice:UpdateEventDestination",
    "sms-voice:UpdatePhoneNumber",
    "sms-voice:UpdatePool",
    "sms-voice:UpdateSenderId",
]
# Every read names its resource, so reads are scoped like writes.
READ_ACTIONS = [
    "sms-voice:DescribeConfigurationSets",
    "sms-voice:DescribeKeywords",
    "sms-voice:DescribeOptedOutNumbers",
    "sms-voice:DescribeOptOutLists",
    "sms-voice:DescribePhoneNumbers",
    "sms-voice:DescribePools",
    "sms-voice:DescribeSenderIds",
    "sms-voice:ListPoolOriginationIdentities",
]
OWNED_RESOURCE_TYPES = ["configuration-set", "opt-out-list", "phone-number", "pool", "sender-id"]


# Why each cdk-nag finding on the provider is what we want.
CREATE_REASON = (
    "Create actions have no resource-level permissions: they are allowed only with the request tag "
    f"{MANAGED_TAG_KEY}={MANAGED_TAG_VALUE}, which the handler sends on every create."
)
OWNED_REASON = (
    "One resource type in this account and region (or roles under the service-role path): the service "
    "assigns ids at create time, so no narrower ARN is known at synth."
)
RUNTIME_REASON = "Python 3.13 is the runtime the handler is tested on; a newer one is a reviewed change."
FRAMEWORK_LOGS_REASON = "The CDK Provider framework's own function writes its logs with this policy."
VERSIONS_REASON = "Invokes one function; ':*' covers that function's versions only."
WAITER_REASON = (
    "The waiter only polls is_complete: the handler logs every poll as one line, and Step Functions keeps "
    "each execution's history."
)


@runtime_checkable
class ISmsVoiceProvider(Protocol):
    """Anything that can serve smsvoice-cdk custom resources: a provider, or one imported by token."""

    @property
    def service_token(self) -> str: ...


class _ImportedProvider:
    """A provider known by its service token alone: nothing to add to the construct tree."""

    def __init__(self, service_token: str) -> None:
        self._service_token = service_token

    @property
    def service_token(self) -> str:
        return self._service_token


class SmsVoiceProvider(Construct):
    """The on_event and is_complete handlers behind ``aws_cdk.custom_resources.Provider``.

    One per stack is enough for any number of resources: ``SmsVoiceProvider.of(scope)`` finds the stack's
    provider or creates it. To share one provider per account and region, create it in its own stack and
    hand its ``service_token`` to other stacks (``SmsVoiceProvider.from_service_token``).
    """

    UNIQUE_ID = "smsvoice-cdk.SmsVoiceProvider"
    DEFAULT_PARAMETER_NAME = "/smsvoice-cdk/provider/service-token"

    @classmethod
    def of(cls, scope: IConstruct) -> SmsVoiceProvider:
        """The provider of ``scope``'s stack, created on first use."""
        stack = Stack.of(scope)
        existing = stack.node.try_find_child(cls.UNIQUE_ID)
        if isinstance(existing, SmsVoiceProvider):
            return existing
        return cls(stack, cls.UNIQUE_ID)

    @staticmethod
    def from_service_token(scope: Construct, id: str, service_token: str) -> ISmsVoiceProvider:
        """A provider that lives elsewhere (another stack, found through an SSM parameter, say)."""
        return _ImportedProvider(service_token)

    @staticmethod
    def from_parameter(
        scope: Construct, id: str, parameter_name: str = DEFAULT_PARAMETER_NAME
    ) -> ISmsVoiceProvider:
        """The provider whose service token ``publish_service_token`` stored in SSM, read at deploy time.

        Not a CloudFormation export: the provider stack can then be updated while other stacks use it.
        """
        token = ssm.StringParameter.value_for_string_parameter(scope, parameter_name)
        return _ImportedProvider(token)

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        total_timeout: Duration | None = None,
        query_interval: Duration | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH,
        max_concurrency: int | None = None,
    ) -> None:
        """
        :param total_timeout: how long a resource may wait (for ACTIVE, say) before it fails.
            Default: - 45 minutes, well inside CloudFormation's one hour for a custom resource.
        :param query_interval: how often ``is_complete`` is polled. Default: - 15 seconds.
        :param log_retention: retention of the handlers' log group. Default: - one month.
        :param max_concurrency: requests handled at once, reserved on the framework functions that
            CloudFormation and the waiter invoke (both retry a throttled invocation), so that many stacks
            deploying together queue instead of overrunning the API's per-account rate. Reserved
            concurrency needs an account whose Lambda concurrency limit leaves 100 unreserved.
            Default: - no bound.
        """
        super().__init__(scope, id)
        stack = Stack.of(self)
        self.log_group = logs.LogGroup(
            self, "Logs", retention=log_retention, removal_policy=RemovalPolicy.DESTROY
        )
        self.role = iam.Role(
            self,
            "HandlerRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="smsvoice-cdk custom resource handler",
        )
        self.log_group.grant_write(self.role)
        statements = handler_policy_statements(stack)
        for statement in statements:
            self.role.add_to_principal_policy(statement)

        code = lambda_.Code.from_asset(str(PACKAGE_DIR), exclude=HANDLER_ASSET_EXCLUDE)
        common = dict(
            runtime=lambda_.Runtime.PYTHON_3_13,
            code=code,
            role=self.role,
            memory_size=256,
            architecture=lambda_.Architecture.ARM_64,
            log_group=self.log_group,
        )
        self.on_event_function = lambda_.Function(
            self,
            "OnEvent",
            handler="custom_resources.index.on_event",
            # Inside the framework function's 15 minutes, with room for throttling retries.
            timeout=Duration.minutes(14),
            description="smsvoice-cdk: create, update and delete SMS and Voice v2 resources",
            **common,  # type: ignore[arg-type]
        )
        self.is_complete_function = lambda_.Function(
            self,
            "IsComplete",
            handler="custom_resources.index.is_complete",
            timeout=Duration.minutes(10),
            description="smsvoice-cdk: wait for and converge SMS and Voice v2 resources",
            **common,  # type: ignore[arg-type]
        )
        self.provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=self.on_event_function,
            is_complete_handler=self.is_complete_function,
            total_timeout=total_timeout or Duration.minutes(45),
            query_interval=query_interval or Duration.seconds(15),
            log_group=self.log_group,
        )
        self._acknowledge_nag_findings(statements)
        if max_concurrency is not None:
            for framework_function in ("framework-onEvent", "framework-isComplete"):
                function = self.provider.node.find_child(framework_function).node.default_child
                function.add_property_override("ReservedConcurrentExecutions", max_concurrency)  # type: ignore[union-attr]

    @property
    def service_token(self) -> str:
        return self.provider.service_token

    def _acknowledge_nag_findings(self, statements: list[iam.PolicyStatement]) -> None:
        """The provider's cdk-nag findings, each acknowledged on its resource with the reason."""
        handler_policy = resource_of(self.role, "DefaultPolicy")
        acknowledge(handler_policy, "IAM5", findings=["Resource::*"], reason=CREATE_REASON)
        scoped_arns = sorted({arn for statement in statements for arn in statement.resources if arn != "*"})
        owned = [f"Resource::{evidence(self, arn)}" for arn in scoped_arns]
        acknowledge(handler_policy, "IAM5", findings=owned, reason=OWNED_REASON)
        for function in (self.on_event_function, self.is_complete_function):
            acknowledge(resource_of(function), "L1", reason=RUNTIME_REASON)

        basic_execution = iam.ManagedPolicy.from_aws_managed_policy_name(
            "service-role/AWSLambdaBasicExecutionRole"
        )
        managed = [f"Policy::{evidence(self, basic_execution.managed_policy_arn)}"]
        handlers = [
            f"Resource::{evidence(self, function.function_arn)}:*"
            for function in (self.on_event_function, self.is_complete_function)
        ]
        for name in ("framework-onEvent", "framework-isComplete", "framework-onTimeout"):
            role = self.provider.node.find_child(name).node.find_child("ServiceRole")
            acknowledge(resource_of(role), "IAM4", findings=managed, reason=FRAMEWORK_LOGS_REASON)
            acknowledge(resource_of(role, "DefaultPolicy"), "IAM5", findings=handlers, reason=VERSIONS_REASON)

        waiter = self.provider.node.find_child("waiter-state-machine")
        framework_functions = [
            cast(lambda_.IFunction, self.provider.node.find_child(name))
            for name in ("framework-isComplete", "framework-onTimeout")
        ]
        framework = [f"Resource::{evidence(self, f.function_arn)}:*" for f in framework_functions]
        waiter_policy = resource_of(waiter.node.find_child("Role"), "DefaultPolicy")
        acknowledge(waiter_policy, "IAM5", findings=framework, reason=VERSIONS_REASON)
        for rule in ("SF1", "SF2"):
            acknowledge(resource_of(waiter), rule, reason=WAITER_REASON)

    def publish_service_token(self, parameter_name: str = DEFAULT_PARAMETER_NAME) -> ssm.StringParameter:
        """Store the service token in an SSM parameter for ``from_parameter`` in other stacks."""
        return ssm.StringParameter(
            self,
            "ServiceTokenParameter",
            parameter_name=parameter_name,
            string_value=self.service_token,
            description="smsvoice-cdk provider service token, read by stacks that use the shared provider",
        )


def handler_policy_statements(stack: Stack) -> list[iam.PolicyStatement]:
    """The handler role: no ``sms-voice:*``; creates need the managed request tag; the rest by ARN."""
    owned = [
        stack.format_arn(
            service=ARN_SERVICE,
            resource=kind,
            resource_name="*",
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        for kind in OWNED_RESOURCE_TYPES
    ]
    service_roles = stack.format_arn(
        service="iam",
        region="",
        resource="role",
        resource_name=f"{SERVICE_ROLE_PATH.strip('/')}/*",
        arn_format=ArnFormat.SLASH_RESOURCE_NAME,
    )
    return [
        iam.PolicyStatement(
            sid="CreateWithManagedTag",
            actions=CREATE_ACTIONS,
            resources=["*"],
            conditions={"StringEquals": {f"aws:RequestTag/{MANAGED_TAG_KEY}": MANAGED_TAG_VALUE}},
        ),
        iam.PolicyStatement(sid="ManageTags", actions=TAG_ACTIONS, resources=owned),
        iam.PolicyStatement(sid="MutateOwnedResources", actions=MUTATE_ACTIONS, resources=owned),
        iam.PolicyStatement(sid="ReadOwnedResources", actions=READ_ACTIONS, resources=owned),
        iam.PolicyStatement(
            sid="PassServiceRolesToSmsVoice",
            actions=["iam:PassRole"],
            resources=[service_roles],
            conditions={"StringEquals": {"iam:PassedToService": SERVICE_PRINCIPAL}},
        ),
    ]
