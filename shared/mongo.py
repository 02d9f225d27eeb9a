"""The MongoDB client every service uses (PyMongo's async API; Motor is end-of-life)."""

from typing import Any

from pymongo import AsyncMongoClient


def make_client(url: str, **options: Any) -> AsyncMongoClient[dict[str, Any]]:
    """A client returning timezone-aware datetimes, failing fast when the server is away."""
    return AsyncMongoClient(
        url,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=options.pop("serverSelectionTimeoutMS", 5000),
        appname=options.pop("appname", "tidtam"),
        **options,
    )


async def ping(client: AsyncMongoClient[dict[str, Any]]) -> None:
    """Raise unless the server answers."""
    await client.admin.command("ping")
