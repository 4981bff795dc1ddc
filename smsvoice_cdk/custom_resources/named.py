"""Resources whose id is the name the template gives them: opt-out lists and configuration sets.

The API names their operations alike (``CreateOptOutList``, ``DescribeOptOutLists(OptOutListNames)``,
``DeleteOptOutList``; the same with ``ConfigurationSet``), so one lifecycle serves both:
- create with the managed tag and a client token, returning the name as the physical id;
- a new name is a replacement: the new resource is created and its name returned (CloudFormation then
  deletes or retains the old one). During a rollback the name being returned to exists already: it is
  taken back if it carries the managed tag, never if it is a stranger's;
- tags change in place by diff;
- delete of one that is gone, or of an id that was never a name, succeeds and touches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import aws, tags
from .events import (
    CustomResourceEvent,
    OnEventResult,
    client_token,
    dispatch,
    old_properties,
    physical_id,
    properties,
)


@dataclass(frozen=True)
class NamedResource:
    #: The API's noun: ``"OptOutList"`` or ``"ConfigurationSet"``.
    noun: str
    #: The names a resource of this kind can have; any other physical id was never one.
    name_pattern: re.Pattern[str]
    #: Checks the properties before anything is created; raises with the property's name.
    check: Callable[[dict[str, Any]], object] = lambda props: None

    @property
    def name_key(self) -> str:
        return f"{self.noun}Name"

    @property
    def arn_key(self) -> str:
        return f"{self.noun}Arn"

    def on_event(self, event: CustomResourceEvent) -> OnEventResult:
        return dispatch(event, create=self.create, update=self.update, delete=self.delete)

    def create(self, event: CustomResourceEvent) -> OnEventResult:
        props = properties(event)
        self.check(props)
        params: dict[str, Any] = {
            self.name_key: str(props[self.name_key]),
            "Tags": tags.for_create(props),
            "ClientToken": client_token(event),
        }
        created = aws.call(f"Create{self.noun}", **params)
        return self.result(created[self.name_key], created[self.arn_key])

    def update(self, event: CustomResourceEvent) -> OnEventResult:
        new_props = properties(event)
        self.check(new_props)
        name = str(new_props[self.name_key])
        if name != physical_id(event):
            return self._create_for_rename(event, name)
        arn = self.describe(name)[self.arn_key]
        tags.reconcile(arn, old_properties(event), new_props)
        return self.result(name, arn)

    def _create_for_rename(self, event: CustomResourceEvent, name: str) -> OnEventResult:
        try:
            return self.create(event)
        except aws.ServiceError as err:
            if not err.is_conflict("RESOURCE_ALREADY_EXISTS"):
                raise
            arn = self.describe(name)[self.arn_key]
            if not tags.is_managed(arn):
                raise
            tags.reconcile(arn, old_properties(event), properties(event))
            return self.result(name, arn)

    def delete(self, event: CustomResourceEvent) -> OnEventResult:
        name = physical_id(event)
        if self.name_pattern.fullmatch(name):
            aws.call_unless_gone(f"Delete{self.noun}", **{self.name_key: name})
        return {"PhysicalResourceId": name}

    def describe(self, name: str) -> dict[str, Any]:
        names: dict[str, Any] = {f"{self.name_key}s": [name]}
        found: list[dict[str, Any]] = aws.call(f"Describe{self.noun}s", **names)[f"{self.noun}s"]
        return found[0]

    def result(self, name: str, arn: str) -> OnEventResult:
        return {"PhysicalResourceId": name, "Data": {self.name_key: name, self.arn_key: arn}}
