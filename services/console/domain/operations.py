"""What the operator page shows: each service's readiness and outbox backlog, in Thai."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutboxBacklog:
    """One outbox: how many changes wait to be announced, and how long the oldest has."""

    name: str
    pending: int
    oldest_age_s: float


@dataclass(frozen=True)
class ServiceHealth:
    """One service as its `/readyz` and `/metrics` describe it; `answered` False when it
    did not answer at all (down, or not reachable from the console)."""

    name: str
    answered: bool
    ready: bool
    checks: dict[str, bool] = field(default_factory=dict)
    outboxes: tuple[OutboxBacklog, ...] = ()

    @property
    def status_th(self) -> str:
        if not self.answered:
            return "ไม่ตอบสนอง"
        return "พร้อมทำงาน" if self.ready else "ยังไม่พร้อม"

    @property
    def backlog(self) -> int:
        return sum(o.pending for o in self.outboxes)

    @property
    def oldest_age_s(self) -> float:
        return max((o.oldest_age_s for o in self.outboxes), default=0.0)


def age_th(seconds: float) -> str:
    """An age an operator reads at a glance: seconds, minutes, hours or days."""
    if seconds < 60:
        return f"{seconds:.0f} วินาที"
    if seconds < 3600:
        return f"{seconds / 60:.0f} นาที"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} ชั่วโมง"
    return f"{seconds / 86400:.1f} วัน"


PURGE_MISMATCH_TH = "ชื่อคิวที่พิมพ์ไม่ตรงกัน จึงยังไม่ได้ลบ"
PURGE_MISMATCH = "the name typed does not match the queue's; nothing was purged"
