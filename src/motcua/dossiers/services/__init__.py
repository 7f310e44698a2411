"""Dossier operations. Each transition is one function: it checks the action is allowed (status, role,
unit, version), writes the new state and appends an Event (the Form 06 timeline), all in one
transaction. Illegal transitions raise TransitionError; a stale version raises Conflict.

The package re-exports its public API, so callers write `services.submit(...)`:
timing (the clock), intake (submit), machine (what every transition shares), reception, processing,
closing and delays (the Form 04 apology); and the public URLs of dossiers/links.py."""

from ..links import tracking_url, verify_url
from ..transitions import NotNow, TransitionError
from .closing import rate, return_result, stop, withdraw
from .delays import approve_apology, draft_apology
from .intake import Application, default_case, submit, submit_many
from .machine import Conflict
from .processing import (
    answer_coordination,
    approve,
    attach_result,
    forward,
    request_coordination,
    send_back,
    transfer,
)
from .reception import receive, refuse, request_supplement, supplement
from .timing import clock, now

__all__ = [
    "Application",
    "Conflict",
    "default_case",
    "NotNow",
    "TransitionError",
    "answer_coordination",
    "approve",
    "approve_apology",
    "attach_result",
    "clock",
    "draft_apology",
    "forward",
    "now",
    "rate",
    "receive",
    "refuse",
    "request_coordination",
    "request_supplement",
    "return_result",
    "send_back",
    "stop",
    "submit",
    "submit_many",
    "supplement",
    "tracking_url",
    "transfer",
    "verify_url",
    "withdraw",
]
