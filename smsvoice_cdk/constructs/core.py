"""What every smsvoice-cdk resource construct shares: its custom resource and its tags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

import jsii
from aws_cdk import (
    CfnResource,
    ITaggable,
    Reference,
    RemovalPolicy,
    Resource,
    TagManager,
    TagType,
    Token,
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
        check_tags(self, tags or {})
        self._resource_type = resource_type
        self._tags = TagManager(TagType.KEY_VALUE, resource_type, dict(tags or {}))

    @property
    def tags(self) -> TagManager:
        return self._tags

    def _rerender(self, key: str, value: Any) -> None:
        """Write a property again after an ``add_*`` call made once the resource exists.

        An override instead of a lazy value: a lazy value is a callback from Node.js into Python for
        every resource at every synth, which hundreds of tenant stacks pay for even if nothing is added.
        """
        resource: CfnResource | None = self.__dict__.get("_resource")
        if resource is not None:
            resource.add_property_override(key, value)

    def _create_custom_resource(
        self,
        properties: Mapping[str, Any],
        *,
        provider: ISmsVoiceProvider | None,
        removal_policy: RemovalPolicy,
    ) -> CfnResource:
        """The child named ``"Resource"``, its ``Tags`` rendered at synth so later tags still arrive."""
        return custom_resource(
            self,
            resource_type=self._resource_type,
            properties={**properties, TAGS: self._tags.rendered_tags},
            provider=provider,
            removal_policy=removal_policy,
        )


def custom_resource(
    scope: Construct,
    *,
    resource_type: str,
    properties: Mapping[str, Any],
    provider: ISmsVoiceProvider | None,
    removal_policy: RemovalPolicy,
) -> CfnResource:
    """A ``Custom::SmsVoice*`` resource named ``"Resource"`` (so it is ``scope``'s default child).

    A plain ``CfnResource`` renders exactly what ``CustomResource`` would, with the same logical id, for
    fewer calls into the CDK's Node.js: synth time matters to apps with hundreds of tenant stacks.
    """
    token = (provider or SmsVoiceProvider.of(scope)).service_token
    resource = CfnResource(
        scope, "Resource", type=resource_type, properties={"ServiceToken": token, **properties}
    )
    if removal_policy != RemovalPolicy.DESTROY:
        # DESTROY is what CloudFormation does with a resource that has no policy; only RETAIN (and
        # SNAPSHOT) is written, which keeps the consent records and numbers visible in every diff.
        resource.apply_removal_policy(removal_policy)
    return resource


class ResponseAttribute:
    """An attribute of the construct's custom resource (``self._resource``), made on first read only.

    Declared on an owned resource under the public name it provides (``pool_arn``), where an imported
    resource holds a plain value. Most attributes of most resources are never read. Read as a string
    token, one costs two calls into Node.js; ``property_value`` passes it to another resource for one.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> ResponseAttribute: ...

    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> str: ...

    def __get__(self, obj: object | None, objtype: type | None = None) -> ResponseAttribute | str:
        if obj is None:
            return self
        value = Token.as_string(self.reference(obj))
        obj.__dict__[self.attr] = value  # later reads find the token in the instance
        return value

    def reference(self, obj: object) -> Reference:
        """The ``Fn::GetAtt`` itself, made once per resource and attribute."""
        made: dict[str, Reference] = obj.__dict__.setdefault("_response_references", {})
        if self.name not in made:
            made[self.name] = obj._resource.get_att(self.name)  # type: ignore[attr-defined]
        return made[self.name]


def property_value(source: object, name: str) -> Any:
    """``source.<name>`` as a value in another resource's properties.

    An attribute of one of our resources that nothing has read as a string yet goes in as its
    ``Fn::GetAtt`` reference: the template is the same, for one call into Node.js instead of two.
    """
    declared = getattr(type(source), name, None)
    if isinstance(declared, ResponseAttribute) and name not in vars(source):
        return declared.reference(source)
    return getattr(source, name)
