"""What the AWS client scripts share: a GameLift client of boto3, unchanged,
pointed at a Gamehost host and watched by model_check; and checks that
print one line each and stop the script at the first that fails."""

import sys

import boto3
import botocore.config

import model_check


def client(endpoint, secret, access_key_id="gamehost"):
    """A GameLift client of the host at `endpoint`, signing with `secret`
    (the host's admin token, with any access key id, or a token made to sign
    AWS requests, with its name), without retries."""
    gamelift = boto3.client(
        "gamelift",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret,
        config=botocore.config.Config(retries={"max_attempts": 1}),
    )
    model_check.watch(gamelift)
    return gamelift


def check(what, condition, detail=""):
    """Prints `what`; exits if `condition` is false, printing `detail`."""
    if not condition:
        print(f"FAILED: {what} {detail}")
        sys.exit(1)
    print(f"ok: {what}")


def raises(what, exception, call, **kwargs):
    """Checks that `call(**kwargs)` raises `exception`; returns the error."""
    try:
        call(**kwargs)
    except exception as error:
        check(what, True)
        return error
    except Exception as error:  # noqa: BLE001 - report what came instead
        check(what, False, f"raised {type(error).__name__}: {error}")
    check(what, False, "did not raise")
    return None


def done(script):
    """Reports the model check, then that every check of `script` passed."""
    model_check.report()
    print(f"{script}: every check passed")
