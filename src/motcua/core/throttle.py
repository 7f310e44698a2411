"""One rate-limit policy for every public look-up and form.

- Fixed windows aligned on the clock: a key's window never moves, so a hit cannot extend it (the old
  cache counters reset their expiry on every hit).
- Counted in the database with an atomic UPDATE, so the limit holds across web workers and servers on
  the embedded default as on PostgreSQL, with no cache server.
- Keyed on the client's address (behind the proxies listed in MOTCUA_TRUSTED_PROXIES, the address they
  forwarded) and, when signed in, on the account too: a limit is spent when any of its keys is.
- One scope can serve several channels: the tracking page and the assistant share "id-lookup".
Sign-in throttling and lock-out is django-axes' job (settings.AXES_*), using `client_ip` below.
"""

from __future__ import annotations

import datetime
import ipaddress
import random
import time
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateCounter


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy, the right-most address in
    X-Forwarded-For that is not one of our proxies (the left part of the header is the client's to forge)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if not _trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address):
            return address
    return remote


def address_or_none(request) -> str | None:
    """`client_ip` for django-axes, which stores it in an IP address column: None when there is none
    (a sign-in made in code, such as the test client's force_login)."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def keys_for(request) -> list[str]:
    keys = [f"ip:{client_ip(request)}"]
    if request.user.is_authenticated:
        keys.append(f"user:{request.user.pk}")
    return keys


def _hit(key: str, expires: datetime.datetime) -> int:
    with transaction.atomic():
        if not RateCounter.objects.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, count=1, expires_at=expires)
                return 1
            except IntegrityError:  # another request created it first
                RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        return RateCounter.objects.values_list("count", flat=True).get(key=key)


def allow(scope: str, keys: list[str], *, limit: int, window: int) -> bool:
    """Count one use under each key in the current `window` (seconds); False once any key is past `limit`."""
    now = time.time()
    index = int(now // window)
    expires = timezone.now() + datetime.timedelta(seconds=(index + 1) * window - now)
    counts = [_hit(f"{scope}:{key}:{window}:{index}", expires) for key in keys]
    if random.random() < 0.01:  # old windows are dead weight; sweep now and then
        RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return max(counts, default=0) <= limit


def allow_request(scope: str, request, *, limit: int, window: int, extra: tuple[str, ...] = ()) -> bool:
    return allow(scope, [*keys_for(request), *extra], limit=limit, window=window)


# Look-ups of a dossier by code + ID number, on the tracking page and through the assistant alike: one
# budget per address, per account and per dossier code, so no channel adds guesses to another's.
ID_LOOKUP = {"scope": "id-lookup", "limit": 10, "window": 600}
