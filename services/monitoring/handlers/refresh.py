"""Keep the progress read models current: rates, project progress, problems.

After every submission event its unit's row is recomputed from the submissions read model
and the set-up, stored with a guarded `$set` upsert and announced; the unit's group and
office change only that unit's entry in their rollups (newest read wins), and are counted
from the entries. Recomputing (rather than adding deltas) makes a redelivered or replayed
event harmless and heals any drift; an event costs the same however large its office.
"""

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from services.monitoring.domain.achievement import project_progress, rounds_up_to
from services.monitoring.domain.rates import UnitReport, ancestors, late_list, missing_list, rollup
from services.monitoring.handlers.ports import MonitoringPorts
from shared.contracts import make_envelope
from shared.contracts.monitoring import (
    ProblemUpdated,
    ProjectProgressUpdated,
    Rates,
    RatesUpdated,
)
from shared.contracts.setup import Assignment, Indicator, Project, Round, Unit
from shared.thai.calendar import thai_today

PRODUCER = "monitoring"


@dataclass(frozen=True)
class Assigned:
    """A round's assignments of one form: by unit, and each project's units."""

    by_unit: dict[str, Assignment]
    units_of_project: dict[str, list[str]]


@dataclass(frozen=True)
class SetupView:
    """What progress reads of the set-up for every submission, derived once per revision."""

    units: dict[str, Unit]
    members: dict[str, list[str]]  # scope (group, office) -> the units under it
    projects: dict[str, Project]
    indicators: dict[str, list[Indicator]]  # by project


async def _view(ports: MonitoringPorts) -> SetupView:
    async def build() -> SetupView:
        units = {u.code: u for u in await ports.setup.search("unit") if isinstance(u, Unit)}
        members: dict[str, list[str]] = defaultdict(list)
        for code in units:
            for scope in ancestors(code, units):
                members[scope].append(code)
        projects = {
            p.code: p for p in await ports.setup.search("project") if isinstance(p, Project)
        }
        indicators: dict[str, list[Indicator]] = defaultdict(list)
        for found in await ports.setup.search("indicator"):
            if isinstance(found, Indicator):
                indicators[found.project_code].append(found)
        return SetupView(units, dict(members), projects, dict(indicators))

    return await ports.setup.memo("progress view", build)


async def _assigned(ports: MonitoringPorts, round_id: str, form_id: str) -> Assigned:
    async def build() -> Assigned:
        where = {"round_id": round_id, "form_id": form_id}
        found = [
            a for a in await ports.setup.search("assignment", where) if isinstance(a, Assignment)
        ]
        by_project: dict[str, list[str]] = defaultdict(list)
        for assignment in found:
            for code in assignment.project_codes:
                by_project[code].append(assignment.unit_code)
        return Assigned({a.unit_code: a for a in found}, dict(by_project))

    return await ports.setup.memo(f"assigned {round_id} {form_id}", build)


async def _round(ports: MonitoringPorts, round_id: str) -> Round | None:
    async def build() -> Round | None:
        found = await ports.setup.get("round", round_id)
        return found if isinstance(found, Round) else None

    return await ports.setup.memo(f"round {round_id}", build)


async def _year(ports: MonitoringPorts, fiscal_year: int) -> list[Round]:
    async def build() -> list[Round]:
        found = await ports.setup.search("round", {"fiscal_year": fiscal_year})
        return [r for r in found if isinstance(r, Round)]

    return await ports.setup.memo(f"rounds of {fiscal_year}", build)


def row_id(round_id: str, form_id: str, unit_code: str) -> str:
    return f"unit:{round_id}:{form_id}:{unit_code}"


def problem_id(round_id: str, form_id: str, unit_code: str) -> str:
    return f"{round_id}:{form_id}:{unit_code}"


async def refresh(
    round_id: str,
    form_id: str,
    unit_codes: Sequence[str] | None,
    ports: MonitoringPorts,
    correlation_id: str,
    *,
    projects: bool = True,
    submission_ids: Mapping[str, str] | None = None,
) -> None:
    """Recompute rates (and project progress) of `unit_codes` in a round (None: every unit).

    With the units' `submission_ids` (an event's), what is read is found by `_id`: the cost
    of one submission does not grow with the round."""
    round_ = await _round(ports, round_id)
    if round_ is None:
        return  # a submission for a round monitoring does not know: nothing to rate against
    view = await _view(ports)
    assigned = await _assigned(ports, round_id, form_id)
    year = await _year(ports, round_.fiscal_year)
    touched = (
        sorted(
            {
                p
                for code, a in assigned.by_unit.items()
                if unit_codes is None or code in unit_codes
                for p in a.project_codes
            }
        )
        if projects
        else []
    )
    # Numbers taken before reading: a row computed from an older read never wins.
    sequence = await ports.read.sequence(f"rates:{round_id}:{form_id}")
    later = submission_ids is not None  # an event's projects: in bulk, soon
    project_sequences = (
        {} if later else {c: await ports.read.sequence(f"project:{round_id}:{c}") for c in touched}
    )
    if unit_codes is not None and submission_ids is not None:
        held = await ports.read.submissions_by_id(submission_ids.values())
        here = {d["unit_code"]: d for d in held.values() if d["round_id"] == round_id}
        codes = sorted(set(unit_codes))
    else:
        found = await ports.read.submissions_of([round_id], form_id)
        here = {s["unit_code"]: s for s in found}
        codes = (
            sorted(set(assigned.by_unit) | set(here)) if unit_codes is None else sorted(unit_codes)
        )
    rows = [
        {
            **_unit_row(
                round_, form_id, code, code in assigned.by_unit, here.get(code), view.units
            ),
            "sequence": sequence,
        }
        for code in codes
    ]
    await ports.read.put_unit_rows(rows)
    now = datetime.now(UTC)
    scopes = sorted({scope for row in rows for scope in row["ancestors"]})

    async def roll_up(scope: str) -> None:
        # Only these rows' entries change: the cost of an event does not grow with the office.
        mine = [row for row in rows if scope in row["ancestors"]]
        scope_type = _scope_type(scope, view.units)
        rollup = await ports.read.put_rollup_units(round_id, form_id, scope, scope_type, mine)
        members = set(view.members.get(scope, []))
        if left := [r["unit_code"] for r in rollup["rows"] if r["unit_code"] not in members]:
            rollup = await ports.read.drop_rollup_units(round_id, form_id, scope, left)
        await ports.newest.announce(
            f"{round_id}:{form_id}:{scope}",
            rollup,
            rollup["updated_at"] or datetime.min.replace(tzinfo=UTC),
            lambda newest: make_envelope(
                scope_rates(newest), producer=PRODUCER, correlation_id=correlation_id
            ),
        )

    async def problems_of(held: dict[str, Any]) -> None:
        row = _problem_row(round_, form_id, held)
        await ports.read.put_problem(row)
        await announce_problems([row], ports, correlation_id)

    # Each of these writes its own rows and announces them; none reads another's, so they
    # go at once (the publishes confirmed together, the writes batched with other events').
    await all_of(
        *(
            _announce_rates(
                round_id, form_id, row["unit_code"], [row], view.units, now, ports, correlation_id
            )
            for row in rows
        ),
        *(roll_up(scope) for scope in scopes),
        *(problems_of(here[code]) for code in codes if code in here),
    )
    if later:
        await ports.read.mark_projects_due(round_id, form_id, touched)
    else:
        await _refresh_projects(
            round_, form_id, year, project_sequences, view, ports, now, correlation_id
        )


async def all_of(*steps: Awaitable[None], at_once: int = 100) -> None:
    """Run the steps, `at_once` at a time, each to its end; then raise the first failure."""
    failures: list[BaseException] = []
    for start in range(0, len(steps), at_once):
        outcomes = await asyncio.gather(*steps[start : start + at_once], return_exceptions=True)
        failures += [o for o in outcomes if isinstance(o, BaseException)]
    if failures:
        raise failures[0]


async def refresh_due_projects(ports: MonitoringPorts) -> int:
    """Recompute the progress of every project a submission touched since the last time,
    each once however many touched it: a project's progress reads all its units' values.
    The marks are stored, so a crash leaves them for the next run; how many recomputed."""
    marks = await ports.read.projects_due()
    by_round: dict[tuple[str, str], list[str]] = defaultdict(list)
    for mark in marks:
        by_round[(mark["round_id"], mark["form_id"])].append(mark["project_code"])
    view = await _view(ports)
    for (round_id, form_id), codes in sorted(by_round.items()):
        round_ = await _round(ports, round_id)
        if round_ is None:
            continue
        year = await _year(ports, round_.fiscal_year)
        sequences = {c: await ports.read.sequence(f"project:{round_id}:{c}") for c in sorted(codes)}
        now = datetime.now(UTC)
        await _refresh_projects(round_, form_id, year, sequences, view, ports, now, "projects-due")
    await ports.read.projects_done(marks)
    return len(marks)


async def announce_problems(
    rows: Sequence[dict[str, Any]], ports: MonitoringPorts, correlation_id: str
) -> None:
    """Announce problem rows that say something, each with its resolution if it has one."""
    said = [row for row in rows if row.get("problems") or row.get("suggestions")]
    resolutions = await ports.read.resolved([row["_id"] for row in said]) if said else {}
    now = datetime.now(UTC)
    for row in said:
        resolution = resolutions.get(row["_id"], {})
        update = ProblemUpdated(
            problem_id=row["_id"],
            round_id=row["round_id"],
            form_id=row["form_id"],
            unit_code=row["unit_code"],
            fiscal_year=row["fiscal_year"],
            problems=row.get("problems"),
            suggestions=row.get("suggestions"),
            raised_at=row["raised_at"],
            resolved_at=resolution.get("resolved_at"),
            resolved_by=resolution.get("resolved_by"),
            resolution_note=resolution.get("note"),
            updated_at=now,
        )
        await ports.publish(make_envelope(update, producer=PRODUCER, correlation_id=correlation_id))


def _unit_row(
    round_: Round,
    form_id: str,
    code: str,
    expected: bool,
    held: dict[str, Any] | None,
    units: dict[str, Unit],
) -> dict[str, Any]:
    report = _report(round_, form_id, code, expected, held)
    return {
        "_id": row_id(round_.round_id, form_id, code),
        "kind": "unit",
        "round_id": round_.round_id,
        "form_id": form_id,
        "unit_code": code,
        "ancestors": ancestors(code, units),
        "expected": report.expected,
        "received": report.received,
        "on_time": report.on_time,
        "late": report.late,
        "status": report.status,
        "first_received_at": report.first_received_at,
        "submission_id": held["_id"] if held else None,
    }


def _report(
    round_: Round, form_id: str, code: str, expected: bool, held: dict[str, Any] | None
) -> UnitReport:
    if held is None:
        return UnitReport(round_.round_id, form_id, code, expected, False, False, False, "missing")
    first = held["first_accepted_at"]
    late = thai_today(first) > round_.due_on
    return UnitReport(
        round_.round_id,
        form_id,
        code,
        expected,
        True,
        not late,
        late,
        held.get("status", "submitted"),
        first,
    )


def _from_row(row: dict[str, Any]) -> UnitReport:
    return UnitReport(
        row["round_id"],
        row["form_id"],
        row["unit_code"],
        row["expected"],
        row["received"],
        row["on_time"],
        row["late"],
        row["status"],
        row.get("first_received_at"),
    )


async def _announce_rates(
    round_id: str,
    form_id: str,
    scope: str,
    rows: list[dict[str, Any]],
    units: dict[str, Unit],
    now: datetime,
    ports: MonitoringPorts,
    correlation_id: str,
) -> None:
    update = _rates_updated(round_id, form_id, scope, _scope_type(scope, units), rows, now)
    await ports.publish(make_envelope(update, producer=PRODUCER, correlation_id=correlation_id))


def scope_rates(rollup: dict[str, Any]) -> RatesUpdated:
    """A group's or office's rates and lists, counted from its rollup's unit entries."""
    return _rates_updated(
        rollup["round_id"],
        rollup["form_id"],
        rollup["scope_code"],
        rollup["scope_type"],
        rollup["rows"],
        rollup["updated_at"] or datetime.now(UTC),
    )


def _scope_type(scope: str, units: dict[str, Unit]) -> str:
    return units[scope].unit_type if scope in units else "unit"


def _rates_updated(
    round_id: str,
    form_id: str,
    scope: str,
    scope_type: str,
    rows: list[dict[str, Any]],
    now: datetime,
) -> RatesUpdated:
    reports = [_from_row(row) for row in rows]
    return RatesUpdated(
        round_id=round_id,
        form_id=form_id,
        scope_code=scope,
        scope_type=scope_type,
        rates=Rates.model_validate(rollup(reports).model_dump()),
        late_units=tuple(late_list(reports)),
        missing_units=tuple(missing_list(reports)),
        updated_at=now,
    )


async def _refresh_projects(
    round_: Round,
    form_id: str,
    year: list[Round],
    sequences: dict[str, int],
    view: SetupView,
    ports: MonitoringPorts,
    now: datetime,
    correlation_id: str,
) -> None:
    codes = sorted(sequences)
    if not codes:
        return
    values_by_round = await _values_of(round_, form_id, year, codes, ports)
    for code in codes:
        project = view.projects.get(code)
        if project is None:
            continue
        indicators = view.indicators.get(code, [])
        progress = project_progress(project, indicators, round_, year, values_by_round)
        data = progress.model_dump(mode="python")
        update = ProjectProgressUpdated(
            **{k: v for k, v in data.items() if k != "activities"},
            activity_counts=progress.activities.model_dump(),
            updated_at=now,
        )
        await ports.read.put_project(
            {
                "_id": f"{round_.round_id}:{code}",
                "sequence": sequences[code],
                **update.model_dump(mode="json"),
            }
        )
        await ports.publish(make_envelope(update, producer=PRODUCER, correlation_id=correlation_id))


async def _values_of(
    round_: Round, form_id: str, year: list[Round], codes: list[str], ports: MonitoringPorts
) -> dict[str, list[dict[str, Any]]]:
    """Each round's values (up to this one) of the units assigned these projects, found
    through their rate rows by `_id` (the rows name their submission)."""
    values_by_round: dict[str, list[dict[str, Any]]] = {}
    for earlier in rounds_up_to(round_, year):
        assigned = await _assigned(ports, earlier.round_id, form_id)
        units = {u for code in codes for u in assigned.units_of_project.get(code, [])}
        rows = await ports.read.unit_rows_by_id(row_id(earlier.round_id, form_id, u) for u in units)
        ids = [row["submission_id"] for row in rows if row.get("submission_id")]
        held = await ports.read.submissions_by_id(ids)
        values_by_round[earlier.round_id] = [
            doc["values"] for doc in held.values() if isinstance(doc.get("values"), dict)
        ]
    return values_by_round


def _problem_row(round_: Round, form_id: str, held: dict[str, Any]) -> dict[str, Any]:
    values = held.get("values") or {}
    return {
        "_id": problem_id(round_.round_id, form_id, held["unit_code"]),
        "round_id": round_.round_id,
        "form_id": form_id,
        "unit_code": held["unit_code"],
        "fiscal_year": round_.fiscal_year,
        "period_end": datetime(
            round_.period_end.year, round_.period_end.month, round_.period_end.day, tzinfo=UTC
        ),
        "problems": values.get("problems"),
        "suggestions": values.get("suggestions"),
        "version": held.get("values_version", 0),
        "raised_at": held["first_accepted_at"],
    }


async def resend_copies(ports: MonitoringPorts) -> None:
    """Announce every round's rates, project progress and problems again (a copy is being
    rebuilt): recomputing a round announces all three."""
    for round_ in await ports.setup.search("round"):
        if isinstance(round_, Round):
            await refresh_round(round_.round_id, ports, projects=True)


async def refresh_round(round_id: str, ports: MonitoringPorts, *, projects: bool = False) -> None:
    """Recompute every form's rates in a round (its dates changed, say)."""
    assignments = await ports.setup.search("assignment", {"round_id": round_id})
    for form_id in sorted({a.form_id for a in assignments if isinstance(a, Assignment)}):
        await refresh(round_id, form_id, None, ports, f"round-{round_id}", projects=projects)
