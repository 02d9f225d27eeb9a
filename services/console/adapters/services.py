"""The other services' HTTP APIs, called on a person's behalf with a token the console
signs for that person and that service (shared.platform.identity)."""

from typing import Any

import httpx

from shared.platform.identity import IdentitySigner, Person

TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class ServiceClient:
    def __init__(self, name: str, base_url: str, signer: IdentitySigner) -> None:
        self.name = name
        self.signer = signer
        self.client = httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT)

    async def request(
        self, method: str, path: str, person: Person, **options: Any
    ) -> httpx.Response:
        headers = {
            **options.pop("headers", {}),
            "Authorization": f"Bearer {self.signer.token(person, self.name)}",
        }
        return await self.client.request(method, path, headers=headers, **options)

    async def close(self) -> None:
        await self.client.aclose()
