"""PhoneNumber: an origination phone number, requested once and kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from aws_cdk import Arn, ArnFormat, RemovalPolicy, Resource
from constructs import Construct

from ..custom_resources.contract import PhoneNumber as Keys
from .core import ResponseAttribute, SmsVoiceResource, property_value
from .enums import MessageType, NumberCapability, NumberType
from .keyword import Keyword, check_keyword, render_keywords, render_keywords_property
from .opt_out_list import IOptOutList
from .origination_identity import (
    IOriginationIdentity,
    OriginationIdentityKind,
    TwoWayChannel,
    render_two_way,
)
from .provider import ISmsVoiceProvider
from .validation import (
    SmsVoiceValidationError,
    check_choice,
    check_iso_country_code,
    check_unique_choices,
    unresolved,
)

PREFERENCE_TYPES = ("StartsWith", "EndsWith", "Contains", "ExactMatch")


@dataclass(frozen=True)
class NumberPreference:
    """Which number to pick (``RequestPhoneNumber`` ``NumberPreference``), e.g. one starting ``+1206``."""

    preference_type: str
    filters: Sequence[str]

    def _render(self) -> list[dict[str, Any]]:
        return [{"PreferenceType": [self.preference_type], "Filter": list(self.filters)}]


@runtime_checkable
class IPhoneNumber(IOriginationIdentity, Protocol):
    """A phone number, owned by this app or imported."""

    @property
    def phone_number_id(self) -> str: ...

    @property
    def phone_number_arn(self) -> str: ...

    @property
    def phone_number(self) -> str:
        """The number in E.164 format."""
        ...


class PhoneNumberBase(Resource):
    """What owned and imported phone numbers share."""

    _id: str
    _arn: str
    _number: str | None
    _iso_country_code: str | None
    _message_type: MessageType | None

    @property
    def phone_number_id(self) -> str:
        return self._id

    @property
    def phone_number_arn(self) -> str:
        return self._arn

    @property
    def phone_number(self) -> str:
        if self._number is None:
            raise ValueError(
                f"{self.node.path}: the number of an imported phone number is not known; import it with "
                f"PhoneNumber.from_phone_number_attributes(..., phone_number=...)"
            )
        return self._number

    @property
    def origination_identity_arn(self) -> str:
        return self._arn

    @property
    def origination_identity_kind(self) -> OriginationIdentityKind:
        return OriginationIdentityKind.PHONE_NUMBER

    @property
    def origination_iso_country_code(self) -> str | None:
        return self._iso_country_code

    @property
    def origination_message_types(self) -> Sequence[MessageType] | None:
        return None if self._message_type is None else [self._message_type]


class _ImportedPhoneNumber(PhoneNumberBase):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        arn: str,
        number: str | None,
        iso_country_code: str | None,
        message_type: MessageType | None,
    ) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._id = str(Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resource_name)
        self._number, self._iso_country_code, self._message_type = number, iso_country_code, message_type


class PhoneNumber(SmsVoiceResource, PhoneNumberBase):
    """An origination phone number (``Custom::SmsVoicePhoneNumber``).

    Deploying waits until the number is ACTIVE unless ``wait_for_active=False``. Settings (opt-out list,
    two-way channel, self-managed opt-outs, international sending, deletion protection, keywords, tags)
    change in place. A change of ``iso_country_code``, ``message_type``, ``number_type``,
    ``number_capabilities``, ``registration_id`` or ``number_preference`` needs a new number: it fails
    with a clear error unless ``allow_replacement=True``. The number is retained when it leaves the stack
    unless ``removal_policy`` says otherwise.

    Example::

        number = PhoneNumber(
            self, "Number",
            iso_country_code="US",
            message_type=MessageType.TRANSACTIONAL,
            number_type=NumberType.SIMULATOR,
            number_capabilities=[NumberCapability.SMS, NumberCapability.VOICE],
            opt_out_list=opt_outs,
        )
    """

    phone_number_id = ResponseAttribute(Keys.ATTR_ID)
    phone_number_arn = ResponseAttribute(Keys.ATTR_ARN)
    origination_identity_arn = ResponseAttribute(Keys.ATTR_ARN)
    phone_number = ResponseAttribute(Keys.ATTR_NUMBER)

    @staticmethod
    def from_phone_number_arn(scope: Construct, id: str, phone_number_arn: str) -> IPhoneNumber:
        """An existing number, by ARN (``arn:<partition>:sms-voice:<region>:<account>:phone-number/<id>``)."""
        return PhoneNumber.from_phone_number_attributes(scope, id, phone_number_arn=phone_number_arn)

    @staticmethod
    def from_phone_number_attributes(
        scope: Construct,
        id: str,
        *,
        phone_number_arn: str,
        phone_number: str | None = None,
        iso_country_code: str | None = None,
        message_type: MessageType | None = None,
    ) -> IPhoneNumber:
        """An existing number; its country and message type, when given, are checked by pools at synth."""
        return _ImportedPhoneNumber(
            scope,
            id,
            arn=phone_number_arn,
            number=phone_number,
            iso_country_code=iso_country_code,
            message_type=message_type,
        )

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        iso_country_code: str,
        message_type: MessageType,
        number_type: NumberType,
        number_capabilities: Sequence[NumberCapability],
        opt_out_list: IOptOutList | None = None,
        registration_id: str | None = None,
        number_preference: NumberPreference | None = None,
        international_sending: bool = False,
        deletion_protection: bool = False,
        self_managed_opt_outs: bool = False,
        two_way_channel: TwoWayChannel | None = None,
        keywords: Sequence[Keyword] = (),
        wait_for_active: bool = True,
        allow_replacement: bool = False,
        tags: Mapping[str, str] | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        provider: ISmsVoiceProvider | None = None,
    ) -> None:
        """
        :param iso_country_code: the number's country, two capital letters (ISO 3166-1 alpha-2).
            Changing it needs a new number (see ``allow_replacement``).
        :param message_type: what the number sends; SIMULATOR numbers are TRANSACTIONAL only.
            Changing it needs a new number.
        :param number_type: LONG_CODE, TOLL_FREE, TEN_DLC or SIMULATOR. Changing it needs a new number.
        :param number_capabilities: SMS, VOICE, MMS, RCS; at least one, each once. Changing them needs a
            new number.
        :param opt_out_list: the opt-out list of the number. Default: - the account's "Default" list.
        :param registration_id: the registration the number is requested under (toll-free, 10DLC).
            Changing it needs a new number. Default: - none.
        :param number_preference: which number to pick. Changing it needs a new number. Default: - any.
        :param international_sending: whether the number may send to other countries. Default: - off.
        :param deletion_protection: whether the service refuses to release the number. Default: - off.
        :param self_managed_opt_outs: whether you handle opt-outs yourself instead of the service's
            automatic STOP handling. Default: - off.
        :param two_way_channel: where incoming messages go. Default: - two-way messaging off.
        :param keywords: keywords the number answers (more with ``add_keyword``). Default: - none beyond
            the service's HELP and STOP.
        :param wait_for_active: wait until the number is ACTIVE before the deployment goes on. Toll-free
            and 10DLC numbers can stay PENDING for days: turn this off for them. Default: - wait.
        :param allow_replacement: allow a change that needs a new number (the old one is then released or
            retained as ``removal_policy`` says). Default: - such a change fails the deployment.
        :param tags: tags of the number, merged with ``Tags.of(...)``. Default: - none.
        :param removal_policy: what happens when the number leaves the stack. Default: - RETAIN.
        :param provider: the provider that serves the resource. Default: - the stack's provider.
        """
        super().__init__(scope, id, resource_type=Keys.TYPE, tags=tags)
        path = self
        check_iso_country_code(path, "iso_country_code", iso_country_code)
        check_choice(path, "message_type", message_type, [m.value for m in MessageType])
        check_choice(path, "number_type", number_type, [t.value for t in NumberType])
        check_unique_choices(
            path, "number_capabilities", number_capabilities, [c.value for c in NumberCapability]
        )
        if number_type == NumberType.SIMULATOR and message_type == MessageType.PROMOTIONAL:
            raise SmsVoiceValidationError(
                path, "message_type", str(message_type), "SIMULATOR numbers send TRANSACTIONAL messages only"
            )
        if number_preference is not None:
            check_choice(
                path, "number_preference.preference_type", number_preference.preference_type, PREFERENCE_TYPES
            )
        self._keywords: list[Keyword] = []
        for keyword in keywords:
            self.add_keyword(keyword)
        self.opt_out_list = opt_out_list

        props: dict[str, Any] = {
            Keys.ISO_COUNTRY_CODE: iso_country_code,
            Keys.MESSAGE_TYPE: str(message_type),
            Keys.NUMBER_TYPE: str(number_type),
            Keys.NUMBER_CAPABILITIES: [str(c) for c in number_capabilities],
            Keys.INTERNATIONAL_SENDING_ENABLED: international_sending,
            Keys.DELETION_PROTECTION_ENABLED: deletion_protection,
            Keys.SELF_MANAGED_OPT_OUTS_ENABLED: self_managed_opt_outs,
            **render_two_way(two_way_channel),
            **render_keywords_property(self._keywords),
            Keys.WAIT_FOR_ACTIVE: wait_for_active,
            Keys.ALLOW_REPLACEMENT: allow_replacement,
        }
        if opt_out_list is not None:
            props[Keys.OPT_OUT_LIST_NAME] = property_value(opt_out_list, "opt_out_list_name")
        if registration_id is not None:
            props[Keys.REGISTRATION_ID] = registration_id
        if number_preference is not None:
            props[Keys.NUMBER_PREFERENCE] = number_preference._render()
        resource = self._create_custom_resource(props, provider=provider, removal_policy=removal_policy)
        self._resource = resource
        self._iso_country_code = None if unresolved(iso_country_code) else iso_country_code
        self._message_type = MessageType(message_type)

    def add_keyword(self, keyword: Keyword) -> None:
        """Answer one more keyword (or set the message of HELP or STOP)."""
        check_keyword(self, "keywords", keyword, self._keywords)
        self._keywords.append(keyword)
        self._rerender(Keys.KEYWORDS, render_keywords(self._keywords))
