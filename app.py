#!/usr/bin/env python3
"""The example CDK app: `make synth` writes its stacks to cdk.out."""

import os

import aws_cdk as cdk

from smsvoice_cdk.stacks.example import ExampleStack

app = cdk.App()
env = cdk.Environment(
    account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
    region=os.environ.get("CDK_DEFAULT_REGION", "us-east-1"),
)
ExampleStack(app, "SmsVoiceExample", env=env)
app.synth()
