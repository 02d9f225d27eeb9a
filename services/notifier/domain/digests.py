"""Digests: a unit's waiting notices in one message per day (by default), not a flood.

The Bangkok day is cut into `per_day` slots; a unit gets at most one digest per slot, with
every notice that waited for it. Each address of the unit (its contact's or its head's
e-mail and LINE ids) is one delivery of the digest, carrying the notices for its audience.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services.notifier.domain.notices import Audience, Notice
from shared.contracts.notifier import Channel
from shared.contracts.setup import Unit
from shared.thai.calendar import format_long

BANGKOK = timedelta(hours=7)
LINE_MAX_CHARS = 5000  # the Messaging API's limit for one text message
GREETING: dict[Audience, str] = {"contact": "ผู้ประสานงาน", "head": "ผู้บริหาร"}


def slot_of(now: datetime, per_day: int) -> tuple[date, int]:
    """The Bangkok day and which of its `per_day` slots `now` falls in."""
    local = now + BANGKOK
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    return local.date(), seconds * per_day // 86_400


def digest_id(unit_code: str, day: date, slot: int) -> str:
    return f"{unit_code}:{day.isoformat()}:{slot}"


@dataclass(frozen=True)
class Address:
    """Where one delivery goes, and which audiences of the unit it speaks for."""

    channel: Channel
    address: str
    audiences: frozenset[Audience]

    def delivery_id(self, digest: str) -> str:
        return f"{digest}:{self.channel}:{self.address}"


def addresses_of(
    unit: Unit | None, audiences: set[Audience], channels: set[Channel]
) -> list[Address]:
    """The unit's addresses for these audiences over the channels that are switched on."""
    if unit is None:
        return []
    found: dict[tuple[Channel, str], set[Audience]] = {}
    lists: list[tuple[Audience, Channel, Sequence[str]]] = [
        ("contact", "email", unit.contact_emails),
        ("contact", "line", unit.contact_line_ids),
        ("head", "email", unit.head_emails),
        ("head", "line", unit.head_line_ids),
    ]
    for audience, channel, values in lists:
        if audience in audiences and channel in channels:
            for value in values:
                found.setdefault((channel, value.lower() if channel == "email" else value), set())
                found[(channel, value.lower() if channel == "email" else value)].add(audience)
    return [
        Address(channel, address, frozenset(which))
        for (channel, address), which in sorted(found.items())
    ]


@dataclass(frozen=True)
class Message:
    """What one address receives: a subject (e-mail) and a plain Thai text."""

    subject: str
    text: str


def compose(
    unit_name: str,
    day: date,
    notices: Sequence[Notice],
    audiences: frozenset[Audience],
    console_url: str,
) -> Message | None:
    """The digest for one address: its audiences' notices, oldest first; None if none."""
    mine = sorted(
        (n for n in notices if n.audience in audiences), key=lambda n: (n.created_at, n.key)
    )
    if not mine:
        return None
    base = console_url.rstrip("/")
    who = " / ".join(GREETING[a] for a in sorted(audiences))
    if len(mine) == 1:
        subject = f"[ติดตาม] {mine[0].subject_th}"
    else:
        subject = f"[ติดตาม] {len(mine)} เรื่องที่ต้องติดตาม: {unit_name} ({format_long(day)})"
    lines = [f"เรียน {who} {unit_name}", ""]
    for number, notice in enumerate(mine, start=1):
        prefix = f"{number}. " if len(mine) > 1 else ""
        lines.append(f"{prefix}{notice.subject_th}")
        lines.extend(f"   {line}" for line in notice.lines_th)
        lines.append(f"   ดูรายละเอียด: {base}{notice.link_path}")
        lines.append("")
    lines.append("ข้อความนี้ส่งโดยอัตโนมัติจากระบบติดตามและรายงานผล (Tidtam) วันละไม่เกินหนึ่งฉบับ")
    return Message(subject, "\n".join(lines))


def line_text(message: Message) -> str:
    """A LINE text message: the subject on top, cut to what the API takes."""
    text = f"{message.subject}\n\n{message.text}"
    return text if len(text) <= LINE_MAX_CHARS else text[: LINE_MAX_CHARS - 1] + "…"
