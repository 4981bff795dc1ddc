"""An in-memory fake of the SMS and Voice v2 API behind the real boto3 client (no emulator covers it)."""

from .configuration_sets import ConfigurationSetsMixin
from .opt_out_lists import OptOutListsMixin
from .phone_numbers import PhoneNumbersMixin
from .pools import PoolsMixin
from .sender_ids import SenderIdsMixin
from .service import FakeCore, FakeError, Fault, RateLimit


class FakeSmsVoice(PoolsMixin, SenderIdsMixin, PhoneNumbersMixin, OptOutListsMixin, ConfigurationSetsMixin):
    """Every operation the handlers call. Each resource family is a mixin in its own module."""


__all__ = ["FakeCore", "FakeError", "FakeSmsVoice", "Fault", "RateLimit"]
