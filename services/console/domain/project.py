"""A project across the year's rounds: each indicator's actual against its target, and the
budget spent against the expected disbursement, as the project page draws them."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Series:
    name_th: str
    unit_of_measure: str
    actual: tuple[Decimal | None, ...]
    target: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class ProjectYear:
    code: str
    name_th: str
    rounds: tuple[str, ...]  # the rounds' Thai names, oldest first
    indicators: tuple[Series, ...]
    disbursement: tuple[Decimal | None, ...]
    expected_disbursement: tuple[Decimal | None, ...]
    statuses: tuple[str, ...]


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def project_year(
    code: str,
    name_th: str,
    progress: Sequence[tuple[str, Mapping[str, Any] | None]],
) -> ProjectYear:
    """From `(round name, that round's project progress or None)`, oldest round first."""
    codes: dict[str, tuple[str, str]] = {}
    for _, found in progress:
        for indicator in (found or {}).get("indicators", []):
            codes.setdefault(
                indicator["code"], (indicator["name_th"], indicator["unit_of_measure"])
            )

    def by_code(found: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
        return {i["code"]: i for i in (found or {}).get("indicators", [])}

    rows = [by_code(found) for _, found in progress]
    series = tuple(
        Series(
            name_th=name,
            unit_of_measure=unit,
            actual=tuple(_number(row.get(c, {}).get("cumulative_actual")) for row in rows),
            target=tuple(_number(row.get(c, {}).get("target")) for row in rows),
        )
        for c, (name, unit) in sorted(codes.items())
    )
    return ProjectYear(
        code=code,
        name_th=name_th,
        rounds=tuple(name for name, _ in progress),
        indicators=series,
        disbursement=tuple(_number((f or {}).get("disbursement_rate")) for _, f in progress),
        expected_disbursement=tuple(
            _number((f or {}).get("expected_disbursement")) for _, f in progress
        ),
        statuses=tuple(str((f or {}).get("status", "no_data")) for _, f in progress),
    )
