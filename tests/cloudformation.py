"""A small CloudFormation for handler tests: deploys synthesized templates through the real handler.

It does what CloudFormation and the CDK Provider framework do for custom resources, in their order:
- properties arrive with every scalar as a string, ``Ref``/``Fn::GetAtt``/``Fn::Join`` resolved;
- resources are created and updated in dependency order; a changed physical id on Update is a
  replacement, and the old resource is deleted in the cleanup phase unless its UpdateReplacePolicy is
  Retain; resources that left the template are deleted last, in reverse order, unless retained;
- ``on_event`` then ``is_complete`` until complete (the waiter state machine), Data merged;
- a failed deploy rolls back: created resources are deleted, updated ones get an Update with old and
  new properties swapped, and resources created by the failed update are cleaned up afterwards.

Only ``Custom::SmsVoice*`` resources reach the handler; other resources get plausible ids and ARNs.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from smsvoice_cdk.custom_resources import index
from smsvoice_cdk.custom_resources.events import CREATE_FAILED_MARKER

ACCOUNT = "123456789012"
REGION = "us-east-1"
MAX_POLLS = 200


class DeployFailedError(Exception):
    def __init__(
        self, logical_id: str, request_type: str, cause: Exception, physical_id: str | None = None
    ) -> None:
        self.logical_id = logical_id
        self.request_type = request_type
        self.cause = cause
        # What on_event returned before is_complete failed: the framework reports it with the failure.
        self.physical_id = physical_id
        super().__init__(f"{request_type} {logical_id} failed: {cause}")


@dataclass
class Deployed:
    physical_id: str
    properties: dict[str, Any]
    data: dict[str, Any]
    resource_type: str
    deletion_policy: str | None
    update_replace_policy: str | None


@dataclass
class Stack:
    """One deployed stack: the custom resources it holds and the requests it sent."""

    name: str = "TestStack"
    stack_id: str = field(default="")
    resources: dict[str, Deployed] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    polls: int = 0
    # The waiter state machine waits between is_complete polls; tests in virtual time pass a sleep.
    poll_interval: float = 15.0
    sleep: Callable[[float], None] | None = None

    def __post_init__(self) -> None:
        if not self.stack_id:
            self.stack_id = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{self.name}/{uuid.uuid4()}"

    # --- the public verbs ---------------------------------------------------------------------------
    def deploy(self, template: dict[str, Any], *, rollback: bool = True) -> None:
        """Create or update the stack to ``template``; raises DeployFailedError after rolling back."""
        before = copy.deepcopy(self.resources)
        wanted = _custom_resources(template)
        done: list[tuple[str, str]] = []  # (logical id, "Create" | "Update")
        cleanup: list[Deployed] = []
        try:
            for logical_id in _order(template, wanted):
                spec = template["Resources"][logical_id]
                props = self.resolve_properties(template, logical_id)
                current = self.resources.get(logical_id)
                if current is None:
                    self.resources[logical_id] = self._send_create(logical_id, spec, props)
                    done.append((logical_id, "Create"))
                elif current.properties != props:
                    updated = self._send_update(logical_id, spec, current, props)
                    if updated.physical_id != current.physical_id:
                        cleanup.append(current)
                    self.resources[logical_id] = updated
                    done.append((logical_id, "Update"))
        except DeployFailedError as failed:
            if rollback:
                self._rollback_failed(template, failed)
                self._rollback(before, done)
            raise
        for old in cleanup:
            if old.update_replace_policy != "Retain":
                self._send_delete(old)
        removed = [lid for lid in reversed(list(self.resources)) if lid not in wanted]
        for logical_id in removed:
            gone = self.resources.pop(logical_id)
            if gone.deletion_policy != "Retain":
                self._send_delete(gone)

    def destroy(self) -> None:
        """Delete the stack: every resource in reverse order of creation, retained ones skipped."""
        for logical_id in reversed(list(self.resources)):
            gone = self.resources.pop(logical_id)
            if gone.deletion_policy != "Retain":
                self._send_delete(gone)

    def physical_id(self, logical_id: str) -> str:
        return self.resources[logical_id].physical_id

    def attribute(self, logical_id: str, name: str) -> Any:
        return self.resources[logical_id].data[name]

    # --- requests -----------------------------------------------------------------------------------
    def event(
        self,
        request_type: str,
        logical_id: str,
        resource_type: str,
        props: dict[str, Any],
        old_props: dict[str, Any] | None = None,
        physical_id: str | None = None,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "RequestType": request_type,
            "ServiceToken": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:provider",
            "ResponseURL": "https://cloudformation-custom-resource-response.example/presigned?X-Amz-Signature=secret",
            "StackId": self.stack_id,
            "RequestId": request_id or str(uuid.uuid4()),
            "LogicalResourceId": logical_id,
            "ResourceType": resource_type,
            "ResourceProperties": {"ServiceToken": "token", **props},
        }
        if old_props is not None:
            event["OldResourceProperties"] = {"ServiceToken": "token", **old_props}
        if physical_id is not None:
            event["PhysicalResourceId"] = physical_id
        return event

    def send(self, event: dict[str, Any]) -> dict[str, Any]:
        """What the Provider framework does with one CloudFormation request; returns the response."""
        self.requests.append((event["RequestType"], event["LogicalResourceId"]))
        physical_id = None
        try:
            result = index.on_event(copy.deepcopy(event))  # type: ignore[arg-type]
            physical_id = result["PhysicalResourceId"]
            merged = {**event, **result, "Data": result.get("Data", {})}
            for poll in range(MAX_POLLS):
                if poll and self.sleep is not None:
                    self.sleep(self.poll_interval)
                self.polls += 1
                done = index.is_complete(copy.deepcopy(merged))  # type: ignore[arg-type]
                if done["IsComplete"]:
                    return {**merged, "Data": {**merged["Data"], **done.get("Data", {})}}
            raise TimeoutError(f"{event['LogicalResourceId']} did not complete in {MAX_POLLS} polls")
        except Exception as err:
            raise DeployFailedError(
                event["LogicalResourceId"], event["RequestType"], err, physical_id
            ) from err

    def _send_create(self, logical_id: str, spec: dict[str, Any], props: dict[str, Any]) -> Deployed:
        response = self.send(self.event("Create", logical_id, spec["Type"], props))
        return _deployed(spec, response, props)

    def _send_update(
        self, logical_id: str, spec: dict[str, Any], current: Deployed, props: dict[str, Any]
    ) -> Deployed:
        event = self.event("Update", logical_id, spec["Type"], props, current.properties, current.physical_id)
        return _deployed(spec, self.send(event), props)

    def _send_delete(self, gone: Deployed, logical_id: str = "Removed") -> None:
        if gone.physical_id == CREATE_FAILED_MARKER:
            return  # the framework answers this Delete itself
        self.send(
            self.event(
                "Delete", logical_id, gone.resource_type, gone.properties, physical_id=gone.physical_id
            )
        )

    def _rollback_failed(self, template: dict[str, Any], failed: DeployFailedError) -> None:
        """The resource whose request failed: a failed create is deleted, a failed update reverted."""
        spec = template["Resources"][failed.logical_id]
        if failed.request_type == "Create":
            if failed.physical_id and spec.get("DeletionPolicy") != "Retain":
                gone = Deployed(failed.physical_id, {}, {}, spec["Type"], None, None)
                self._send_delete(gone, failed.logical_id)
            return
        current = self.resources[failed.logical_id]
        props = self.resolve_properties(template, failed.logical_id)
        event = self.event(
            "Update",
            failed.logical_id,
            current.resource_type,
            current.properties,
            props,
            failed.physical_id or current.physical_id,
        )
        response = self.send(event)
        replaced = failed.physical_id and failed.physical_id != response["PhysicalResourceId"]
        if replaced and current.update_replace_policy != "Retain":
            self._send_delete(Deployed(failed.physical_id, props, {}, current.resource_type, None, None))

    def _rollback(self, before: dict[str, Deployed], done: list[tuple[str, str]]) -> None:
        cleanup: list[Deployed] = []
        for logical_id, action in reversed(done):
            current = self.resources[logical_id]
            if action == "Create":
                self._send_delete(current, logical_id)
                del self.resources[logical_id]
                continue
            old = before[logical_id]
            event = self.event(
                "Update",
                logical_id,
                current.resource_type,
                old.properties,
                current.properties,
                current.physical_id,
            )
            response = self.send(event)
            restored = Deployed(
                response["PhysicalResourceId"],
                old.properties,
                response.get("Data", {}),
                old.resource_type,
                old.deletion_policy,
                old.update_replace_policy,
            )
            if restored.physical_id != current.physical_id:
                cleanup.append(current)
            self.resources[logical_id] = restored
        for gone in cleanup:
            if gone.update_replace_policy != "Retain":
                self._send_delete(gone)

    # --- properties as CloudFormation delivers them ---------------------------------------------------
    def resolve_properties(self, template: dict[str, Any], logical_id: str) -> dict[str, Any]:
        props = dict(template["Resources"][logical_id].get("Properties", {}))
        props.pop("ServiceToken", None)
        return stringify(self._resolve(template, props))

    def _resolve(self, template: dict[str, Any], value: Any) -> Any:
        if isinstance(value, list):
            return [self._resolve(template, item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(template, arg)
            if key == "Fn::GetAtt":
                target, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self._get_att(template, target, attribute)
            if key == "Fn::Join":
                separator, parts = arg
                return separator.join(str(self._resolve(template, part)) for part in parts)
            if key.startswith("Fn::"):
                raise NotImplementedError(f"{key} is not resolved by the test CloudFormation")
        return {k: self._resolve(template, v) for k, v in value.items()}

    def _ref(self, template: dict[str, Any], name: str) -> str:
        pseudo = {
            "AWS::Partition": "aws",
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::StackName": self.name,
            "AWS::StackId": self.stack_id,
            "AWS::URLSuffix": "amazonaws.com",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.resources:
            return self.resources[name].physical_id
        if name in template.get("Parameters", {}):
            return str(template["Parameters"][name].get("Default", name))
        return _native_physical_id(template, name)

    def _get_att(self, template: dict[str, Any], target: str, attribute: str) -> Any:
        if target in self.resources:
            return self.resources[target].data[attribute]
        if attribute == "Arn" or attribute.endswith("Arn"):
            return _native_arn(template, target)
        return f"{target}-{attribute}"


def stringify(value: Any) -> Any:
    """CloudFormation hands custom resources every scalar as a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return [stringify(v) for v in value]
    if isinstance(value, dict):
        return {k: stringify(v) for k, v in value.items()}
    return value


def _custom_resources(template: dict[str, Any]) -> set[str]:
    return {lid for lid, r in template["Resources"].items() if r["Type"].startswith("Custom::SmsVoice")}


def _references(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, arg in value.items():
            if key == "Ref" and isinstance(arg, str):
                found.add(arg)
            elif key == "Fn::GetAtt":
                found.add(arg[0] if isinstance(arg, list) else arg.split(".", 1)[0])
            else:
                found |= _references(arg)
    elif isinstance(value, list):
        for item in value:
            found |= _references(item)
    return found


def _order(template: dict[str, Any], wanted: set[str]) -> list[str]:
    """Custom resources in an order that honours references and DependsOn between them."""
    resources = template["Resources"]
    deps: dict[str, set[str]] = {}
    for lid in wanted:
        depends_on = resources[lid].get("DependsOn", [])
        depends_on = [depends_on] if isinstance(depends_on, str) else depends_on
        deps[lid] = (_references(resources[lid].get("Properties", {})) | set(depends_on)) & wanted
    ordered: list[str] = []
    while deps:
        ready = sorted(lid for lid, needs in deps.items() if not needs - set(ordered))
        if not ready:
            raise ValueError(f"dependency cycle among {sorted(deps)}")
        ordered.extend(ready)
        for lid in ready:
            del deps[lid]
    return ordered


def _deployed(spec: dict[str, Any], response: dict[str, Any], props: dict[str, Any]) -> Deployed:
    return Deployed(
        physical_id=response["PhysicalResourceId"],
        properties=props,
        data=response.get("Data", {}),
        resource_type=spec["Type"],
        deletion_policy=spec.get("DeletionPolicy"),
        update_replace_policy=spec.get("UpdateReplacePolicy"),
    )


_ARN_SHAPES = {
    "AWS::IAM::Role": "arn:aws:iam::{account}:role/smsvoice-cdk/{name}",
    "AWS::Logs::LogGroup": "arn:aws:logs:{region}:{account}:log-group:{name}:*",
    "AWS::KinesisFirehose::DeliveryStream": "arn:aws:firehose:{region}:{account}:deliverystream/{name}",
    "AWS::SNS::Topic": "arn:aws:sns:{region}:{account}:{name}",
    "AWS::KMS::Key": "arn:aws:kms:{region}:{account}:key/{name}",
    "AWS::S3::Bucket": "arn:aws:s3:::{name}",
}


def _native_physical_id(template: dict[str, Any], logical_id: str) -> str:
    resource = template["Resources"].get(logical_id, {})
    if resource.get("Type") == "AWS::SNS::Topic":
        return _native_arn(template, logical_id)
    return logical_id.lower()


def _native_arn(template: dict[str, Any], logical_id: str) -> str:
    resource_type = template["Resources"].get(logical_id, {}).get("Type", "")
    shape = _ARN_SHAPES.get(resource_type, "arn:aws:unknown:{region}:{account}:{name}")
    return shape.format(account=ACCOUNT, region=REGION, name=logical_id.lower())
