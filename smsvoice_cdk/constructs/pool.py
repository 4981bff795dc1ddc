"""Pool: origination identities used for the same purpose, with one configuration and opt-out list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import jsii
from aws_cdk import Arn, ArnFormat, RemovalPolicy, Resource, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct, IValidation

from ..custom_resources.contract import ARN_SERVICE
from ..custom_resources.contract import Pool as Keys
from .core import ResponseAttribute, SmsVoiceResource, property_value
from .enums import MessageType
from .keyword import Keyword, check_keyword, render_keywords, render_keywords_property
from .opt_out_list import IOptOutList
from .origination_identity import IOriginationIdentity, TwoWayChannel, render_two_way
from .provider import ISmsVoiceProvider
from .validation import SmsVoiceValidationError, check_choice, check_iso_country_code, unresolved


@runtime_checkable
class IPool(Protocol):
    """A pool, owned by this app or imported."""

    @property
    def pool_id(self) -> str: ...

    @property
    def pool_arn(self) -> str: ...

    def grant_send_text_message(self, grantee: iam.IGrantable) -> iam.Grant: ...

    def grant_send_voice_message(self, grantee: iam.IGrantable) -> iam.Grant: ...

    def grant_send_media_message(self, grantee: iam.IGrantable) -> iam.Grant: ...


class PoolBase(Resource):
    """What owned and imported pools share: attributes and grants."""

    _id: str
    _arn: str

    @property
    def pool_id(self) -> str:
        return self._id

    @property
    def pool_arn(self) -> str:
        return self._arn

    def grant_send_text_message(self, grantee: iam.IGrantable) -> iam.Grant:
        """Allow ``grantee`` to send SMS from this pool."""
        return self._grant(grantee, "sms-voice:SendTextMessage")

    def grant_send_voice_message(self, grantee: iam.IGrantable) -> iam.Grant:
        """Allow ``grantee`` to place voice messages from this pool."""
        return self._grant(grantee, "sms-voice:SendVoiceMessage")

    def grant_send_media_message(self, grantee: iam.IGrantable) -> iam.Grant:
        """Allow ``grantee`` to send MMS from this pool."""
        return self._grant(grantee, "sms-voice:SendMediaMessage")

    def _grant(self, grantee: iam.IGrantable, action: str) -> iam.Grant:
        return iam.Grant.add_to_principal(grantee=grantee, actions=[action], resource_arns=[self.pool_arn])


class _ImportedPool(PoolBase):
    def __init__(self, scope: Construct, id: str, *, pool_id: str, arn: str) -> None:
        super().__init__(scope, id)
        self._id, self._arn = pool_id, arn


@jsii.implements(IValidation)
class _HasIdentities:
    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    def validate(self) -> list[str]:
        if self._pool.origination_identities:
            return []
        error = SmsVoiceValidationError(
            self._pool,
            "origination_identities",
            [],
            "a pool needs at least one phone number or sender ID: pass origination_identities or call "
            "add_origination_identity",
        )
        return [str(error)]


class Pool(SmsVoiceResource, PoolBase):
    """A pool of phone numbers and sender IDs (``Custom::SmsVoicePool``).

    A pool is never replaced (its numbers could not join a new pool while this one holds them): every
    setting and the identities change in place. Identities are associated before removed ones are
    disassociated, so the pool always has a number; the first identity only seeds the pool on create.
    The pool is deleted when it leaves the stack (its numbers stay, as their own removal policy says).

    Example::

        pool = Pool(self, "Pool", origination_identities=[number], opt_out_list=opt_outs)
        pool.grant_send_text_message(sender_function)
    """

    pool_id = ResponseAttribute(Keys.ATTR_ID)
    pool_arn = ResponseAttribute(Keys.ATTR_ARN)

    @staticmethod
    def from_pool_arn(scope: Construct, id: str, pool_arn: str) -> IPool:
        """An existing pool, by ARN (``arn:<partition>:sms-voice:<region>:<account>:pool/<id>``)."""
        pool_id = Arn.split(pool_arn, ArnFormat.SLASH_RESOURCE_NAME).resource_name
        return _ImportedPool(scope, id, pool_id=str(pool_id), arn=pool_arn)

    @staticmethod
    def from_pool_id(scope: Construct, id: str, pool_id: str) -> IPool:
        """An existing pool of this stack's account and region, by id."""
        arn = Stack.of(scope).format_arn(
            service=ARN_SERVICE,
            resource=Keys.ARN_RESOURCE,
            resource_name=pool_id,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        return _ImportedPool(scope, id, pool_id=pool_id, arn=arn)

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        origination_identities: Sequence[IOriginationIdentity] = (),
        message_type: MessageType = MessageType.TRANSACTIONAL,
        iso_country_code: str | None = None,
        opt_out_list: IOptOutList | None = None,
        self_managed_opt_outs: bool = False,
        shared_routes: bool = False,
        deletion_protection: bool = False,
        two_way_channel: TwoWayChannel | None = None,
        keywords: Sequence[Keyword] = (),
        tags: Mapping[str, str] | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.DESTROY,
        provider: ISmsVoiceProvider | None = None,
    ) -> None:
        """
        :param origination_identities: phone numbers and sender IDs of the pool (more with
            ``add_origination_identity``); the first seeds the pool. At least one is required.
        :param message_type: what the pool sends; every identity must send it. It cannot change later.
            Default: - TRANSACTIONAL.
        :param iso_country_code: the pool's country; every identity whose country is known must be of it.
            Default: - the identities' own country.
        :param opt_out_list: the pool's opt-out list, changeable in place. A number that joins the pool
            later must have the pool's configuration (opt-out list, two-way, self-managed opt-outs), or
            the API refuses it. Default: - the first identity's list.
        :param self_managed_opt_outs: whether you handle opt-outs yourself. Default: - off.
        :param shared_routes: whether the pool may use shared routes where a country allows. Default: - off.
        :param deletion_protection: whether the service refuses to delete the pool. Default: - off.
        :param two_way_channel: where incoming messages go. Default: - two-way messaging off.
        :param keywords: keywords the pool answers (more with ``add_keyword``). Default: - none beyond
            HELP and STOP.
        :param tags: tags of the pool, merged with ``Tags.of(...)``. Default: - none.
        :param removal_policy: what happens when the pool leaves the stack. Default: - DESTROY (the pool
            holds no data, and a retained pool would keep its numbers from joining another pool).
        :param provider: the provider that serves the resource. Default: - the stack's provider.
        """
        super().__init__(scope, id, resource_type=Keys.TYPE, tags=tags)
        path = self
        check_choice(path, "message_type", message_type, [m.value for m in MessageType])
        check_iso_country_code(path, "iso_country_code", iso_country_code)
        self._message_type = MessageType(message_type)
        self._iso_country_code = iso_country_code
        self.opt_out_list = opt_out_list
        self._identities: list[IOriginationIdentity] = []
        self._keywords: list[Keyword] = []
        for identity in origination_identities:
            self.add_origination_identity(identity)
        for keyword in keywords:
            self.add_keyword(keyword)
        if not self._identities:
            # Identities are only ever added: a pool given one at construction always has one.
            self.node.add_validation(_HasIdentities(self))

        props: dict[str, Any] = {
            Keys.ORIGINATION_IDENTITIES: self._render_identities(),
            Keys.MESSAGE_TYPE: str(message_type),
            Keys.SELF_MANAGED_OPT_OUTS_ENABLED: self_managed_opt_outs,
            Keys.SHARED_ROUTES_ENABLED: shared_routes,
            Keys.DELETION_PROTECTION_ENABLED: deletion_protection,
            **render_two_way(two_way_channel),
            **render_keywords_property(self._keywords),
        }
        if iso_country_code is not None:
            props[Keys.ISO_COUNTRY_CODE] = iso_country_code
        if opt_out_list is not None:
            props[Keys.OPT_OUT_LIST_NAME] = property_value(opt_out_list, "opt_out_list_name")
        resource = self._create_custom_resource(props, provider=provider, removal_policy=removal_policy)
        self._resource = resource

    @property
    def origination_identities(self) -> list[IOriginationIdentity]:
        return list(self._identities)

    def add_origination_identity(self, identity: IOriginationIdentity) -> None:
        """Add a phone number or sender ID; it must agree with the pool on what is known at synth."""
        self._check_identity(identity)
        # The identity's ARN is a reference in the template: the pool is created after its identities
        # and deleted before them.
        self._identities.append(identity)
        self._rerender(Keys.ORIGINATION_IDENTITIES, self._render_identities())

    def add_keyword(self, keyword: Keyword) -> None:
        """Answer one more keyword (or set the message of HELP or STOP)."""
        check_keyword(self, "keywords", keyword, self._keywords)
        self._keywords.append(keyword)
        self._rerender(Keys.KEYWORDS, render_keywords(self._keywords))

    def _render_identities(self) -> list[dict[str, Any]]:
        rendered = []
        for identity in self._identities:
            item = {Keys.ORIGINATION_IDENTITY: property_value(identity, "origination_identity_arn")}
            country = identity.origination_iso_country_code
            if country is not None:
                item[Keys.ISO_COUNTRY_CODE] = country
            rendered.append(item)
        return rendered

    def _check_identity(self, identity: IOriginationIdentity) -> None:
        if any(_same_identity(other, identity) for other in self._identities):
            raise SmsVoiceValidationError(
                self, "origination_identities", _label(identity), "each identity may appear once"
            )
        types = identity.origination_message_types
        if types is not None and self._message_type not in types:
            raise SmsVoiceValidationError(
                self,
                "origination_identities",
                _label(identity),
                f"sends {', '.join(str(t) for t in types)} "
                f"but the pool's message_type is {self._message_type}",
            )
        self._check_country(identity)

    def _check_country(self, identity: IOriginationIdentity) -> None:
        country = identity.origination_iso_country_code
        if country is None or unresolved(country):
            return
        known: list[str | None] = [self._iso_country_code]
        known += [i.origination_iso_country_code for i in self._identities]
        for other in known:
            if other is not None and not unresolved(other) and other != country:
                raise SmsVoiceValidationError(
                    self,
                    "origination_identities",
                    _label(identity),
                    f"is of country {country} but the pool's identities are of {other}",
                )


def _same_identity(one: IOriginationIdentity, other: IOriginationIdentity) -> bool:
    """One identity twice: the same object, or imports of one ARN (an owned identity's ARN is its own)."""
    if one is other:
        return True
    if isinstance(one, SmsVoiceResource) or isinstance(other, SmsVoiceResource):
        return False
    return one.origination_identity_arn == other.origination_identity_arn


def _label(identity: IOriginationIdentity) -> str:
    if isinstance(identity, Construct):
        return identity.node.path
    return identity.origination_identity_arn
