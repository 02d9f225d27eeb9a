"""Intake's evidence files (เอกสาร/หลักฐาน) in GridFS: streamed in, hashed on the way, out."""

import contextlib
import hashlib
import inspect
from collections.abc import AsyncIterable, AsyncIterator, Awaitable
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from gridfs import AsyncGridFSBucket, NoFile
from gridfs.asynchronous.grid_file import AsyncGridOut
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.intake.domain.evidence import (
    EvidenceNotFound,
    EvidenceTooLarge,
    StoredEvidence,
    new_evidence_id,
    normalise_filename,
)

CHUNK_BYTES = 255 * 1024  # GridFS's default chunk size; also the piece we read and serve


@runtime_checkable
class Readable(Protocol):
    """A file-like source: `read(n)` returning bytes, or awaitable bytes (FastAPI's UploadFile)."""

    def read(self, size: int, /) -> bytes | Awaitable[bytes]: ...


EvidenceSource = bytes | bytearray | memoryview | Readable | AsyncIterable[bytes]


class MongoEvidenceStore:
    """Evidence files in a GridFS bucket; the file's `_id` is the evidence id (a UUID string)."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], bucket_name: str = "evidence") -> None:
        self._bucket = AsyncGridFSBucket(db, bucket_name=bucket_name, chunk_size_bytes=CHUNK_BYTES)
        self._files = db[f"{bucket_name}.files"]
        self._chunks = db[f"{bucket_name}.chunks"]

    async def create_indexes(self) -> None:
        """Evidence by unit, and GridFS's chunk index before the first upload."""
        await self._files.create_index([("metadata.unit_code", 1)])
        # The driver makes this one only on the first upload into an empty bucket; reading
        # a file without it scans every chunk. Same key and name as the driver's.
        await self._chunks.create_index([("files_id", 1), ("n", 1)], unique=True)

    async def put(
        self,
        unit_code: str,
        filename: str,
        content_type: str,
        source: EvidenceSource,
        *,
        max_bytes: int | None = None,
    ) -> StoredEvidence:
        """Store a file piece by piece, hashing it on the way; nothing remains if it fails.

        Raises EvidenceTooLarge (and keeps nothing) once more than `max_bytes` arrive.
        """
        evidence_id = new_evidence_id()
        name = normalise_filename(filename)
        upload = self._bucket.open_upload_stream_with_id(evidence_id, name)
        digest = hashlib.sha256()
        size = 0
        try:
            async for piece in _pieces(source):
                size += len(piece)
                if max_bytes is not None and size > max_bytes:
                    raise EvidenceTooLarge(f"more than {max_bytes:,} bytes")
                digest.update(piece)
                await upload.write(piece)
            # The files document is written by close(), so its metadata is complete or absent.
            metadata = {
                "unit_code": unit_code,
                "content_type": content_type,
                "sha256": digest.hexdigest(),
            }
            await upload.set("metadata", metadata)
            await upload.close()
        except BaseException:
            with contextlib.suppress(PyMongoError):
                await upload.abort()
            raise
        return StoredEvidence(
            evidence_id=evidence_id,
            unit_code=unit_code,
            filename=name,
            content_type=content_type,
            size=size,
            sha256=metadata["sha256"],
            uploaded_at=_as_stored(upload.upload_date),
        )

    async def info(self, evidence_id: str) -> StoredEvidence | None:
        """What is stored under this id, or None (also while an upload is still running)."""
        document = await self._files.find_one({"_id": evidence_id})
        return None if document is None else _stored(document)

    async def open(self, evidence_id: str) -> AsyncIterator[bytes]:
        """The file's content chunk by chunk; raises EvidenceNotFound before anything is read."""
        try:
            download = await self._bucket.open_download_stream(evidence_id)
        except NoFile:
            raise EvidenceNotFound(evidence_id) from None
        return _chunks_of(download)

    async def delete(self, evidence_id: str) -> bool:
        """Remove a file and its chunks; False when there was no such file."""
        try:
            await self._bucket.delete(evidence_id)
        except NoFile:
            return False
        return True


async def _pieces(source: EvidenceSource) -> AsyncIterator[bytes]:
    """The source in pieces of at most a chunk (an async iterable's pieces as they come)."""
    if isinstance(source, bytes | bytearray | memoryview):
        view = memoryview(source)
        for start in range(0, len(view), CHUNK_BYTES):
            yield bytes(view[start : start + CHUNK_BYTES])
    elif isinstance(source, Readable):
        while True:
            read = source.read(CHUNK_BYTES)
            piece = await read if inspect.isawaitable(read) else read
            if not piece:
                return
            yield bytes(piece)
    else:
        async for piece in source:
            if piece:
                yield bytes(piece)


async def _chunks_of(download: AsyncGridOut) -> AsyncIterator[bytes]:
    try:
        while chunk := await download.readchunk():
            yield chunk
    finally:
        await download.close()


def _as_stored(moment: datetime) -> datetime:
    """As MongoDB keeps it: UTC, whole milliseconds (so `put` and `info` agree)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _stored(document: dict[str, Any]) -> StoredEvidence:
    metadata = document.get("metadata") or {}
    return StoredEvidence(
        evidence_id=document["_id"],
        unit_code=metadata["unit_code"],
        filename=document["filename"],
        content_type=metadata["content_type"],
        size=int(document["length"]),
        sha256=metadata["sha256"],
        uploaded_at=_as_stored(document["uploadDate"]),
    )
