#!/usr/bin/env python3
"""The example CDK app: `make synth` writes its stacks to cdk.out."""

from smsvoice_cdk.stacks.app import build_app

build_app().synth()
