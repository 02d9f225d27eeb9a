"""Evidence (เอกสาร/หลักฐาน) attached to progress reports: what we accept and how we know it.

The kind of a file is decided by its first bytes (magic numbers), never by the type or name
the client declares: those are only checked against the content. `check_upload` returns
problems as `"<code>: <detail>"` strings; the codes are `bad_filename`, `empty`, `too_large`,
`unknown_type`, `type_mismatch` and `extension_mismatch`.
"""

import io
import struct
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

HEAD_BYTES = 64 * 1024
"""How much of the start of a file `sniff` should be given (less works for most files)."""

MAX_FILENAME_BYTES = 255  # what common file systems allow; a Thai letter is 3 bytes in UTF-8
MAX_URL_CHARS = 2000


class EvidenceKind(StrEnum):
    """The kinds of file a school may attach."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    GIF = "gif"
    DOCX = "docx"
    XLSX = "xlsx"
    PPTX = "pptx"
    DOC = "doc"
    XLS = "xls"
    PPT = "ppt"
    ODT = "odt"
    ODS = "ods"

    @property
    def content_type(self) -> str:
        """The content type we store and serve the file with."""
        return _SPECS[self].content_type

    @property
    def extensions(self) -> tuple[str, ...]:
        """File name extensions (lower case, no dot) that fit this kind."""
        return _SPECS[self].extensions


@dataclass(frozen=True)
class _Spec:
    content_type: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # other types clients declare for the same content


_OOXML = "application/vnd.openxmlformats-officedocument"
_ZIP_ALIASES = ("application/zip", "application/x-zip-compressed")
_OLE2_ALIASES = ("application/vnd.ms-office", "application/x-ole-storage", "application/cdfv2")

_SPECS: dict[EvidenceKind, _Spec] = {
    EvidenceKind.PDF: _Spec("application/pdf", ("pdf",), ("application/x-pdf",)),
    EvidenceKind.JPEG: _Spec("image/jpeg", ("jpg", "jpeg", "jpe"), ("image/jpg", "image/pjpeg")),
    EvidenceKind.PNG: _Spec("image/png", ("png",), ("image/x-png",)),
    EvidenceKind.GIF: _Spec("image/gif", ("gif",)),
    EvidenceKind.DOCX: _Spec(f"{_OOXML}.wordprocessingml.document", ("docx",), _ZIP_ALIASES),
    EvidenceKind.XLSX: _Spec(f"{_OOXML}.spreadsheetml.sheet", ("xlsx",), _ZIP_ALIASES),
    EvidenceKind.PPTX: _Spec(f"{_OOXML}.presentationml.presentation", ("pptx",), _ZIP_ALIASES),
    EvidenceKind.DOC: _Spec("application/msword", ("doc",), _OLE2_ALIASES),
    EvidenceKind.XLS: _Spec(
        "application/vnd.ms-excel", ("xls",), ("application/x-msexcel", *_OLE2_ALIASES)
    ),
    EvidenceKind.PPT: _Spec(
        "application/vnd.ms-powerpoint", ("ppt",), ("application/mspowerpoint", *_OLE2_ALIASES)
    ),
    EvidenceKind.ODT: _Spec("application/vnd.oasis.opendocument.text", ("odt",), _ZIP_ALIASES),
    EvidenceKind.ODS: _Spec(
        "application/vnd.oasis.opendocument.spreadsheet", ("ods",), _ZIP_ALIASES
    ),
}

# Types that say nothing about the content (what browsers send when they do not know).
_UNINFORMATIVE_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})

_PNG = b"\x89PNG\r\n\x1a\n"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_LOCAL = b"PK\x03\x04"
_ZIP_END = b"PK\x05\x06"  # end of central directory, the last 22 bytes when no comment
_ZIP_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")  # signature … name length, extra length
_OOXML_PARTS = {"word": EvidenceKind.DOCX, "xl": EvidenceKind.XLSX, "ppt": EvidenceKind.PPTX}
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": EvidenceKind.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": EvidenceKind.ODS,
}
# The OLE2 container is shared by DOC, XLS, PPT, Outlook's MSG, MSI…: the name tells which.
_OLE2_BY_EXTENSION = {"doc": EvidenceKind.DOC, "xls": EvidenceKind.XLS, "ppt": EvidenceKind.PPT}
# Bidirectional controls make "รายงาน\u202efdp.exe" display as "รายงานexe.pdf".
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def sniff(head: bytes, filename: str) -> EvidenceKind | None:
    """The kind of a file from its first bytes; None when it is not one we accept.

    The name is consulted only where the content cannot tell (DOC, XLS and PPT share one
    container). Macro-enabled Office files and other zip archives are not accepted.
    """
    if head.startswith(b"%PDF-"):
        return EvidenceKind.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return EvidenceKind.JPEG
    if head.startswith(_PNG):
        return EvidenceKind.PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return EvidenceKind.GIF
    if head.startswith(_OLE2):
        return _OLE2_BY_EXTENSION.get(extension_of(filename))
    if head.startswith(_ZIP_LOCAL):
        return _sniff_zip(head)
    return None


def check_upload(
    filename: str, declared_type: str, head: bytes, size: int, max_bytes: int
) -> list[str]:
    """Every reason to refuse an upload; an empty list means it may be stored."""
    problems = check_filename(filename)
    if size <= 0:
        return [*problems, "empty: the file is empty"]
    if size > max_bytes:
        problems.append(
            f"too_large: {size:,} bytes is more than the limit of {max_bytes:,} bytes"
            f" ({max_bytes / 1_048_576:.1f} MB)"
        )
    kind = sniff(head, filename)
    if kind is None:
        problems.append(f"unknown_type: {_why_unknown(head)}")
        return problems
    declared = declared_type.split(";", 1)[0].strip().lower()
    spec = _SPECS[kind]
    if declared not in _UNINFORMATIVE_TYPES | {spec.content_type, *spec.aliases}:
        problems.append(
            f"type_mismatch: declared as {declared!r} but the content is {spec.content_type}"
        )
    extension = extension_of(filename)
    if extension and extension not in spec.extensions:
        problems.append(
            f"extension_mismatch: the content is {kind.name} but the name ends in .{extension}"
        )
    return problems


def normalise_filename(filename: str) -> str:
    """NFC, so one name typed on different systems is stored one way (Thai marks reordered)."""
    return unicodedata.normalize("NFC", filename)


def check_filename(filename: str) -> list[str]:
    """Problems with a file name as given: a bare name, printable, not too long."""
    name = normalise_filename(filename)
    problems = []
    if not name.strip() or name in (".", ".."):
        problems.append("bad_filename: the file name is empty")
    if "/" in name or "\\" in name:
        problems.append("bad_filename: a file name may not contain '/' or '\\'")
    if any(unicodedata.category(c) in ("Cc", "Cs") or c in _BIDI_CONTROLS for c in name):
        problems.append("bad_filename: the file name contains control characters")
    if len(name.encode("utf-8", "surrogatepass")) > MAX_FILENAME_BYTES:
        problems.append(f"bad_filename: longer than {MAX_FILENAME_BYTES} bytes in UTF-8")
    return problems


def extension_of(filename: str) -> str:
    """The extension of the last path part, lower case without the dot ('' when none)."""
    last = normalise_filename(filename).replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, extension = last.rpartition(".")
    return extension.lower() if dot and stem else ""


def _sniff_zip(head: bytes) -> EvidenceKind | None:
    first = _local_header(head, 0)
    if first is not None and first[0] == "mimetype":
        # ODF: an uncompressed "mimetype" entry first, its content the document's type.
        _, start, length = first
        return _ODF_TYPES.get(head[start : start + length])
    names = _zip_names(head)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None  # macro-enabled (.docm, .xlsm, .pptm) whatever it is named
    for name in names:
        kind = _OOXML_PARTS.get(name.split("/", 1)[0])
        if kind is not None and "/" in name:
            return kind  # the first main part decides; embedded documents come later
    return None


def _zip_names(head: bytes) -> list[str]:
    """Entry names: from the central directory when the whole file is here, else from the
    local headers that fit in `head`."""
    if head[-22:-18] != _ZIP_END:  # only the start of the file: read the local headers
        return list(_local_names(head))
    try:
        with zipfile.ZipFile(io.BytesIO(head)) as archive:
            names = archive.namelist()
    except Exception:  # a damaged directory: the local headers are all we have
        return list(_local_names(head))
    return names if "[Content_Types].xml" in names else []


def _local_names(head: bytes) -> Iterator[str]:
    position = 0
    while (header := _local_header(head, position)) is not None:
        name, start, length = header
        yield name
        if length < 0:  # sizes follow the data (a data descriptor): find the next header
            position = head.find(_ZIP_LOCAL, start)
            if position < 0:
                return
        else:
            position = start + length


def _local_header(head: bytes, position: int) -> tuple[str, int, int] | None:
    """(name, where its data starts, compressed length or -1 when not known yet)."""
    end = position + _ZIP_LOCAL_HEADER.size
    if end > len(head):
        return None
    signature, _, flags, _, _, _, _, length, _, name_length, extra_length = (
        _ZIP_LOCAL_HEADER.unpack_from(head, position)
    )
    if signature != _ZIP_LOCAL or end + name_length > len(head):
        return None
    name = head[end : end + name_length].decode("utf-8" if flags & 0x800 else "cp437", "replace")
    known = not flags & 0x08 and length != 0xFFFFFFFF  # neither data descriptor nor zip64
    return name, end + name_length + extra_length, length if known else -1


def _why_unknown(head: bytes) -> str:
    accepted = "PDF, JPEG, PNG, GIF, Word, Excel, PowerPoint or OpenDocument (ODT, ODS)"
    if head.startswith(_OLE2):
        return "an old Office file is accepted only when named .doc, .xls or .ppt"
    if head.startswith(_ZIP_LOCAL) and any(
        n.lower().endswith("vbaproject.bin") for n in _zip_names(head)
    ):
        return "Office files with macros are not accepted"
    return f"the content is not {accepted}"


@dataclass(frozen=True)
class StoredEvidence:
    """A stored evidence file, as the store describes it."""

    evidence_id: str
    unit_code: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class EvidenceNotFound(LookupError):
    """No evidence file has this id."""


class EvidenceTooLarge(ValueError):
    """An upload grew past its limit while it was being stored."""


def new_evidence_id() -> str:
    """A fresh evidence id: a random UUID, which nobody can guess from another."""
    return str(uuid.uuid4())


_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class EvidenceById(BaseModel):
    """Evidence uploaded to intake, by the id the upload returned."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    evidence_id: str = Field(
        pattern=_UUID,
        description="The id returned when the file was uploaded.",
        examples=["6f1c2e9a-3b7d-4c1e-9f0a-2d5b8c7e4a31"],
    )


class EvidenceLink(BaseModel):
    """Evidence kept elsewhere (a school's drive or web site), by its web address."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = Field(
        max_length=MAX_URL_CHARS,
        description="An http or https address, at most 2,000 characters.",
        examples=["https://drive.google.com/file/d/1AbC/view"],
    )

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str) -> str:
        if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cs") for c in url):
            raise ValueError("an address may not contain spaces or control characters")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ValueError("only http and https addresses are accepted")
        if "@" in parts.netloc:
            raise ValueError("an address may not carry a user name or password")
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number in range
        except ValueError:
            raise ValueError("the address has an invalid port") from None
        if not parts.hostname:
            raise ValueError("the address has no host")
        return url


EvidenceRef = EvidenceById | EvidenceLink
"""What a submission's evidence field holds: `{"evidence_id": …}` or `{"url": "https://…"}`."""

evidence_ref: TypeAdapter[EvidenceRef] = TypeAdapter(EvidenceRef)
"""Validates one evidence field's value: `evidence_ref.validate_python(value)`."""
