"""ProviderStack: the one provider of an account and region, shared by every tenant stack."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from constructs import Construct

from ..constructs.provider import SmsVoiceProvider


class ProviderStack(Stack):
    """The handler functions, and an SSM parameter holding their service token for the tenant stacks.

    Tenant stacks read the parameter at deploy time instead of importing a CloudFormation export, so this
    stack can be updated (a new handler version, say) while tenant stacks use it.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        parameter_name: str = SmsVoiceProvider.DEFAULT_PARAMETER_NAME,
        max_concurrency: int | None = 4,
        **kwargs: Any,
    ) -> None:
        """
        :param parameter_name: the SSM parameter the service token is published in.
        :param max_concurrency: requests handled at once across every tenant (see SmsVoiceProvider).
            Default: - 4, well within the API's per-account rate with retries.
        """
        super().__init__(scope, id, **kwargs)
        self.provider = SmsVoiceProvider(self, "Provider", max_concurrency=max_concurrency)
        self.service_token_parameter = self.provider.publish_service_token(parameter_name)
