"""What every smsvoice-cdk resource construct shares: its custom resource and its tags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsii
from aws_cdk import (
    CustomResource,
    ITaggable,
    RemovalPolicy,
    Resource,
    TagManager,
    TagType,
)
from constructs import Construct

from ..custom_resources.contract import TAGS
from .provider import ISmsVoiceProvider, SmsVoiceProvider
from .validation import check_tags


@jsii.implements(ITaggable)
class SmsVoiceResource(Resource):
    """Base of the owned resources: a ``Resource`` child backed by the shared provider, taggable.

    ``Tags.of(scope).add(key, value)`` reaches the ``Tags`` property through ``tags``, merged with the
    ``tags`` prop.
    """

    def __init__(
        self, scope: Construct, id: str, *, resource_type: str, tags: Mapping[str, str] | None
    ) -> None:
        super().__init__(scope, id)
        check_tags(self.node.path, tags or {})
        self._resource_type = resource_type
        self._tags = TagManager(TagType.KEY_VALUE, resource_type, dict(tags or {}))

    @property
    def tags(self) -> TagManager:
        return self._tags

    def _create_custom_resource(
        self,
        properties: Mapping[str, Any],
        *,
        provider: ISmsVoiceProvider | None,
        removal_policy: RemovalPolicy,
    ) -> CustomResource:
        """The child named ``"Resource"``, its ``Tags`` rendered at synth so later tags still arrive."""
        token = (provider or SmsVoiceProvider.of(self)).service_token
        return CustomResource(
            self,
            "Resource",
            service_token=token,
            resource_type=self._resource_type,
            properties={**properties, TAGS: self._tags.rendered_tags},
            removal_policy=removal_policy,
            pascal_case_properties=False,
        )
