"""SenderId: an alphanumeric sender ID for one country."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from aws_cdk import RemovalPolicy, Resource
from constructs import Construct

from ..custom_resources.contract import SenderId as Keys
from .core import ResponseAttribute, SmsVoiceResource
from .enums import MessageType
from .origination_identity import IOriginationIdentity, OriginationIdentityKind
from .provider import ISmsVoiceProvider
from .validation import SmsVoiceValidationError, check_choice, check_iso_country_code, check_pattern

SENDER_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,11}")
SENDER_ID_RULE = "must be 1 to 11 characters of A-Z, a-z, 0-9, '_' and '-'"


@runtime_checkable
class ISenderId(IOriginationIdentity, Protocol):
    """A sender ID, owned by this app or imported."""

    @property
    def sender_id_arn(self) -> str: ...

    @property
    def iso_country_code(self) -> str: ...


class SenderIdBase(Resource):
    """What owned and imported sender IDs share."""

    _arn: str
    _iso_country_code: str
    _message_types: Sequence[MessageType] | None

    @property
    def sender_id_arn(self) -> str:
        return self._arn

    @property
    def iso_country_code(self) -> str:
        return self._iso_country_code

    @property
    def origination_identity_arn(self) -> str:
        return self._arn

    @property
    def origination_identity_kind(self) -> OriginationIdentityKind:
        return OriginationIdentityKind.SENDER_ID

    @property
    def origination_iso_country_code(self) -> str | None:
        return self._iso_country_code

    @property
    def origination_message_types(self) -> Sequence[MessageType] | None:
        return self._message_types or None  # none listed: the sender ID sends either type


class _ImportedSenderId(SenderIdBase):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        arn: str,
        iso_country_code: str,
        message_types: Sequence[MessageType] | None,
    ) -> None:
        super().__init__(scope, id)
        self._arn, self._iso_country_code, self._message_types = arn, iso_country_code, message_types


class SenderId(SmsVoiceResource, SenderIdBase):
    """A sender ID (``Custom::SmsVoiceSenderId``), requested with ``RequestSenderId``.

    A new ``sender_id`` or ``iso_country_code`` is another sender ID (a replacement; the old one is
    retained by default); ``message_types`` cannot change after the request; deletion protection and tags
    change in place. Retained when it leaves the stack unless ``removal_policy`` says otherwise.

    Example::

        sender = SenderId(self, "Sender", sender_id="MYBRAND", iso_country_code="DE")
    """

    sender_id_arn = ResponseAttribute(Keys.ATTR_ARN)
    origination_identity_arn = ResponseAttribute(Keys.ATTR_ARN)

    @staticmethod
    def from_sender_id_attributes(
        scope: Construct,
        id: str,
        *,
        sender_id_arn: str,
        iso_country_code: str,
        message_types: Sequence[MessageType] | None = None,
    ) -> ISenderId:
        """An existing sender ID: a pool needs its country on every association."""
        check_iso_country_code(f"{scope.node.path}/{id}", "iso_country_code", iso_country_code)
        return _ImportedSenderId(
            scope, id, arn=sender_id_arn, iso_country_code=iso_country_code, message_types=message_types
        )

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        sender_id: str,
        iso_country_code: str,
        message_types: Sequence[MessageType] = (),
        deletion_protection: bool = False,
        tags: Mapping[str, str] | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        provider: ISmsVoiceProvider | None = None,
    ) -> None:
        """
        :param sender_id: 1 to 11 of ``[A-Za-z0-9_-]``. Changing it requests another sender ID.
        :param iso_country_code: the country, two capital letters. Changing it requests another sender ID.
        :param message_types: what the sender ID sends; cannot change later. Default: - either type.
        :param deletion_protection: whether the service refuses to release it. Default: - off.
        :param tags: tags of the sender ID, merged with ``Tags.of(...)``. Default: - none.
        :param removal_policy: what happens when the sender ID leaves the stack. Default: - RETAIN.
        :param provider: the provider that serves the resource. Default: - the stack's provider.
        """
        super().__init__(scope, id, resource_type=Keys.TYPE, tags=tags)
        path = self
        check_pattern(path, "sender_id", sender_id, SENDER_ID_PATTERN, SENDER_ID_RULE)
        check_iso_country_code(path, "iso_country_code", iso_country_code)
        for message_type in message_types:
            check_choice(path, "message_types", message_type, [m.value for m in MessageType])
        if len(set(message_types)) != len(message_types):
            raise SmsVoiceValidationError(
                path, "message_types", list(message_types), "each type may appear once"
            )
        resource = self._create_custom_resource(
            {
                Keys.SENDER_ID: sender_id,
                Keys.ISO_COUNTRY_CODE: iso_country_code,
                Keys.MESSAGE_TYPES: [str(m) for m in message_types],
                Keys.DELETION_PROTECTION_ENABLED: deletion_protection,
            },
            provider=provider,
            removal_policy=removal_policy,
        )
        self._resource = resource
        self._iso_country_code = iso_country_code
        self._message_types = [MessageType(m) for m in message_types]
