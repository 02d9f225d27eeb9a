"""Participatory scoring (การประเมินแบบมีส่วนร่วม): assessors' levels to criterion, dimension
and total scores, their agreement, and what must be discussed before finalising.

- Only **submitted** scores count; drafts are the assessor's own until submitted.
- A criterion's scores aggregate by the framework's rule, over the *scores* of the levels
  chosen: **mean**, rounded half-up to 2 decimals; **median**, the middle score or, for an
  even count, the mean of the two middle ones, rounded half-up to 2 decimals; **consensus**,
  the common score when every assessor chose the same level, else None (to be discussed).
  No submitted score gives None under every rule.
- **Agreement** per criterion and subject: the spread in levels (highest − lowest
  position), the population standard deviation of the level scores (rounded half-up to 2
  decimals, computed exactly), and whether it is to be discussed: a spread of 2 levels or
  more.
- **Roll-up** (`roll_up`): a leaf's score is its criterion score; an inner node's score and
  the total are the weighted mean of the children that have a score, the weights
  renormalised over those children (a criterion nobody scored neither drags the mean down
  nor counts as zero; `scored_weight` shows how much of the node was scored). A node with no
  scored child has no score. Rounding is half-up to 2 decimals **at every node**, from the
  rounded scores of its children, so each printed figure can be checked by hand from the
  printed figures below it. Each score maps to its level by `level_for`.
"""

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from services.evaluation.domain.frameworks import (
    WEIGHT_TOTAL,
    AggregationRule,
    Framework,
    Node,
    Scale,
    ScaleLevel,
    leaves,
    level_for,
)
from shared.contracts.base import INT64_MAX
from shared.thai.numbers import half_up

DISCUSS_SPREAD = 2  # levels apart at which assessors must talk before finalising


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Score(_Data):
    """One assessor's level for one criterion and subject (a project or a unit)."""

    assessor_id: str = Field(min_length=1, max_length=64)
    criterion_code: str = Field(min_length=1, max_length=32)
    subject: str = Field(min_length=1, max_length=32, description="A project or unit code.")
    level_position: int = Field(ge=1, le=INT64_MAX, description="1 = the scale's lowest level.")
    comment_th: str | None = Field(None, max_length=5000)
    evidence: tuple[str, ...] = Field((), description="Evidence references: files or links.")
    status: Literal["draft", "submitted"] = "draft"


def aggregate_criterion(
    positions: Sequence[int], scale: Scale, rule: AggregationRule
) -> Decimal | None:
    """The criterion score from the submitted levels' positions by `rule`, half-up 2 dp."""
    if not positions:
        return None
    values = sorted(Fraction(scale.level(position).score) for position in positions)
    if rule == "mean":
        return half_up(sum(values, Fraction(0)) / len(values))
    if rule == "median":
        middle = len(values) // 2
        if len(values) % 2:
            return half_up(values[middle])
        return half_up((values[middle - 1] + values[middle]) / 2)
    if rule == "consensus":
        return half_up(values[0]) if values[0] == values[-1] else None
    raise ValueError(f"unknown aggregation rule {rule!r}")


class Agreement(_Data):
    """How far assessors agree on one criterion for one subject."""

    count: int = Field(ge=0, description="Submitted scores.")
    spread: int = Field(ge=0, description="Highest minus lowest level position.")
    stdev: Decimal = Field(description="Population std dev of the level scores, half-up 2 dp.")
    to_discuss: bool = Field(description="Levels differ by DISCUSS_SPREAD (2) or more.")


def _half_up_sqrt(value: Fraction) -> Decimal:
    """√value rounded half-up to 2 decimals, exactly: the n with (n − ½)² ≤ 10⁴·value < (n + ½)²."""
    return Decimal((math.isqrt(math.floor(4 * value * 10_000)) + 1) // 2).scaleb(-2)


def agreement(positions: Sequence[int], scale: Scale) -> Agreement:
    """Spread, standard deviation and whether to discuss, for the submitted positions."""
    if not positions:
        return Agreement(count=0, spread=0, stdev=Decimal("0.00"), to_discuss=False)
    values = [Fraction(scale.level(position).score) for position in positions]
    mean = sum(values, Fraction(0)) / len(values)
    variance = sum(((value - mean) ** 2 for value in values), Fraction(0)) / len(values)
    spread = max(positions) - min(positions)
    return Agreement(
        count=len(positions),
        spread=spread,
        stdev=_half_up_sqrt(variance),
        to_discuss=spread >= DISCUSS_SPREAD,
    )


class NodeResult(_Data):
    """A node's rolled-up score and level."""

    code: str
    path: str
    depth: int = Field(ge=1)
    weight: Decimal
    score: Decimal | None = Field(description="Half-up 2 dp; None when nothing below is scored.")
    level: ScaleLevel | None
    scored_weight: Decimal = Field(
        description="Weights of the children that have a score (a leaf: 100 if scored, else 0)."
    )


class Result(_Data):
    """A framework's scores for one subject: per node in tree order, and the total."""

    framework_id: str
    version: int
    total: Decimal | None
    level: ScaleLevel | None
    scored_weight: Decimal = Field(description="Weights of the dimensions that have a score.")
    nodes: dict[str, NodeResult] = Field(description="By node code, in tree order.")


def roll_up(
    framework: Framework, criterion_scores: Mapping[str, Decimal | None], scale: Scale
) -> Result:
    """Roll criterion scores up to every node and the total (see the module's rules).

    Expects a valid framework; a criterion missing from `criterion_scores` is unscored.
    """
    if scale.scale_id != framework.scale_id:
        raise ValueError(f"framework uses scale {framework.scale_id}, not {scale.scale_id}")
    _check_criterion_scores(framework, criterion_scores, scale)
    results = [
        result
        for node in framework.nodes
        for result in _subtree(node, "", 1, criterion_scores, scale)
    ]
    total, scored_weight = _weighted_mean([r for r in results if r.depth == 1])
    return Result(
        framework_id=framework.framework_id,
        version=framework.version,
        total=total,
        level=None if total is None else level_for(scale, total),
        scored_weight=scored_weight,
        nodes={result.code: result for result in results},
    )


def _check_criterion_scores(
    framework: Framework, criterion_scores: Mapping[str, Decimal | None], scale: Scale
) -> None:
    unknown = sorted(set(criterion_scores) - {leaf.node.code for leaf in leaves(framework)})
    if unknown:
        raise ValueError(f"not criteria of {framework.framework_id}: {', '.join(unknown)}")
    low, high = scale.levels[0].score, scale.levels[-1].score
    for code, score in criterion_scores.items():
        if score is not None and not low <= score <= high:
            raise ValueError(f"{code}: score {score} is outside the scale ({low}–{high})")


def _subtree(
    node: Node,
    parent_path: str,
    depth: int,
    criterion_scores: Mapping[str, Decimal | None],
    scale: Scale,
) -> list[NodeResult]:
    """The node's result followed by those of its descendants, in tree order."""
    path = f"{parent_path}.{node.code}" if parent_path else node.code
    below = [
        result
        for child in node.children
        for result in _subtree(child, path, depth + 1, criterion_scores, scale)
    ]
    score: Decimal | None
    if node.children:
        score, scored_weight = _weighted_mean([r for r in below if r.depth == depth + 1])
    else:
        given = criterion_scores.get(node.code)
        score = None if given is None else half_up(given)
        scored_weight = WEIGHT_TOTAL if score is not None else Decimal(0)
    level = None if score is None else level_for(scale, score)
    result = NodeResult(
        code=node.code,
        path=path,
        depth=depth,
        weight=node.weight,
        score=score,
        level=level,
        scored_weight=scored_weight,
    )
    return [result, *below]


def _weighted_mean(siblings: Sequence[NodeResult]) -> tuple[Decimal | None, Decimal]:
    """Weighted mean of the siblings that have a score, half-up 2 dp; and their weight."""
    scored = [(Fraction(r.weight), Fraction(r.score)) for r in siblings if r.score is not None]
    weight = sum((w for w, _ in scored), Fraction(0))
    if weight <= 0:
        return None, Decimal(0)
    mean = sum((w * s for w, s in scored), Fraction(0)) / weight
    return half_up(mean), sum((r.weight for r in siblings if r.score is not None), Decimal(0))


class Discussion(NamedTuple):
    """A criterion and subject whose assessors differ by two levels or more."""

    criterion_code: str
    subject: str
    agreement: Agreement


def submitted_positions(
    framework: Framework, scores: Sequence[Score], scale: Scale
) -> dict[tuple[str, str], list[int]]:
    """Submitted level positions by (criterion code, subject); drafts are left out.

    ValueError for a criterion not in the framework, a level not on the scale, or one
    assessor submitting twice for the same criterion and subject.
    """
    criteria = {leaf.node.code for leaf in leaves(framework)}
    grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    for score in scores:
        if score.status != "submitted":
            continue
        if score.criterion_code not in criteria:
            raise ValueError(
                f"{score.criterion_code} is not a criterion of {framework.framework_id}"
            )
        scale.level(score.level_position)
        key = (score.assessor_id, score.criterion_code, score.subject)
        if key in seen:
            raise ValueError(f"{score.assessor_id} submitted twice for {key[1]} of {key[2]}")
        seen.add(key)
        grouped[(score.criterion_code, score.subject)].append(score.level_position)
    return dict(grouped)


def criterion_scores(
    framework: Framework, scores: Sequence[Score], scale: Scale, subject: str
) -> dict[str, Decimal | None]:
    """Every criterion's aggregated score for one subject, by the framework's rule."""
    grouped = submitted_positions(framework, scores, scale)
    return {
        leaf.node.code: aggregate_criterion(
            grouped.get((leaf.node.code, subject), []), scale, framework.aggregation
        )
        for leaf in leaves(framework)
    }


def to_discuss(framework: Framework, scores: Sequence[Score], scale: Scale) -> list[Discussion]:
    """Criteria and subjects whose submitted levels differ by 2 or more, in tree order."""
    grouped = submitted_positions(framework, scores, scale)
    order = {leaf.node.code: index for index, leaf in enumerate(leaves(framework))}
    found = []
    for criterion, subject in sorted(grouped, key=lambda key: (order[key[0]], key[1])):
        found_agreement = agreement(grouped[(criterion, subject)], scale)
        if found_agreement.to_discuss:
            found.append(Discussion(criterion, subject, found_agreement))
    return found
