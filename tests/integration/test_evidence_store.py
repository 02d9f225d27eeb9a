"""Evidence files in GridFS on the real MongoDB: streamed in, hashed, streamed out, deleted."""

import hashlib
import io
import math
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from services.intake.adapters.evidence_store import CHUNK_BYTES, MongoEvidenceStore
from services.intake.domain.evidence import EvidenceKind, EvidenceNotFound, EvidenceTooLarge
from shared.platform.mongo import make_client
from shared.platform.settings import Settings

pytestmark = pytest.mark.integration

UNIT = "1084200101"
PDF = EvidenceKind.PDF.content_type
THREE_MB = 3 * 1024 * 1024 + 12_345  # not a whole number of chunks


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[MongoEvidenceStore]:
    client = make_client(settings.mongodb_url)
    made = MongoEvidenceStore(client[settings.database_of("intake")])
    await made.create_indexes()
    yield made
    await client.close()


async def read_all(store: MongoEvidenceStore, evidence_id: str) -> bytes:
    return b"".join([chunk async for chunk in await store.open(evidence_id)])


async def test_three_megabytes_round_trip(store: MongoEvidenceStore) -> None:
    content = b"%PDF-1.7\n" + os.urandom(THREE_MB)
    before = datetime.now(UTC) - timedelta(seconds=1)

    stored = await store.put(UNIT, "รายงานผลการดำเนินงาน.pdf", PDF, content)

    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.unit_code == UNIT
    assert stored.content_type == PDF
    assert stored.filename == "รายงานผลการดำเนินงาน.pdf"
    assert before <= stored.uploaded_at <= datetime.now(UTC)
    assert await store.info(stored.evidence_id) == stored
    assert await read_all(store, stored.evidence_id) == content


async def test_a_stream_is_read_chunk_by_chunk(store: MongoEvidenceStore) -> None:
    content = os.urandom(THREE_MB)
    stored = await store.put(UNIT, "scan.pdf", PDF, content)

    chunks = [chunk async for chunk in await store.open(stored.evidence_id)]

    assert len(chunks) == math.ceil(len(content) / CHUNK_BYTES)
    assert all(len(chunk) == CHUNK_BYTES for chunk in chunks[:-1])
    assert b"".join(chunks) == content

    partial = await store.open(stored.evidence_id)  # a client that goes away early
    first = await anext(partial)
    await partial.aclose()  # type: ignore[attr-defined]
    assert first == content[:CHUNK_BYTES]


async def test_uploads_arrive_as_streams_of_any_shape(store: MongoEvidenceStore) -> None:
    content = os.urandom(THREE_MB)
    expected = hashlib.sha256(content).hexdigest()

    async def uneven() -> AsyncIterator[bytes]:  # as a request body arrives
        for start in range(0, len(content), 65_000):
            yield content[start : start + 65_000]

    class Upload:  # FastAPI's UploadFile reads asynchronously
        def __init__(self) -> None:
            self.file = io.BytesIO(content)

        async def read(self, size: int = -1) -> bytes:
            return self.file.read(size)

    for source in (uneven(), Upload(), io.BytesIO(content)):
        stored = await store.put(UNIT, "a.pdf", PDF, source)
        assert (stored.size, stored.sha256) == (len(content), expected)
        assert await read_all(store, stored.evidence_id) == content


async def test_metadata_and_index(store: MongoEvidenceStore, settings: Settings) -> None:
    stored = await store.put(UNIT, "ป\u0e48\u0e38ม.png", EvidenceKind.PNG.content_type, b"\x89PNG")
    client = make_client(settings.mongodb_url)
    db = client[settings.database_of("intake")]
    try:
        document = await db["evidence.files"].find_one({"_id": stored.evidence_id})
        indexes = await db["evidence.files"].index_information()
    finally:
        await client.close()
    assert document is not None
    assert document["metadata"] == {
        "unit_code": UNIT,
        "content_type": "image/png",
        "sha256": hashlib.sha256(b"\x89PNG").hexdigest(),
    }
    assert document["filename"] == "ป\u0e38\u0e48ม.png"  # stored NFC
    assert any(index["key"] == [("metadata.unit_code", 1)] for index in indexes.values())


async def test_delete(store: MongoEvidenceStore, settings: Settings) -> None:
    stored = await store.put(UNIT, "a.pdf", PDF, os.urandom(600_000))
    kept = await store.put(UNIT, "b.pdf", PDF, b"%PDF-1.4")

    assert await store.delete(stored.evidence_id) is True

    assert await store.info(stored.evidence_id) is None
    with pytest.raises(EvidenceNotFound):
        await store.open(stored.evidence_id)
    assert await store.delete(stored.evidence_id) is False
    assert await chunk_count(settings, stored.evidence_id) == 0
    assert await read_all(store, kept.evidence_id) == b"%PDF-1.4"


async def test_an_upload_past_its_limit_leaves_nothing(
    store: MongoEvidenceStore, settings: Settings
) -> None:
    with pytest.raises(EvidenceTooLarge):
        await store.put(UNIT, "big.pdf", PDF, io.BytesIO(os.urandom(THREE_MB)), max_bytes=2**20)

    client = make_client(settings.mongodb_url)
    db = client[settings.database_of("intake")]
    try:
        assert await db["evidence.files"].count_documents({}) == 0
        assert await db["evidence.chunks"].count_documents({}) == 0
    finally:
        await client.close()


async def test_unknown_ids(store: MongoEvidenceStore) -> None:
    missing = "6f1c2e9a-3b7d-4c1e-9f0a-2d5b8c7e4a31"
    assert await store.info(missing) is None
    assert await store.delete(missing) is False
    with pytest.raises(EvidenceNotFound):
        await store.open(missing)


async def chunk_count(settings: Settings, evidence_id: str) -> int:
    client = make_client(settings.mongodb_url)
    try:
        chunks = client[settings.database_of("intake")]["evidence.chunks"]
        return await chunks.count_documents({"files_id": evidence_id})
    finally:
        await client.close()
