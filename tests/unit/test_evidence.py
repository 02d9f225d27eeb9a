"""Evidence rules: kinds from the first bytes, upload checks, and evidence references."""

import io
import os
import unicodedata
import zipfile

import openpyxl
import pytest
from pydantic import ValidationError

from services.intake.domain.evidence import (
    EvidenceById,
    EvidenceKind,
    EvidenceLink,
    check_upload,
    evidence_ref,
    normalise_filename,
    sniff,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
MB = 1024 * 1024
CONTENT_TYPES = (
    '<?xml version="1.0"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def office(main_part: str, *more: tuple[str, bytes], stream: bool = False) -> bytes:
    """A minimal OOXML package: content types, relationships, the main part, then `more`."""
    out = io.BytesIO()
    target = _Unseekable(out) if stream else out
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main_part, "<document>สวัสดี</document>")
        for name, data in more:
            archive.writestr(name, data, zipfile.ZIP_STORED)
    return out.getvalue()


def opendocument(mimetype: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype, zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


class _Unseekable(io.RawIOBase):
    """Makes zipfile write sizes after the data (data descriptors), as streaming writers do."""

    def __init__(self, out: io.BytesIO) -> None:
        self.out = out

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return self.out.write(data)


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ตัวชี้วัด", "ผล"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("head", "filename", "kind"),
    [
        (PDF, "รายงาน.pdf", EvidenceKind.PDF),
        (PNG, "ภาพกิจกรรม.png", EvidenceKind.PNG),
        (JPEG, "photo.JPG", EvidenceKind.JPEG),
        (GIF, "a.gif", EvidenceKind.GIF),
        (office("word/document.xml"), "แผน.docx", EvidenceKind.DOCX),
        (office("ppt/presentation.xml"), "slides.pptx", EvidenceKind.PPTX),
        (office("xl/workbook.xml"), "book.xlsx", EvidenceKind.XLSX),
        (xlsx(), "ผลการดำเนินงาน.xlsx", EvidenceKind.XLSX),
        (opendocument("application/vnd.oasis.opendocument.text"), "a.odt", EvidenceKind.ODT),
        (
            opendocument("application/vnd.oasis.opendocument.spreadsheet"),
            "a.ods",
            EvidenceKind.ODS,
        ),
        (OLE2, "บันทึก.doc", EvidenceKind.DOC),
        (OLE2, "BOOK.XLS", EvidenceKind.XLS),
        (OLE2, "slides.ppt", EvidenceKind.PPT),
    ],
)
def test_the_content_decides_the_kind(head: bytes, filename: str, kind: EvidenceKind) -> None:
    assert sniff(head, filename) == kind
    assert sniff(head, "no-extension") == (None if head is OLE2 else kind)


def test_the_name_cannot_make_content_acceptable() -> None:
    assert sniff(b"MZ\x90\x00\x03\x00\x00\x00", "รายงาน.pdf") is None  # a Windows program
    assert sniff(b"<svg xmlns='http://www.w3.org/2000/svg'>", "chart.png") is None
    assert sniff(b"<!DOCTYPE html><html>", "report.docx") is None
    assert sniff(b"", "empty.pdf") is None
    assert sniff(OLE2, "mail.msg") is None  # OLE2, but not a document we accept


def test_zip_archives_that_are_not_documents_are_refused() -> None:
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("word/notes.txt", "no content types: not an Office package")
    assert sniff(plain.getvalue(), "a.docx") is None
    assert sniff(office("docProps/app.xml"), "a.docx") is None
    assert sniff(opendocument("application/vnd.oasis.opendocument.graphics"), "a.odg") is None


def test_macro_enabled_office_files_are_refused() -> None:
    docm = office("word/document.xml", ("word/vbaProject.bin", b"\x00" * 64))
    assert sniff(docm, "plan.docx") is None
    problems = check_upload("plan.docx", "", docm, len(docm), MB)
    assert problems == ["unknown_type: Office files with macros are not accepted"]


def test_office_kind_from_only_the_start_of_a_large_file() -> None:
    photo = ("word/media/image1.png", PNG + os.urandom(200_000))
    docx = office("word/document.xml", photo)
    assert sniff(docx[:4096], "a.docx") == EvidenceKind.DOCX
    streamed = office("word/document.xml", photo, stream=True)  # sizes after each entry's data
    assert sniff(streamed[:4096], "a.docx") == EvidenceKind.DOCX
    book = xlsx()  # openpyxl writes [Content_Types].xml last
    assert sniff(book[:1024], "a.xlsx") == EvidenceKind.XLSX


def test_an_embedded_spreadsheet_does_not_change_the_kind() -> None:
    docx = office("word/document.xml", ("word/embeddings/Sheet1.xlsx", xlsx()))
    assert sniff(docx, "a.docx") == EvidenceKind.DOCX
    assert sniff(docx[:3000], "a.docx") == EvidenceKind.DOCX


def test_a_good_upload_has_no_problems() -> None:
    docx = office("word/document.xml")
    name = "รายงานผลการดำเนินงาน ปีงบประมาณ ๒๕๖๙ (ไตรมาส 1).docx"
    assert check_upload(name, EvidenceKind.DOCX.content_type, docx, len(docx), MB) == []
    assert check_upload("scan", "application/octet-stream", PDF, 10, MB) == []
    assert check_upload("a.jpeg", "image/jpeg; charset=binary", JPEG, 10, MB) == []
    assert check_upload("a.png", "IMAGE/PNG", PNG, 10, MB) == []
    assert check_upload("a.docx", "application/zip", docx, len(docx), MB) == []
    assert check_upload("a.xls", "application/vnd.ms-excel", OLE2, len(OLE2), MB) == []


def test_the_declared_type_may_not_contradict_the_content() -> None:
    problems = check_upload("ภาพ.png", "application/pdf", PNG, 100, MB)
    assert problems == ["type_mismatch: declared as 'application/pdf' but the content is image/png"]


def test_the_name_may_not_contradict_the_content() -> None:
    problems = check_upload("ภาพ.pdf", "", PNG, 100, MB)
    assert problems == ["extension_mismatch: the content is PNG but the name ends in .pdf"]
    assert check_upload("report.pdf.exe", "", PDF, 100, MB)[0].startswith("extension_mismatch:")


def test_unknown_empty_and_too_large() -> None:
    assert check_upload("a.exe", "application/pdf", b"MZ\x90\x00", 4, MB) == [
        "unknown_type: the content is not PDF, JPEG, PNG, GIF, Word, Excel, PowerPoint"
        " or OpenDocument (ODT, ODS)"
    ]
    assert check_upload("a.msg", "", OLE2, len(OLE2), MB)[0].startswith(
        "unknown_type: an old Office file"
    )
    assert check_upload("a.pdf", "application/pdf", b"", 0, MB) == ["empty: the file is empty"]
    problems = check_upload("a.pdf", "application/pdf", PDF, 10 * MB + 1, 10 * MB)
    assert problems == [
        "too_large: 10,485,761 bytes is more than the limit of 10,485,760 bytes (10.0 MB)"
    ]


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd.pdf",
        "C:\\Users\\ครู\\รายงาน.pdf",
        "a\x00.pdf",
        "line\nbreak.pdf",
        "รายงาน\u202efdp.exe",  # shows as "รายงานexe.pdf"
        "",
        "   ",
        "..",
        "ก" * 84 + ".pdf",  # 256 bytes in UTF-8
    ],
)
def test_bad_file_names(filename: str) -> None:
    problems = check_upload(filename, "application/pdf", PDF, len(PDF), MB)
    assert problems
    assert all(p.startswith(("bad_filename:", "extension_mismatch:")) for p in problems)


def test_thai_file_names_are_fine_and_normalised_to_nfc() -> None:
    typed = "ป\u0e48\u0e38ม กด.pdf"  # tone mark typed before the vowel below: NFC reorders
    assert normalise_filename(typed) == "ป\u0e38\u0e48ม กด.pdf"
    assert unicodedata.is_normalized("NFC", normalise_filename("Cafe\u0301 ครู.pdf"))
    assert check_upload(typed, "application/pdf", PDF, len(PDF), MB) == []
    assert check_upload("ก" * 83 + ".pdf", "application/pdf", PDF, len(PDF), MB) == []


def test_evidence_references() -> None:
    by_id = evidence_ref.validate_python({"evidence_id": "6f1c2e9a-3b7d-4c1e-9f0a-2d5b8c7e4a31"})
    assert isinstance(by_id, EvidenceById)
    link = evidence_ref.validate_python({"url": "https://th.wikipedia.org/wiki/โรงเรียน"})
    assert isinstance(link, EvidenceLink)
    assert link.url == "https://th.wikipedia.org/wiki/โรงเรียน"  # kept as given
    long_but_fine = "https://example.go.th/" + "a" * (2000 - 22)
    assert evidence_ref.validate_python({"url": long_but_fine}).model_dump() == {
        "url": long_but_fine
    }


@pytest.mark.parametrize(
    "value",
    [
        {"evidence_id": "../../x"},
        {"evidence_id": "6F1C2E9A-3B7D-4C1E-9F0A-2D5B8C7E4A31"},
        {"url": "ftp://example.com/a.pdf"},
        {"url": "javascript:alert(1)"},
        {"url": "file:///etc/passwd"},
        {"url": "https://"},
        {"url": "https://user:secret@example.com/"},
        {"url": "https://example.com@evil.example/"},
        {"url": "https://example.com:99999/"},
        {"url": "https://example.com/a b"},
        {"url": "https://example.go.th/" + "a" * 1979},  # 2,001 characters
        {"url": "https://example.com/", "evidence_id": "6f1c2e9a-3b7d-4c1e-9f0a-2d5b8c7e4a31"},
        {"url": "https://example.com/", "note": "extra"},
        {},
        "https://example.com/",
    ],
)
def test_bad_evidence_references(value: object) -> None:
    with pytest.raises(ValidationError):
        evidence_ref.validate_python(value)
