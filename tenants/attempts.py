"""Limits on password guessing: at sign-in, and where a signatory re-enters their password to sign.

After `limit` wrong passwords for the same account, the step is refused for `seconds`, even with the right
password; a success clears the count. Counted in the shared cache (Redis in production, so every web worker
sees the same count; without REDIS_URL each process counts alone). Keyed by account, not by address: behind the
reverse proxy every client has the proxy's address, and the cost, that someone can lock a named account for a
quarter of an hour, is the usual trade for stopping a guesser.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger("steward.security")


class AttemptLimiter:
    def __init__(self, scope: str, *, limit: int = 5, seconds: int = 15 * 60):
        self.scope, self.limit, self.seconds = scope, limit, seconds

    @property
    def minutes(self) -> int:
        return self.seconds // 60

    def _key(self, account: str) -> str:
        return f"attempts:{self.scope}:{account.strip().lower()}"

    def locked(self, account: str) -> bool:
        return cache.get(self._key(account), 0) >= self.limit

    def failed(self, account: str) -> int:
        key = self._key(account)
        cache.add(key, 0, self.seconds)
        failures = cache.incr(key)
        logger.warning(
            "wrong password", extra={"step": self.scope, "account": account[:150], "failures": failures}
        )
        return failures

    def succeeded(self, account: str) -> None:
        cache.delete(self._key(account))


SIGN_IN = AttemptLimiter("sign-in")
SIGNING = AttemptLimiter("signing")
