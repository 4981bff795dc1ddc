"""TenantStack: one tenant's messaging, served by the shared provider, deployable on its own."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from constructs import Construct

from ..constructs.provider import SmsVoiceProvider
from ..constructs.tenant import TenantMessaging
from .tenants import TenantConfig


class TenantStack(Stack):
    """``SmsVoice-<tenant>``: holds no Lambda function; finds the provider through its SSM parameter."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        tenant: TenantConfig,
        parameter_name: str = SmsVoiceProvider.DEFAULT_PARAMETER_NAME,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, description=f"smsvoice-cdk: messaging of tenant {tenant.id}", **kwargs)
        provider = SmsVoiceProvider.from_parameter(self, "SharedProvider", parameter_name)
        self.messaging = TenantMessaging(
            self,
            "Messaging",
            tenant_id=tenant.id,
            iso_country_code=tenant.iso_country_code,
            message_type=tenant.message_type,
            phone_numbers=tenant.phone_numbers,
            existing_phone_number_arns=tenant.existing_phone_number_arns,
            default_sender_id=tenant.default_sender_id,
            event_destinations=tenant.event_destinations,
            opted_out_numbers=tenant.opted_out_numbers,
            tags=tenant.tags,
            provider=provider,
        )
