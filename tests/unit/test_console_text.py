"""Every word the console shows goes through its text table, in Thai and in English."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from services.console.domain.accounts import ROLE_TH
from services.console.domain.english import ENGLISH
from services.console.domain.glance import PHASE_TH, STATUS_TH, section_of
from services.console.domain.text import TEXT, Speech
from services.console.entrypoints.http_setup import EDITING
from services.console.entrypoints.web import TEMPLATES
from services.console.handlers.reports import REPORTS_TH
from services.console.handlers.setup import IMPORT_KINDS

REPORT_TH: dict[str, str] = TEMPLATES.env.globals["report_th"]  # type: ignore[assignment]
TEMPLATE_DIR = Path("services/console/entrypoints/templates")
THAI = re.compile("[\u0e00-\u0e7f]")
TRANSLATED = re.compile(r's\.tr\("([^"]*)"')
ENGLISH_SPEECH = Speech(language="en")


def _templates() -> list[Path]:
    return sorted(TEMPLATE_DIR.glob("*.html"))


def _flash(target: str) -> str:
    return parse_qs(urlsplit(target).query)["m"][0]


def _in_english(thai: str) -> bool:
    english = ENGLISH_SPEECH.tr(thai)
    return english != thai and not THAI.search(english)


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_key_of_the_text_table_has_thai_and_english(key: str) -> None:
    thai, english = TEXT[key]
    assert thai.strip() and english.strip()
    assert THAI.search(thai) or key == "language", f"{key}: the Thai text is not Thai"
    assert not THAI.search(english) or key == "language", f"{key}: the English text is Thai"


def test_every_english_phrase_is_english() -> None:
    assert [thai for thai, english in ENGLISH.items() if THAI.search(english)] == []


@pytest.mark.parametrize("template", _templates(), ids=lambda p: p.name)
def test_no_thai_in_a_template_bypasses_the_text_table(template: Path) -> None:
    source = re.sub(r"\{#.*?#\}", "", template.read_text(), flags=re.S)
    left = TRANSLATED.sub("", source)
    stray = [line.strip() for line in left.splitlines() if THAI.search(line)]
    assert stray == [], f"Thai outside s.tr/s.t in {template.name}"


@pytest.mark.parametrize("template", _templates(), ids=lambda p: p.name)
def test_every_thai_phrase_of_a_template_has_english(template: Path) -> None:
    phrases = TRANSLATED.findall(template.read_text())
    assert [p for p in phrases if THAI.search(p) and not _in_english(p)] == []


def test_the_words_handlers_hand_to_pages_have_english() -> None:
    words = [
        *STATUS_TH.values(),
        *PHASE_TH.values(),
        *ROLE_TH.values(),
        *REPORTS_TH.values(),
        *IMPORT_KINDS.values(),
        *REPORT_TH.values(),
        section_of(None),
    ]
    for editing in EDITING:
        words += [editing.noun_th, *(label for _, label, _ in editing.fields)]
        words += [editing.hint_th] if editing.hint_th else []
        words += [
            "แก้ไข" + editing.noun_th,
            f"ไม่พบ{editing.noun_th} X-1",
            _flash(editing.done("X-1")),
        ]
    assert [w for w in words if not _in_english(w)] == []


def test_messages_with_a_name_in_them_are_translated_around_the_name() -> None:
    assert ENGLISH_SPEECH.tr("บันทึกรอบ R-2570-1 แล้ว") == "saved round R-2570-1"
    assert ENGLISH_SPEECH.tr("ไม่พบโครงการ P-1") == "projects P-1 not found"
    assert ENGLISH_SPEECH.tr("เผยแพร่แบบ F1 ฉบับที่ 2 แล้ว") == "published form F1 version 2"
    assert Speech().tr("บันทึกรอบ R-1 แล้ว") == "บันทึกรอบ R-1 แล้ว"
    assert ENGLISH_SPEECH.tr("something else") == "something else"


def test_a_service_message_is_shown_in_the_readers_language() -> None:
    assert Speech().pick("ไม่ถูกต้อง", "invalid") == "ไม่ถูกต้อง"
    assert ENGLISH_SPEECH.pick("ไม่ถูกต้อง", "invalid") == "invalid"
    assert ENGLISH_SPEECH.pick("ไม่ถูกต้อง", None) == "ไม่ถูกต้อง"
