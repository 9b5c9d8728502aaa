"""Checks every answer a boto3 client receives against GameLift's published
model (botocore's service-2.json): each member is one the shape defines, of
its type, within its length and enum bounds, and each required member is
there; an error is one the operation declares (or the protocol's own for an
operation not served).

Usage: model_check.watch(client) before the calls, model_check.report() at
the end; report() exits non-zero listing every violation.
"""

import json
import sys

violations = []
checked = [0]

# The protocol's own errors, and AccessDeniedException: AWS's answer, for
# every service, to a caller whose policy does not allow the operation,
# which no operation of the model declares.
PROTOCOL_ERRORS = {"UnknownOperationException", "SerializationException", "AccessDeniedException"}


def _check(shape, value, path):
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return violations.append(f"{path}: {value!r} is not a structure")
        for name in shape.required_members:
            if name not in value:
                violations.append(f"{path}: the required member {name} is missing")
        for name, member in value.items():
            if name not in shape.members:
                violations.append(f"{path}: {name} is not a member of {shape.name}")
                continue
            _check(shape.members[name], member, f"{path}.{name}")
    elif kind == "list":
        if not isinstance(value, list):
            return violations.append(f"{path}: {value!r} is not a list")
        for i, item in enumerate(value):
            _check(shape.member, item, f"{path}[{i}]")
    elif kind == "map":
        if not isinstance(value, dict):
            return violations.append(f"{path}: {value!r} is not a map")
        for key, item in value.items():
            _check(shape.value, item, f"{path}[{key}]")
    elif kind == "string":
        if not isinstance(value, str):
            return violations.append(f"{path}: {value!r} is not a string")
        limits = shape.metadata
        if len(value) < limits.get("min", 0) or len(value) > limits.get("max", 1 << 30):
            violations.append(f"{path}: {value!r} is not {limits.get('min', 0)} to {limits.get('max')} long")
        if shape.enum and value not in shape.enum:
            violations.append(f"{path}: {value!r} is not one of {shape.enum}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            violations.append(f"{path}: {value!r} is not an integer")
        elif value < shape.metadata.get("min", -(1 << 63)):
            violations.append(f"{path}: {value!r} is below {shape.metadata['min']}")
    elif kind in ("float", "double"):
        if not isinstance(value, (int, float)):
            violations.append(f"{path}: {value!r} is not a number")
    elif kind == "boolean":
        if not isinstance(value, bool):
            violations.append(f"{path}: {value!r} is not a boolean")
    elif kind == "timestamp":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            violations.append(f"{path}: {value!r} is not epoch seconds")


def _before_parse(operation_model, response_dict, **_):
    checked[0] += 1
    name = operation_model.name
    body = json.loads(response_dict["body"] or b"{}")
    if response_dict["status_code"] < 300:
        if operation_model.output_shape is not None:
            _check(operation_model.output_shape, body, name)
        return
    error = body.get("__type", "")
    declared = {shape.name for shape in operation_model.error_shapes}
    if error not in declared | PROTOCOL_ERRORS:
        violations.append(f"{name}: {error} is not an error {name} declares ({sorted(declared)})")
    if not isinstance(body.get("message"), str):
        violations.append(f"{name}: the error has no message: {body}")


def watch(client):
    """Checks every answer `client` receives from now on."""
    client.meta.events.register("before-parse.gamelift.*", _before_parse)


def report():
    """Prints the outcome; exits non-zero if an answer broke the model."""
    if checked[0] == 0:
        print("FAILED: no answer was checked")
        sys.exit(1)
    if violations:
        print("FAILED: answers that break GameLift's model:")
        for violation in violations:
            print(f"  {violation}")
        sys.exit(1)
    print(f"ok: {checked[0]} answers match GameLift's model")
