"""Sign-in attempts are limited: five wrong passwords in fifteen minutes, for one username
from one address, and the sixth attempt waits, even with the right password."""

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5


@dataclass(frozen=True)
class Throttle:
    """Whether an attempt may be tried now, given the failures in the window."""

    window: timedelta = WINDOW
    max_failures: int = MAX_FAILURES

    def wait(self, failures: list[datetime], now: datetime) -> timedelta | None:
        """How long to wait before the next attempt (None: try now)."""
        recent = sorted(f for f in failures if f > now - self.window)
        if len(recent) < self.max_failures:
            return None
        return recent[-self.max_failures] + self.window - now
