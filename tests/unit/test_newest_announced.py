"""A scope's state announced by handlers running at once: one publish, of the newest."""

import asyncio
from typing import Any

import pytest

from shared.platform.together import NewestAnnounced


async def test_callers_at_once_share_one_publish_of_the_newest_state() -> None:
    sent: list[Any] = []

    async def publish(event: Any) -> None:
        sent.append(event)

    newest = NewestAnnounced(publish)
    await asyncio.gather(
        newest.announce("office", {"n": 2}, 2, lambda s: ("rates", s["n"])),
        newest.announce("office", {"n": 3}, 3, lambda s: ("rates", s["n"])),
        newest.announce("office", {"n": 1}, 1, lambda s: ("rates", s["n"])),  # read earlier
        newest.announce("group", {"n": 7}, 7, lambda s: ("group", s["n"])),
    )
    assert sorted(sent) == [("group", 7), ("rates", 3)]
    await newest.announce("office", {"n": 4}, 4, lambda s: ("rates", s["n"]))
    assert sent[-1] == ("rates", 4)  # a later caller publishes again


async def test_a_failed_publish_fails_every_caller_sharing_it() -> None:
    async def publish(event: Any) -> None:
        raise ConnectionError("broker away")

    newest = NewestAnnounced(publish)
    outcomes = await asyncio.gather(
        *(newest.announce("office", i, i, lambda s: s) for i in range(3)),
        return_exceptions=True,
    )
    assert all(isinstance(o, ConnectionError) for o in outcomes)
    with pytest.raises(ConnectionError):
        await newest.announce("office", 9, 9, lambda s: s)
