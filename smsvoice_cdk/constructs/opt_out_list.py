"""OptOutList: the recipients who must not be messaged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from aws_cdk import Arn, ArnFormat, Names, RemovalPolicy, Resource, Stack
from constructs import Construct

from ..custom_resources.contract import ARN_SERVICE
from ..custom_resources.contract import OptOutList as Keys
from .core import ResponseAttribute, SmsVoiceResource
from .provider import ISmsVoiceProvider
from .validation import check_name, check_phone_numbers


@runtime_checkable
class IOptOutList(Protocol):
    """An opt-out list, owned by this app or imported."""

    @property
    def opt_out_list_name(self) -> str: ...

    @property
    def opt_out_list_arn(self) -> str: ...


class OptOutListBase(Resource):
    """What owned and imported opt-out lists share."""

    _name: str
    _arn: str

    @property
    def opt_out_list_name(self) -> str:
        """The list's name, which is also its id in the API."""
        return self._name

    @property
    def opt_out_list_arn(self) -> str:
        return self._arn


class _ImportedOptOutList(OptOutListBase):
    def __init__(self, scope: Construct, id: str, *, name: str, arn: str) -> None:
        super().__init__(scope, id)
        self._name, self._arn = name, arn


class OptOutList(SmsVoiceResource, OptOutListBase):
    """An opt-out list (``Custom::SmsVoiceOptOutList``).

    Opted-out numbers are consent records, so the list is retained when it leaves the stack unless
    ``removal_policy`` says otherwise, and a rename (a replacement) copies every opted-out number of the
    old list into the new one before it reports success.

    Example::

        opt_outs = OptOutList(self, "OptOuts", opted_out_numbers=["+12065550100"])
    """

    opt_out_list_name = ResponseAttribute(Keys.ATTR_NAME)
    opt_out_list_arn = ResponseAttribute(Keys.ATTR_ARN)

    @staticmethod
    def from_opt_out_list_name(scope: Construct, id: str, opt_out_list_name: str) -> IOptOutList:
        """An existing list of this stack's account and region, by name."""
        arn = Stack.of(scope).format_arn(
            service=ARN_SERVICE,
            resource=Keys.ARN_RESOURCE,
            resource_name=opt_out_list_name,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        return _ImportedOptOutList(scope, id, name=opt_out_list_name, arn=arn)

    @staticmethod
    def from_opt_out_list_arn(scope: Construct, id: str, opt_out_list_arn: str) -> IOptOutList:
        """An existing list, by ARN (``arn:<partition>:sms-voice:<region>:<account>:opt-out-list/<name>``)."""
        name = Arn.split(opt_out_list_arn, ArnFormat.SLASH_RESOURCE_NAME).resource_name
        return _ImportedOptOutList(scope, id, name=str(name), arn=opt_out_list_arn)

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        opt_out_list_name: str | None = None,
        opted_out_numbers: Sequence[str] = (),
        tags: Mapping[str, str] | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        provider: ISmsVoiceProvider | None = None,
    ) -> None:
        """
        :param opt_out_list_name: the list's name, 1 to 64 of ``[A-Za-z0-9_-]``; changing it replaces the
            list (numbers are copied). Default: - a name unique to this construct's path.
        :param opted_out_numbers: E.164 numbers to opt out; put on create, added and removed on update.
            A number the recipient opted out themselves (STOP) is never removed. Default: - none.
        :param tags: tags of the list, merged with ``Tags.of(...)``. Default: - none.
        :param removal_policy: what happens when the list leaves the stack. Default: - RETAIN.
        :param provider: the provider that serves the resource. Default: - the stack's provider.
        """
        super().__init__(scope, id, resource_type=Keys.TYPE, tags=tags)
        check_name(self, "opt_out_list_name", opt_out_list_name)
        check_phone_numbers(self, "opted_out_numbers", opted_out_numbers)
        name = opt_out_list_name or Names.unique_resource_name(
            self, max_length=64, separator="-", allowed_special_characters="_-"
        )
        resource = self._create_custom_resource(
            {Keys.NAME: name, Keys.OPTED_OUT_NUMBERS: list(opted_out_numbers)},
            provider=provider,
            removal_policy=removal_policy,
        )
        self._resource = resource
