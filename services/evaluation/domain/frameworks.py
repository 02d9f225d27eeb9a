"""Evaluation frameworks (กรอบการประเมิน) as data: scales, weighted criteria, levels.

- A **scale** is an ordered list of levels, low to high, each with Thai and English labels
  and a score; the Thai five-level scale and the older four-level one ship as data
  (`SEED_SCALES`). Positions are 1-based; scores rise strictly.
- `level_for` maps a score back to a level by **thresholds midway between adjacent level
  scores; a score exactly on a midpoint belongs to the lower level**. On the five-level
  scale that is the usual Thai reading of a mean: 1.00–1.50 กำลังพัฒนา, 1.51–2.50 ปานกลาง,
  2.51–3.50 ดี, 3.51–4.50 ดีเลิศ, 4.51–5.00 ยอดเยี่ยม. Scores beyond either end take the end
  level.
- A **framework** is a tree of nodes: dimensions (depth 1), criteria (depth 2) and
  sub-criteria (depth 3), never deeper. The weights of siblings sum to exactly 100. A leaf is
  scored, by a rubric or from an indicator; an inner node is not. Node codes are unique in the
  framework, because scores are keyed by them.
- A leaf's **effective weight**, its share of the total in percent, is
  w₁ × w₂ × … × w_d / 100^(d−1) for the weights w₁…w_d of its ancestors and itself (d its
  depth); over all leaves of a valid framework they sum to 100. They are exact (no rounding).
- A criterion scored **from an indicator** proposes a level from the indicator's achievement
  (% of target) by thresholds kept as data: the i-th threshold is the achievement at which
  level i + 1 begins. Achievement is taken as monitoring publishes it, which already mirrors a
  lower-is-better indicator (target / actual × 100), so here a higher achievement is always
  better and thresholds never depend on the indicator's direction.
- Models only hold a shape, so an incomplete draft can be kept; `validate_framework` lists
  every problem, each with the dotted path of the node at fault ("" for the framework
  itself), and `check_framework` raises them all at once as a `FrameworkError`.
"""

from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from types import MappingProxyType
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.base import INT64_MAX, Quantity
from shared.contracts.setup import CODE

MAX_DEPTH = 3
WEIGHT_TOTAL = Decimal(100)
_KIND_AT_DEPTH = {1: "dimensions", 2: "criteria", 3: "sub-criteria"}

EvaluationType = Literal[
    "obec_strategy", "development_plan", "development_plan_midterm", "action_plan"
]
AggregationRule = Literal["mean", "median", "consensus"]


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScaleLevel(_Data):
    """One level of a scale: its 1-based position, labels and score."""

    position: int = Field(ge=1, le=INT64_MAX, description="1 is the lowest level.")
    label_th: str = Field(min_length=1, max_length=100, examples=["ยอดเยี่ยม"])
    label_en: str = Field(min_length=1, max_length=100, examples=["excellent"])
    score: Quantity = Field(examples=["5"])


class Scale(_Data):
    """An ordered rating scale (ระดับคุณภาพ), lowest level first."""

    scale_id: str = Field(pattern=CODE, examples=["five-level"])
    name_th: str = Field(min_length=1, max_length=200)
    levels: tuple[ScaleLevel, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _ordered(self) -> "Scale":
        if [level.position for level in self.levels] != list(range(1, len(self.levels) + 1)):
            raise ValueError("level positions run 1, 2, … n, lowest first")
        scores = [level.score for level in self.levels]
        if any(high <= low for low, high in pairwise(scores)):
            raise ValueError("level scores rise strictly from the lowest level")
        return self

    def level(self, position: int) -> ScaleLevel:
        """The level at `position`; ValueError when it is not on the scale."""
        if not 1 <= position <= len(self.levels):
            raise ValueError(
                f"level {position} is not on scale {self.scale_id} (1–{len(self.levels)})"
            )
        return self.levels[position - 1]


def _levels(*labels: tuple[str, str]) -> tuple[ScaleLevel, ...]:
    return tuple(
        ScaleLevel(position=i, label_th=th, label_en=en, score=Decimal(i))
        for i, (th, en) in enumerate(labels, start=1)
    )


FIVE_LEVEL = Scale(
    scale_id="five-level",
    name_th="ระดับคุณภาพ 5 ระดับ",
    levels=_levels(
        ("กำลังพัฒนา", "developing"),
        ("ปานกลาง", "fair"),
        ("ดี", "good"),
        ("ดีเลิศ", "very good"),
        ("ยอดเยี่ยม", "excellent"),
    ),
)
FOUR_LEVEL = Scale(
    scale_id="four-level",
    name_th="ระดับคุณภาพ 4 ระดับ",
    levels=_levels(
        ("ปรับปรุง", "needs improvement"),
        ("พอใช้", "fair"),
        ("ดี", "good"),
        ("ดีมาก", "very good"),
    ),
)
SEED_SCALES: Mapping[str, Scale] = MappingProxyType(
    {scale.scale_id: scale for scale in (FIVE_LEVEL, FOUR_LEVEL)}
)


def level_for(scale: Scale, score: Decimal) -> ScaleLevel:
    """The level whose band holds `score`; a midpoint between two levels takes the lower."""
    exact = Fraction(score)
    for lower, upper in pairwise(scale.levels):
        if exact <= (Fraction(lower.score) + Fraction(upper.score)) / 2:
            return lower
    return scale.levels[-1]


class Rubric(_Data):
    """Assessors choose a level; an optional Thai descriptor says what each level means."""

    kind: Literal["rubric"] = "rubric"
    descriptors: dict[int, str] = Field(
        default_factory=dict, description="Descriptor per level position (1 = lowest)."
    )


Measure = Literal["indicator", "project_indicators", "budget_efficiency"]


class FromIndicator(_Data):
    """A level proposed from an achievement (% of target) by thresholds.

    What is measured: one `indicator` (by code); for a project, `project_indicators`, the
    mean achievement of the project's indicators (outputs and outcomes against targets); or
    `budget_efficiency`, that mean achievement per budget spent (achievement ÷ disbursement
    rate × 100: 100 means results kept pace with spending).
    """

    kind: Literal["from_indicator"] = "from_indicator"
    measure: Measure = "indicator"
    indicator_code: str | None = Field(
        None, pattern=CODE, examples=["P2570-01-I1"], description="For measure `indicator`."
    )
    thresholds: tuple[Quantity, ...] = Field(
        description="Achievement % at which each level above the lowest begins, rising.",
        examples=[["50", "65", "80", "95"]],
    )


Scoring = Annotated[Rubric | FromIndicator, Field(discriminator="kind")]


class Node(_Data):
    """A dimension, criterion or sub-criterion with its weight among its siblings."""

    code: str = Field(pattern=CODE, examples=["D1"])
    title_th: str = Field(min_length=1, max_length=500)
    weight: Quantity = Field(description="Percent of its parent; siblings sum to 100.")
    children: tuple["Node", ...] = ()
    scoring: Scoring | None = Field(None, description="Set on leaves, and only on leaves.")


class Framework(_Data):
    """A version of an evaluation framework. A published version never changes."""

    framework_id: str = Field(pattern=CODE, examples=["ap-eval"])
    version: int = Field(ge=1, le=INT64_MAX)
    status: Literal["draft", "published"] = "draft"
    title_th: str = Field(min_length=1, max_length=500)
    evaluation_type: EvaluationType
    scale_id: str = Field(pattern=CODE)
    aggregation: AggregationRule = "mean"
    nodes: tuple[Node, ...] = ()


class Problem(_Data):
    """One thing wrong with a framework, at the dotted path of the node at fault."""

    path: str = Field(description='Dotted node codes, e.g. "D1.C2"; "" is the framework.')
    code: str = Field(examples=["weights_sum"])
    message: str


class FrameworkError(ValueError):
    """A framework with problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.path or '(framework)'}: {p.message}" for p in problems))


def _join(parent_path: str, code: str) -> str:
    return f"{parent_path}.{code}" if parent_path else code


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f")


def validate_framework(framework: Framework, scales: Mapping[str, Scale]) -> list[Problem]:
    """Every problem of the framework, in tree order, against the scales known by id."""
    problems: list[Problem] = []
    scale = scales.get(framework.scale_id)
    if scale is None:
        problems.append(
            Problem(path="", code="unknown_scale", message=f"no scale {framework.scale_id!r}")
        )
    if not framework.nodes:
        problems.append(Problem(path="", code="no_nodes", message="a framework needs dimensions"))
    _check_siblings(framework.nodes, "", 1, scale, {}, problems)
    return problems


def check_framework(framework: Framework, scales: Mapping[str, Scale]) -> Framework:
    """The framework itself if it is valid; else a FrameworkError with every problem."""
    problems = validate_framework(framework, scales)
    if problems:
        raise FrameworkError(problems)
    return framework


def _check_siblings(
    nodes: tuple[Node, ...],
    parent_path: str,
    depth: int,
    scale: Scale | None,
    seen: dict[str, str],
    problems: list[Problem],
) -> None:
    total = sum((node.weight for node in nodes), Decimal(0))
    if nodes and total != WEIGHT_TOTAL:
        owner = f"{parent_path.rsplit('.', 1)[-1]}'s" if parent_path else "the"
        message = f"weights of {owner} {_KIND_AT_DEPTH[depth]} sum to {_show(total)}, not 100"
        problems.append(Problem(path=parent_path, code="weights_sum", message=message))
    for node in nodes:
        path = _join(parent_path, node.code)
        if node.code in seen:
            message = f"code {node.code} is already used at {seen[node.code]}"
            problems.append(Problem(path=path, code="duplicate_code", message=message))
        seen.setdefault(node.code, path)
        if node.weight <= 0:
            message = f"weight must be above 0, not {_show(node.weight)}"
            problems.append(Problem(path=path, code="weight_not_positive", message=message))
        _check_scoring(node, path, scale, problems)
        if node.children and depth == MAX_DEPTH:
            message = f"{_KIND_AT_DEPTH[depth]} are the deepest level; {node.code} has children"
            problems.append(Problem(path=path, code="too_deep", message=message))
        elif node.children:
            _check_siblings(node.children, path, depth + 1, scale, seen, problems)


def _check_scoring(node: Node, path: str, scale: Scale | None, problems: list[Problem]) -> None:
    def problem(code: str, message: str) -> None:
        problems.append(Problem(path=path, code=code, message=message))

    scoring = node.scoring
    if node.children:
        if scoring is not None:
            problem("inner_scored", "a node with children is scored through them, not itself")
        return
    if scoring is None:
        problem("leaf_unscored", "a leaf needs its scoring: a rubric or an indicator")
    elif isinstance(scoring, Rubric):
        top = len(scale.levels) if scale is not None else None
        off_scale = sorted(p for p in scoring.descriptors if p < 1 or (top and p > top))
        if off_scale:
            problem("descriptor_off_scale", f"descriptors for levels not on the scale: {off_scale}")
    else:
        if (scoring.measure == "indicator") != (scoring.indicator_code is not None):
            problem("indicator_code", "an indicator code is set for measure 'indicator' only")
        thresholds = scoring.thresholds
        if scale is not None and len(thresholds) != len(scale.levels) - 1:
            expected = len(scale.levels) - 1
            problem("threshold_count", f"{len(thresholds)} thresholds; the scale needs {expected}")
        if any(high <= low for low, high in pairwise(thresholds)):
            problem("thresholds_not_increasing", "thresholds must rise strictly")
        if any(t < 0 for t in thresholds):
            problem("threshold_negative", "achievement is never below 0")


class Leaf(NamedTuple):
    """A scored node with its dotted path, depth and exact share of the total in percent."""

    path: str
    node: Node
    depth: int
    effective_weight: Decimal


def leaves(framework: Framework) -> list[Leaf]:
    """The framework's leaves in tree order; effective weight = Π weights / 100^(depth−1)."""
    return list(_leaves(framework.nodes, "", 1, Decimal(1)))


def _leaves(
    nodes: tuple[Node, ...], parent_path: str, depth: int, product: Decimal
) -> Iterator[Leaf]:
    for node in nodes:
        path = _join(parent_path, node.code)
        weight = product * node.weight
        if node.children:
            yield from _leaves(node.children, path, depth + 1, weight)
        else:
            yield Leaf(path, node, depth, weight.scaleb(-2 * (depth - 1)))


def propose_level(
    from_indicator: FromIndicator, achievement: Decimal | None, scale: Scale
) -> ScaleLevel | None:
    """The level an achievement reaches: the lowest, plus one per threshold at or below it.

    `achievement` is monitoring's (lower-is-better already mirrored); None gives None.
    """
    if achievement is None:
        return None
    thresholds = from_indicator.thresholds
    if len(thresholds) != len(scale.levels) - 1:
        raise ValueError(f"{len(thresholds)} thresholds for a {len(scale.levels)}-level scale")
    return scale.levels[sum(1 for threshold in thresholds if achievement >= threshold)]
