"""What reports are built from: a snapshot of reporting's own copies, as contract models.

Reporting keeps copies of what other services announce (set-up, rates, project progress,
problems, finalised evaluations, inspection reports) and never reads their databases. A
handler loads the snapshot a report needs; the builders in `reports.py` are pure functions
of it.
"""

from dataclasses import dataclass, field
from datetime import date

from shared.contracts.evaluation import EvaluationFinalised, InspectionReportUpdated
from shared.contracts.monitoring import ProblemUpdated, ProjectProgressUpdated, RatesUpdated
from shared.contracts.setup import Indicator, Plan, Project, Round, Strategy, Unit


@dataclass(frozen=True)
class ReportData:
    made_on: date
    units: dict[str, Unit] = field(default_factory=dict)
    rounds: tuple[Round, ...] = ()
    strategies: tuple[Strategy, ...] = ()
    plans: tuple[Plan, ...] = ()
    projects: tuple[Project, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    rates: tuple[RatesUpdated, ...] = ()
    progress: tuple[ProjectProgressUpdated, ...] = ()
    problems: tuple[ProblemUpdated, ...] = ()
    evaluations: tuple[EvaluationFinalised, ...] = ()
    inspections: tuple[InspectionReportUpdated, ...] = ()

    @property
    def office(self) -> Unit | None:
        """The office the reports are about (the first office unit by code)."""
        offices = sorted(
            (u for u in self.units.values() if u.unit_type == "office"), key=lambda u: u.code
        )
        return offices[0] if offices else None

    @property
    def office_name(self) -> str:
        office = self.office
        return office.name_th if office is not None else "สำนักงานเขตพื้นที่การศึกษา"

    def round(self, round_id: str) -> Round | None:
        return next((r for r in self.rounds if r.round_id == round_id), None)

    def strategy(self, code: str) -> Strategy | None:
        return next((s for s in self.strategies if s.code == code), None)

    def unit_name(self, code: str) -> str:
        unit = self.units.get(code)
        return unit.name_th if unit is not None else code
