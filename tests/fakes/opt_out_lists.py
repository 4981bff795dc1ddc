"""Opt-out lists and opted-out numbers, as the API reference describes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .service import FakeCore, FakeError, conflict, not_found, paginate


@dataclass
class OptOutListState:
    name: str
    arn: str
    created: float
    # number -> EndUserOptedOut
    numbers: dict[str, bool] = field(default_factory=dict)


class OptOutListsMixin(FakeCore):
    def __init__(self) -> None:
        super().__init__()
        self.opt_out_lists: dict[str, OptOutListState] = {}

    def opt_out_list(self, name_or_arn: str) -> OptOutListState:
        for state in self.opt_out_lists.values():
            if name_or_arn in (state.name, state.arn):
                return state
        raise not_found("opt-out-list", name_or_arn)

    def opt_out_list_in_use(self, name: str) -> bool:
        """Overridden by the mixins whose resources can name an opt-out list."""
        return False

    def opt_out_as_end_user(self, list_name: str, number: str) -> None:
        """A recipient replied STOP: what the service does, not an API call."""
        self.opt_out_list(list_name).numbers[number] = True

    def CreateOptOutList(self, p: dict[str, Any]) -> dict[str, Any]:
        name = p["OptOutListName"]
        if name in self.opt_out_lists:
            raise conflict("RESOURCE_ALREADY_EXISTS", "opt-out-list", name)
        state = OptOutListState(name, self.arn("opt-out-list", name), _now())
        self.opt_out_lists[name] = state
        self.set_tags(state.arn, p.get("Tags"))
        return {**self._describe(state), "Tags": self.tag_list(state.arn)}

    def DeleteOptOutList(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.opt_out_list(p["OptOutListName"])
        if self.opt_out_list_in_use(state.name):
            raise conflict("RESOURCE_DELETION_NOT_ALLOWED", "opt-out-list", state.name)
        del self.opt_out_lists[state.name]
        self.tags.pop(state.arn, None)
        return self._describe(state)

    def DescribeOptOutLists(self, p: dict[str, Any]) -> dict[str, Any]:
        names = p.get("OptOutListNames")
        states = [self.opt_out_list(n) for n in names] if names else list(self.opt_out_lists.values())
        page, token = paginate([self._describe(s) for s in states], p)
        return {"OptOutLists": page, **({"NextToken": token} if token else {})}

    def PutOptedOutNumber(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.opt_out_list(p["OptOutListName"])
        number = p["OptedOutNumber"]
        state.numbers.setdefault(number, False)
        return self._number(state, number)

    def DeleteOptedOutNumber(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.opt_out_list(p["OptOutListName"])
        number = p["OptedOutNumber"]
        if number not in state.numbers:
            raise not_found("opted-out-number", number)
        if state.numbers[number]:
            raise conflict("DESTINATION_PHONE_NUMBER_OPTED_OUT", "opted-out-number", number)
        response = self._number(state, number)
        del state.numbers[number]
        return response

    def DescribeOptedOutNumbers(self, p: dict[str, Any]) -> dict[str, Any]:
        state = self.opt_out_list(p["OptOutListName"])
        wanted = p.get("OptedOutNumbers")
        numbers = [n for n in sorted(state.numbers) if not wanted or n in wanted]
        page, token = paginate(numbers, p)
        entries = [
            {"OptedOutNumber": n, "OptedOutTimestamp": _now(), "EndUserOptedOut": state.numbers[n]}
            for n in page
        ]
        result = {"OptOutListArn": state.arn, "OptOutListName": state.name, "OptedOutNumbers": entries}
        return {**result, **({"NextToken": token} if token else {})}

    def _describe(self, state: OptOutListState) -> dict[str, Any]:
        return {"OptOutListArn": state.arn, "OptOutListName": state.name, "CreatedTimestamp": state.created}

    def _number(self, state: OptOutListState, number: str) -> dict[str, Any]:
        return {
            "OptOutListArn": state.arn,
            "OptOutListName": state.name,
            "OptedOutNumber": number,
            "OptedOutTimestamp": _now(),
            "EndUserOptedOut": state.numbers[number],
        }


def _now() -> float:
    return datetime.now(UTC).timestamp()


__all__ = ["FakeError", "OptOutListState", "OptOutListsMixin"]
