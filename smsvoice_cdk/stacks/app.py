"""The example app, built by a function so that tests synthesize exactly what `make synth` does."""

from __future__ import annotations

import os

import aws_cdk as cdk

from .example import ExampleStack


def build_app(
    app: cdk.App | None = None,
    *,
    env: cdk.Environment | None = None,
    synthesizer: cdk.IStackSynthesizer | None = None,
) -> cdk.App:
    """Add the example app's stacks to ``app`` (a new one by default) and return it."""
    app = app or cdk.App()
    env = env or cdk.Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
        region=os.environ.get("CDK_DEFAULT_REGION", "us-east-1"),
    )
    ExampleStack(app, "SmsVoiceExample", env=env, synthesizer=synthesizer)
    return app
