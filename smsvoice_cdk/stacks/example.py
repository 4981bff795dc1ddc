"""ExampleStack: one tenant's messaging resources, the way the README shows them."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from constructs import Construct

from ..constructs.opt_out_list import OptOutList


class ExampleStack(Stack):
    """An opt-out list seeded with a number that asked not to be contacted."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        self.opt_out_list = OptOutList(
            self,
            "OptOuts",
            opt_out_list_name="example-opt-outs",
            opted_out_numbers=["+12065550100"],
            tags={"purpose": "example"},
        )
