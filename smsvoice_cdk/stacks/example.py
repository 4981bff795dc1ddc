"""ExampleStack: one tenant's messaging resources, the way the README shows them."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from constructs import Construct

from ..constructs.enums import KeywordAction, MessageType, NumberCapability, NumberType
from ..constructs.keyword import Keyword
from ..constructs.opt_out_list import OptOutList
from ..constructs.phone_number import PhoneNumber
from ..constructs.pool import Pool


class ExampleStack(Stack):
    """An opt-out list seeded with a number that asked not to be contacted, and a pool to send from.

    The number is a SIMULATOR number: it works in any account's SMS sandbox and costs nothing to keep.
    """

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        self.opt_out_list = OptOutList(
            self,
            "OptOuts",
            opt_out_list_name="example-opt-outs",
            opted_out_numbers=["+12065550100"],
            tags={"purpose": "example"},
        )
        self.phone_number = PhoneNumber(
            self,
            "SimulatorNumber",
            iso_country_code="US",
            message_type=MessageType.TRANSACTIONAL,
            number_type=NumberType.SIMULATOR,
            number_capabilities=[NumberCapability.SMS, NumberCapability.VOICE],
            opt_out_list=self.opt_out_list,
            tags={"purpose": "example"},
        )
        self.pool = Pool(
            self,
            "Pool",
            origination_identities=[self.phone_number],
            message_type=MessageType.TRANSACTIONAL,
            opt_out_list=self.opt_out_list,
            keywords=[
                Keyword("JOIN", message="Welcome! Reply STOP to opt out.", action=KeywordAction.OPT_IN)
            ],
            tags={"purpose": "example"},
        )
