"""Acknowledgments of cdk-nag (AwsSolutions) findings on the resources this package creates.

Each acknowledgment names one finding on one resource, with the reason it is what we want. They are
metadata: an app that does not run cdk-nag is not affected. cdk-nag names a wildcard finding by the
resolved value it found (``Resource::arn:aws:sms-voice:...:pool/*``); ``evidence`` renders a value the
same way, so an acknowledgment matches exactly that finding and nothing broader.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import Acknowledgment, Stack, Validations
from constructs import IConstruct

PACK = "AwsSolutions::AwsSolutions"


def acknowledge(construct: IConstruct, rule: str, reason: str, *, findings: Sequence[str] = ()) -> None:
    """Acknowledge ``rule`` (``"IAM5"``) on ``construct``: each of ``findings`` if the rule reports several
    (``"Resource::*"``), else the rule. One call for all of them: each call is a trip into Node.js."""
    ids = [f"{PACK}-{rule}[{finding}]" for finding in findings] or [f"{PACK}-{rule}"]
    Validations.of(construct).acknowledge(*(Acknowledgment(id=rule_id, reason=reason) for rule_id in ids))


def resource_of(construct: IConstruct, child: str | None = None) -> IConstruct:
    """The L1 resource of ``construct`` (or of its ``child``): where cdk-nag reports a finding."""
    owner = construct.node.find_child(child) if child else construct
    resource = owner.node.default_child
    if resource is None:
        raise ValueError(f"{owner.node.path} has no default child")
    return resource


def evidence(scope: IConstruct, value: str) -> str:
    """A value as cdk-nag prints it: references become ``<LogicalId.Attr>`` or ``<AWS::Region>``."""
    return _render(Stack.of(scope).resolve(value))


def _render(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Ref":
            return f"<{arg}>"
        if key == "Fn::GetAtt":
            return f"<{arg[0]}.{arg[1]}>"
        if key == "Fn::Join":
            separator, parts = arg
            return str(separator).join(_render(part) for part in parts)
    raise ValueError(f"cannot render {value!r} as cdk-nag evidence")
