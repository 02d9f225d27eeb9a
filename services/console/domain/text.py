"""What the console says, in Thai first and English on the switch, and how it writes
numbers and dates (Buddhist Era always; Thai digits when the person chose them)."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from services.console.domain.english import ENGLISH
from shared.thai.calendar import MONTHS_SHORT, be_year, thai_digits

Language = Literal["th", "en"]
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

TEXT: dict[str, tuple[str, str]] = {
    "app": ("ติดตาม — ระบบติดตามและประเมินผล", "Tidtam — monitoring and evaluation"),
    "signin": ("เข้าสู่ระบบ", "Sign in"),
    "signout": ("ออกจากระบบ", "Sign out"),
    "username": ("ชื่อผู้ใช้", "Username"),
    "password": ("รหัสผ่าน", "Password"),
    "wrong_password": ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong username or password"),
    "throttled": (
        "พยายามเข้าสู่ระบบหลายครั้งเกินไป กรุณารออีก {minutes} นาที",
        "Too many attempts; wait {minutes} minutes",
    ),
    "home": ("ภาพรวมรอบรายงาน", "Round at a glance"),
    "director": ("สรุปสำหรับผู้บริหาร", "Director's summary"),
    "units": ("หน่วยงาน", "Units"),
    "rounds": ("รอบการรายงาน", "Rounds"),
    "plans": ("แผนและโครงการ", "Plans and projects"),
    "forms": ("แบบรายงาน", "Forms"),
    "imports": ("นำเข้าข้อมูล", "Import"),
    "reports": ("รายงาน", "Reports"),
    "users": ("ผู้ใช้งาน", "Users"),
    "operator": ("ดูแลระบบ", "Operations"),
    "review": ("ตรวจรายงาน", "Review"),
    "assess": ("ให้คะแนนการประเมิน", "Scoring"),
    "evaluations": ("การประเมิน", "Evaluations"),
    "recommendations": ("ข้อเสนอแนะที่ต้องดำเนินการ", "Our recommendations"),
    "register": ("ทะเบียนติดตามข้อเสนอแนะ", "Recommendations register"),
    "reporting": ("รายงานของหน่วยงาน", "Our reports"),
    "bulk": ("รายงานหลายหน่วย", "Many units' reports"),
    "not_found": ("ไม่พบรายการนี้ในรายงานของหน่วยงานท่าน", "Not found among your unit's reports"),
    "reporting_rate": ("อัตราการส่งรายงาน", "Reporting rate"),
    "on_time_rate": ("ส่งตรงเวลา", "On time"),
    "missing": ("ยังไม่ส่งรายงาน", "Not reported"),
    "late": ("ส่งล่าช้า", "Reported late"),
    "lagging": ("โครงการที่ล่าช้ากว่าแผน", "Projects behind plan"),
    "problems": ("ปัญหาอุปสรรคที่พบซ้ำ", "Recurring problems"),
    "remind": ("แจ้งเตือน", "Remind"),
    "remind_all": ("แจ้งเตือนทุกหน่วยที่ยังไม่ส่ง", "Remind every missing unit"),
    "reminded": ("ส่งการแจ้งเตือนแล้ว {count} หน่วย", "Reminders sent: {count}"),
    "days_late": ("เกินกำหนด (วัน)", "Days late"),
    "group": ("กลุ่ม", "Group"),
    "unit": ("หน่วยงาน", "Unit"),
    "contact": ("ผู้ติดต่อ", "Contact"),
    "due": ("กำหนดส่ง", "Due"),
    "save": ("บันทึก", "Save"),
    "search": ("ค้นหา", "Search"),
    "print": ("พิมพ์", "Print"),
    "none": ("ไม่มี", "None"),
    "language": ("English", "ภาษาไทย"),
    "thai_digits": ("เลขไทย", "Thai digits"),
    "arabic_digits": ("เลขอารบิก", "Arabic digits"),
    "forbidden": ("หน้านี้ไม่เปิดให้บทบาทของท่าน", "This page is not open to your role"),
    "unavailable": (
        "ระบบที่เกี่ยวข้องยังไม่ตอบสนองในขณะนี้ กรุณาลองใหม่อีกครั้งในอีกสักครู่",
        "A service behind this page is not answering right now; try again in a moment",
    ),
    "csrf": (
        "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
        "The form expired or is not valid; reload the page and try again",
    ),
}


# Phrases with a `{name}` in them, longest first, as patterns over a whole text.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(thai)) + "$"), english)
    for thai, english in sorted(ENGLISH.items(), key=lambda item: -len(item[0]))
    if "{" in thai
)


@dataclass(frozen=True)
class Speech:
    """How one person reads the console: language and digits."""

    language: Language = "th"
    thai_digits: bool = False

    def t(self, key: str, **values: object) -> str:
        th, en = TEXT.get(key, (key, key))
        text = (th if self.language == "th" else en).format(**values)
        return self.digits(text)

    def tr(self, thai: object) -> str:
        """A Thai phrase of a page, in English when the person reads English."""
        text = "" if thai is None else str(thai)
        if self.language == "th" or not text:
            return text
        found = ENGLISH.get(text)
        return found if found is not None else self._by_pattern(text)

    def _by_pattern(self, text: str) -> str:
        for pattern, english in PATTERNS:
            matched = pattern.match(text)
            if matched:
                return english.format(**{k: self.tr(v) for k, v in matched.groupdict().items()})
        return text

    def pick(self, thai: str | None, english: str | None) -> str:
        """A service's message in the person's language (Thai first, whichever it has)."""
        first, second = (english, thai) if self.language == "en" else (thai, english)
        return first or second or ""

    def digits(self, text: object) -> str:
        return thai_digits(text) if self.thai_digits else str(text)

    def number(self, value: int | Decimal | None, places: int = 0) -> str:
        if value is None:
            return "–"
        shown = f"{value:,.{places}f}"
        return self.digits(shown)

    def percent(self, value: Decimal | None) -> str:
        return "–" if value is None else self.digits(f"{value:.2f}%")

    def date(self, day: date | datetime | None) -> str:
        """24 พ.ย. 2569 / 24 Nov 2569 (BE either way: offices count years in BE)."""
        if day is None:
            return "–"
        months = MONTHS_SHORT if self.language == "th" else MONTHS_EN
        return self.digits(f"{day.day} {months[day.month - 1]} {be_year(day.year)}")
