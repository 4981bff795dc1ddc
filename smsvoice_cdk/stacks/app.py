"""The per-tenant app, built by a function so that tests synthesize exactly what `make synth` does."""

from __future__ import annotations

import os
from pathlib import Path

import aws_cdk as cdk

from .provider_stack import ProviderStack
from .tenant_stack import TenantStack
from .tenants import TenantConfig, load_tenants

DEFAULT_TENANTS_FILE = "tenants.json"


def build_app(
    app: cdk.App | None = None,
    *,
    tenants: list[TenantConfig] | None = None,
    env: cdk.Environment | None = None,
    synthesizer_factory: type[cdk.DefaultStackSynthesizer] | None = None,
) -> cdk.App:
    """One provider stack per account and region, and one ``SmsVoice-<tenant>`` stack per tenant.

    Tenants come from ``tenants`` or else the file named by the context value ``tenants``
    (``cdk synth -c tenants=path``), by default ``tenants.json``; the file is validated before any stack
    is built.
    """
    app = app or cdk.App()
    if tenants is None:
        tenants = load_tenants(Path(app.node.try_get_context("tenants") or DEFAULT_TENANTS_FILE))
    default_env = env or cdk.Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
        region=os.environ.get("CDK_DEFAULT_REGION", "us-east-1"),
    )
    providers: dict[tuple[str | None, str | None], ProviderStack] = {}
    for tenant in tenants:
        tenant_env = cdk.Environment(
            account=tenant.account or default_env.account, region=tenant.region or default_env.region
        )
        key = (tenant_env.account, tenant_env.region)
        if key not in providers:
            providers[key] = ProviderStack(
                app, _provider_stack_name(*key), env=tenant_env, synthesizer=_synthesizer(synthesizer_factory)
            )
        stack = TenantStack(
            app,
            f"SmsVoice-{tenant.id}",
            tenant=tenant,
            env=tenant_env,
            synthesizer=_synthesizer(synthesizer_factory),
        )
        # `cdk deploy --all` deploys the provider first; the dependency is deploy order only, no export.
        stack.add_stack_dependency(providers[key])
    return app


def _provider_stack_name(account: str | None, region: str | None) -> str:
    return "-".join(part for part in ("SmsVoiceProvider", account, region) if part)


def _synthesizer(factory: type[cdk.DefaultStackSynthesizer] | None) -> cdk.IStackSynthesizer | None:
    return factory(generate_bootstrap_version_rule=False) if factory else None
