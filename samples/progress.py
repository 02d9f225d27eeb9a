"""A generated round of progress reports for the sample office: what its units would send.

`progress_values(office, assignments, rng)` gives each assigned unit's form values: an
activity status and budget spent for each of its projects, an actual for each of their
indicators (so that a project's aggregate lands near a share of its target), and sometimes
a problem. Synthetic and deterministic for a seeded `random.Random`.
"""

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from samples.office import SampleOffice
from shared.contracts.setup import Indicator

CENT = Decimal("0.01")
PROBLEMS = ("บุคลากรไม่เพียงพอ", "งบประมาณได้รับการจัดสรรล่าช้า", "สัญญาณอินเทอร์เน็ตไม่เสถียร")


def actual(indicator: Indicator, reporters: int, rng: random.Random) -> str:
    """One unit's actual, so that the round's aggregate lands near a share of the target."""
    target = indicator.year_target or Decimal(1)
    share = Decimal(str(round(rng.uniform(0.3, 1.15), 3)))
    if indicator.indicator_type == "yes_no":
        return "1" if rng.random() < 0.75 else "0"
    if indicator.indicator_type == "level":
        return str(rng.randrange(len(indicator.levels)))
    if indicator.indicator_type == "percent":
        value = target / share if indicator.direction == "lower_is_better" else target * share
        return str(min(Decimal(100), value).quantize(CENT, ROUND_HALF_UP))
    return str((target * share / reporters).quantize(CENT, ROUND_HALF_UP))  # summed over units


def progress_values(
    office: SampleOffice, assignments: Sequence[Mapping[str, Any]], rng: random.Random
) -> dict[str, dict[str, Any]]:
    """Each assigned unit's values for its form (assignments as monitoring lists them)."""
    reporters = Counter(code for a in assignments for code in a["project_codes"])
    budgets = {p.code: p.budget_satang for p in office.projects}
    indicators: dict[str, list[Indicator]] = {}
    for indicator in office.indicators:
        indicators.setdefault(indicator.project_code, []).append(indicator)
    found = {}
    for assignment in assignments:
        codes = assignment["project_codes"]
        spent = {
            code: Decimal(budgets[code])
            / 100
            * Decimal(str(rng.uniform(0.2, 0.9)))
            / reporters[code]
            for code in codes
        }
        found[assignment["unit_code"]] = {
            "problems": rng.choice(PROBLEMS) if rng.random() < 0.3 else "",
            "projects": {
                code: {
                    "activity_status": rng.choice(("in_progress", "in_progress", "done")),
                    "budget_spent": str(spent[code].quantize(CENT)),
                }
                for code in codes
            },
            "indicators": {
                i.code: {"actual": actual(i, reporters[code], rng)}
                for code in codes
                for i in indicators.get(code, ())
            },
        }
    return found
