"""`python -m shared.contracts` rewrites the committed JSON schema of every contract.

The contract tests compare each model with its committed schema, so any change to a
contract shows in review as a change to `shared/contracts/schemas/`.
"""

import json
from pathlib import Path
from typing import Any

from shared.contracts import ALL_CONTRACTS, Contract, Envelope

SCHEMAS = Path(__file__).parent / "schemas"


def schema_of(contract: type[Contract]) -> dict[str, Any]:
    """The JSON schema of the envelope carrying `contract`, as it travels."""
    return Envelope[contract].model_json_schema()  # type: ignore[valid-type]


def schema_path(contract: type[Contract]) -> Path:
    return SCHEMAS / f"{contract.ROUTING_KEY}.json"


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    SCHEMAS.mkdir(exist_ok=True)
    for contract in ALL_CONTRACTS:
        schema_path(contract).write_text(render(schema_of(contract)), encoding="utf-8")
        print(f"wrote {schema_path(contract)}")


if __name__ == "__main__":
    main()
