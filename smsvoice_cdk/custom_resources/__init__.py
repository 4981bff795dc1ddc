"""The Lambda asset behind every smsvoice-cdk custom resource (stdlib and boto3 only).

Importing this package must stay cheap: the construct side imports ``contract`` from it at synth time.
"""
