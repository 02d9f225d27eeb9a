"""Reporting's copies of what other services announce, read back as one `ReportData`.

Each copy is a `LatestCopies` collection (the newest state per key wins, whatever order
events arrive in) plus the set-up replica; the snapshot parses them into contract models.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.reporting.domain.report_data import ReportData
from shared.contracts.evaluation import EvaluationFinalised, InspectionReportUpdated
from shared.contracts.monitoring import ProblemUpdated, ProjectProgressUpdated, RatesUpdated
from shared.contracts.setup import Indicator, Plan, Project, Round, Strategy, Unit
from shared.platform.replica import LatestCopies, SetupReplica

_COPY_FIELDS = ("_id", "at", "final")


def _state(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in _COPY_FIELDS}


@dataclass
class ReportCopies:
    setup: SetupReplica
    rates: LatestCopies
    progress: LatestCopies
    problems: LatestCopies
    evaluations: LatestCopies
    inspections: LatestCopies

    async def snapshot(self, made_on: date) -> ReportData:
        units = [u for u in await self.setup.search("unit") if isinstance(u, Unit)]
        rounds = [r for r in await self.setup.search("round") if isinstance(r, Round)]
        return ReportData(
            made_on=made_on,
            units={u.code: u for u in units},
            rounds=tuple(sorted(rounds, key=lambda r: (r.period_start, r.round_id))),
            strategies=tuple(
                s for s in await self.setup.search("strategy") if isinstance(s, Strategy)
            ),
            plans=tuple(p for p in await self.setup.search("plan") if isinstance(p, Plan)),
            projects=tuple(p for p in await self.setup.search("project") if isinstance(p, Project)),
            indicators=tuple(
                i for i in await self.setup.search("indicator") if isinstance(i, Indicator)
            ),
            rates=tuple(RatesUpdated.model_validate(_state(d)) for d in await self.rates.all()),
            progress=tuple(
                ProjectProgressUpdated.model_validate(_state(d)) for d in await self.progress.all()
            ),
            problems=tuple(
                ProblemUpdated.model_validate(_state(d)) for d in await self.problems.all()
            ),
            evaluations=tuple(
                EvaluationFinalised.model_validate(_state(d))
                for d in await self.evaluations.all()
                if d.get("final")
            ),
            inspections=tuple(
                InspectionReportUpdated.model_validate(_state(d))
                for d in await self.inspections.all()
            ),
        )

    async def has_round(self, round_id: str) -> bool:
        return await self.setup.get("round", round_id) is not None

    async def has_fiscal_year(self, fiscal_year: int) -> bool:
        return bool(await self.setup.search("round", {"fiscal_year": fiscal_year}))

    async def has_final_evaluation(self, evaluation_id: str) -> bool:
        found = await self.evaluations.documents.find_one({"_id": evaluation_id, "final": True})
        return found is not None

    async def has_inspection(self, inspection_id: str) -> bool:
        return await self.inspections.documents.find_one({"_id": inspection_id}) is not None
