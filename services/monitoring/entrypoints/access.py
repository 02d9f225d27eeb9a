"""Who may call monitoring: every route needs a credential (an API key, or a person the
console vouches for). Officers change the set-up; staff read everything; a unit's
reporter reads only what it needs to report (its assignments, the rounds, forms, projects
and indicators)."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from shared.platform.credentials import Credential

WRITERS = frozenset({"officer"})
READERS = frozenset({"officer", "director", "reviewer", "assessor", "operator"})
REPORTER_READS = ("/assignments", "/rounds", "/forms", "/projects", "/indicators", "/units/")


def access(authenticate: Callable[..., Awaitable[Credential]]) -> Any:
    """The guard every monitoring route runs first."""

    async def allowed(
        request: Request, caller: Annotated[Credential, Depends(authenticate)]
    ) -> None:
        reading = request.method in ("GET", "HEAD")
        if not reading:
            if caller.role not in WRITERS:
                raise HTTPException(403, "changing the set-up needs an officer")
            return
        if caller.role in READERS:
            return
        if caller.role == "reporter" and request.url.path.startswith(REPORTER_READS):
            own = request.query_params.get("unit_code")
            if request.url.path == "/assignments" and own != caller.unit_code:
                raise HTTPException(403, "a reporter reads its own unit's assignments only")
            return
        raise HTTPException(403, f"the role {caller.role} may not read this")

    return Depends(allowed)
