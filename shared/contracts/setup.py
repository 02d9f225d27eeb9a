"""The monitoring set-up, as other services receive it (monitoring is the producer).

Every change to a set-up entity is published as `setup.changed.v1` carrying the entity's
whole state and a revision that only grows; a copy applies an event only if its revision
is newer than what it holds, so duplicates and reordering do no harm. A service whose copy
is empty or stale publishes `setup.resend-requested.v1` and monitoring resends every
entity changed after the revision it names.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.base import INT64_MAX, Contract, Quantity

CODE = r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$"
SCHOOL_CODE = r"^[0-9]{10}$"
ROUND_ID = r"^[0-9]{4}-[A-Za-z0-9_-]{1,24}$"
FIELD_KEY = r"^[a-z][a-z0-9_]{0,39}$"
# Deliberately simple: one @, no spaces, a dot in the domain; the mail server decides the rest.
EMAIL = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"
LINE_USER_ID = r"^U[0-9a-f]{32}$"  # what LINE's Messaging API calls a user id

Email = Annotated[str, Field(pattern=EMAIL, max_length=254, examples=["saraban@school.ac.th"])]
LineUserId = Annotated[str, Field(pattern=LINE_USER_ID, examples=["U" + "0" * 32])]

UnitType = Literal["obec", "office", "group", "school", "other"]


class SetupPart(BaseModel):
    """Set-up state, frozen. Readers ignore unknown fields; monitoring's API rejects them."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class SetupModel(SetupPart):
    """A set-up entity: its kind (`entity`) and its key identify it."""

    entity: str

    @property
    def key(self) -> str:
        """The entity's identity within its kind."""
        raise NotImplementedError


class Unit(SetupModel):
    """A reporting unit (หน่วยงาน): OBEC → office → group / school."""

    entity: Literal["unit"] = "unit"
    code: str = Field(
        pattern=CODE, description="School codes are 10 digits.", examples=["1084200101"]
    )
    unit_type: UnitType
    name_th: str = Field(min_length=1, max_length=200, examples=["โรงเรียนบ้านหนองบัว"])
    name_en: str | None = Field(None, max_length=200)
    parent_code: str | None = Field(None, pattern=CODE, description="None only for OBEC.")
    province: str | None = Field(None, max_length=100, examples=["สุราษฎร์ธานี"])
    active_from: date | None = Field(None, description="Opened on; None = always was.")
    active_to: date | None = Field(None, description="Closed after; None = still open.")
    head_name_th: str | None = Field(
        None, max_length=200, description="Its head, as reports sign: the office's director."
    )
    head_position_th: str | None = Field(
        None, max_length=300, examples=["ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษามัธยมศึกษา"]
    )
    # Who the notifier writes to: the unit's contact (its reporter; an office's monitoring
    # officer) and its head (ผู้บริหาร: a school's or the office's director).
    contact_emails: tuple[Email, ...] = Field((), max_length=10)
    contact_line_ids: tuple[LineUserId, ...] = Field((), max_length=10)
    head_emails: tuple[Email, ...] = Field((), max_length=10)
    head_line_ids: tuple[LineUserId, ...] = Field((), max_length=10)

    @model_validator(mode="after")
    def _consistent(self) -> "Unit":
        if self.unit_type == "school" and not (self.code.isdigit() and len(self.code) == 10):
            raise ValueError("a school code has exactly 10 digits")
        if (self.unit_type == "obec") != (self.parent_code is None):
            raise ValueError("OBEC, and only OBEC, has no parent unit")
        if self.active_from and self.active_to and self.active_to < self.active_from:
            raise ValueError("active_to is before active_from")
        return self

    @property
    def key(self) -> str:
        return self.code

    def active_on(self, day: date) -> bool:
        """Open on `day`."""
        started = self.active_from is None or self.active_from <= day
        return started and (self.active_to is None or day <= self.active_to)


RoundType = Literal["quarter", "half_year", "full_year", "custom"]


class Round(SetupModel):
    """A reporting round (รอบการรายงาน) of a fiscal year."""

    entity: Literal["round"] = "round"
    round_id: str = Field(pattern=ROUND_ID, examples=["2570-Q1"])
    fiscal_year: int = Field(ge=2500, le=2800, description="Buddhist Era, e.g. 2570.")
    round_type: RoundType
    name_th: str = Field(min_length=1, max_length=200, examples=["ไตรมาสที่ 1"])
    period_start: date = Field(description="First day the round reports on.")
    period_end: date = Field(description="Last day the round reports on.")
    opens_on: date
    due_on: date
    closes_on: date

    @model_validator(mode="after")
    def _ordered(self) -> "Round":
        if not self.round_id.startswith(f"{self.fiscal_year}-"):
            raise ValueError("round_id starts with its fiscal year")
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        if not self.opens_on <= self.due_on <= self.closes_on:
            raise ValueError("dates must be ordered: opens_on <= due_on <= closes_on")
        return self

    @property
    def key(self) -> str:
        return self.round_id


class Strategy(SetupModel):
    """A policy or strategy (นโยบาย / กลยุทธ์) that plans and projects serve."""

    entity: Literal["strategy"] = "strategy"
    code: str = Field(pattern=CODE, examples=["OBEC-S1"])
    name_th: str = Field(min_length=1, max_length=500)
    issued_by: Literal["moe", "obec", "province", "office"] = "obec"
    parent_code: str | None = Field(None, pattern=CODE)

    @property
    def key(self) -> str:
        return self.code


class Plan(SetupModel):
    """An annual action plan or a multi-year basic education development plan."""

    entity: Literal["plan"] = "plan"
    plan_id: str = Field(pattern=CODE, examples=["AP2570"])
    plan_type: Literal["action_plan", "development_plan"]
    name_th: str = Field(min_length=1, max_length=500)
    office_code: str = Field(pattern=CODE)
    first_fiscal_year: int = Field(ge=2500, le=2800)
    last_fiscal_year: int = Field(ge=2500, le=2800)
    strategy_codes: tuple[str, ...] = ()
    form_id: str | None = Field(None, pattern=CODE, description="The form its projects report on.")
    status: Literal["draft", "published"] = "draft"

    @model_validator(mode="after")
    def _years(self) -> "Plan":
        if self.last_fiscal_year < self.first_fiscal_year:
            raise ValueError("last_fiscal_year is before first_fiscal_year")
        if self.plan_type == "action_plan" and self.first_fiscal_year != self.last_fiscal_year:
            raise ValueError("an annual action plan covers one fiscal year")
        return self

    @property
    def key(self) -> str:
        return self.plan_id


class Project(SetupModel):
    """A project (โครงการ) of a plan, or an activity (กิจกรรม) when it has a parent."""

    entity: Literal["project"] = "project"
    code: str = Field(pattern=CODE, examples=["P2570-01"])
    plan_id: str = Field(pattern=CODE)
    parent_code: str | None = Field(None, pattern=CODE, description="Set for an activity.")
    name_th: str = Field(min_length=1, max_length=500)
    responsible_unit: str = Field(pattern=CODE)
    budget_satang: int = Field(
        ge=0, le=INT64_MAX, description="Allocated budget in satang (1 baht = 100)."
    )
    starts_on: date
    ends_on: date
    strategy_codes: tuple[str, ...] = ()
    reporting_units: tuple[str, ...] = Field((), description="Other units that report on it.")
    reporting_unit_types: tuple[UnitType, ...] = Field(
        (), description="Every active unit of these types in the office reports on it."
    )
    form_id: str | None = Field(None, pattern=CODE, description="Overrides the plan's form.")

    @model_validator(mode="after")
    def _period(self) -> "Project":
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        if self.parent_code == self.code:
            raise ValueError("a project cannot be its own parent")
        return self

    @property
    def key(self) -> str:
        return self.code


class Indicator(SetupModel):
    """An indicator (ตัวชี้วัด) of a project with its targets (ค่าเป้าหมาย)."""

    entity: Literal["indicator"] = "indicator"
    code: str = Field(pattern=CODE, examples=["P2570-01-I1"])
    project_code: str = Field(pattern=CODE)
    name_th: str = Field(min_length=1, max_length=500)
    unit_of_measure: str = Field(min_length=1, max_length=50, examples=["ร้อยละ", "คน", "โรงเรียน"])
    indicator_type: Literal["number", "percent", "yes_no", "level"]
    direction: Literal["higher_is_better", "lower_is_better"] = "higher_is_better"
    accumulation: Literal["sum", "latest", "average"] = "latest"
    baseline: Quantity | None = None
    year_target: Quantity | None = None
    round_targets: dict[str, Quantity] = Field(
        default_factory=dict, description="Target per round id, e.g. {'2570-Q2': 40}."
    )
    levels: tuple[str, ...] = Field((), description="The scale of a level indicator, low to high.")
    numerator_label: str | None = None
    denominator_label: str | None = None

    @model_validator(mode="after")
    def _typed(self) -> "Indicator":
        targets = [
            t
            for t in (self.baseline, self.year_target, *self.round_targets.values())
            if t is not None
        ]
        if self.indicator_type == "percent" and any(not 0 <= t <= 100 for t in targets):
            raise ValueError("percent targets lie between 0 and 100")
        if self.indicator_type == "yes_no" and any(t not in (0, 1) for t in targets):
            raise ValueError("yes/no targets are 0 or 1")
        if self.indicator_type == "level":
            if len(self.levels) < 2:
                raise ValueError("a level indicator needs its scale (at least two levels)")
            if any(not (0 <= t < len(self.levels) and t == int(t)) for t in targets):
                raise ValueError("level targets are positions on the scale, 0-based")
        return self

    @property
    def key(self) -> str:
        return self.code


FieldType = Literal[
    "text",
    "integer",
    "decimal",
    "money",
    "percent",
    "yes_no",
    "choice",
    "date",
    "activity_status",
    "evidence",
]

ACTIVITY_STATUSES = ("not_started", "in_progress", "done", "cancelled")


class Choice(SetupPart):
    value: str = Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")
    label_th: str = Field(min_length=1, max_length=200)


class FormField(SetupPart):
    """One thing a unit reports; `scope` repeats it per project or per indicator."""

    key: str = Field(pattern=FIELD_KEY, examples=["budget_spent"])
    label_th: str = Field(min_length=1, max_length=300, examples=["งบประมาณที่ใช้ไป (บาท)"])
    field_type: FieldType
    scope: Literal["submission", "project", "indicator"] = "submission"
    required: bool = False
    minimum: Quantity | None = None
    maximum: Quantity | None = None
    max_length: int | None = Field(None, ge=1, le=20000)
    choices: tuple[Choice, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> "FormField":
        if (self.field_type == "choice") != bool(self.choices):
            raise ValueError(f"{self.key}: choices go with, and only with, a choice field")
        if self.minimum is not None and self.maximum is not None and self.maximum < self.minimum:
            raise ValueError(f"{self.key}: maximum is below minimum")
        if self.field_type == "percent" and self.maximum is not None and self.maximum > 100:
            raise ValueError(f"{self.key}: a percent is at most 100")
        return self


class CrossFieldRule(SetupPart):
    """`left op right` between two fields of the same scope, or a field and the set-up.

    `right` is a field key, or `project.budget_satang` (the project's allocation).
    """

    left: str = Field(pattern=FIELD_KEY)
    op: Literal["<=", "<", "==", ">=", ">"]
    right: str = Field(pattern=r"^([a-z][a-z0-9_]{0,39}|project\.budget_satang)$")
    message_th: str = Field(min_length=1, max_length=300)


class Form(SetupModel):
    """A versioned monitoring form (แบบติดตามและรายงานผล). Published versions never change."""

    entity: Literal["form"] = "form"
    form_id: str = Field(pattern=CODE, examples=["action-plan-progress"])
    version: int = Field(ge=1, le=INT64_MAX)
    status: Literal["draft", "published"] = "draft"
    title_th: str = Field(min_length=1, max_length=300)
    fields: tuple[FormField, ...] = Field(min_length=1)
    rules: tuple[CrossFieldRule, ...] = ()
    published_at: datetime | None = None

    @model_validator(mode="after")
    def _references(self) -> "Form":
        keys = {(f.scope, f.key) for f in self.fields}
        if len(keys) != len(self.fields):
            raise ValueError("field keys are unique within their scope")
        scopes = {f.key: f.scope for f in self.fields}
        for rule in self.rules:
            if rule.left not in scopes:
                raise ValueError(f"rule refers to unknown field {rule.left!r}")
            if rule.right == "project.budget_satang":
                if scopes[rule.left] != "project":
                    raise ValueError("only project fields compare with the project's budget")
            elif rule.right not in scopes or scopes[rule.right] != scopes[rule.left]:
                raise ValueError(f"rule compares {rule.left!r} with a field of another scope")
        return self

    @property
    def key(self) -> str:
        return f"{self.form_id}@{self.version}"


class Assignment(SetupModel):
    """Unit `unit_code` is expected to report form `form_id` in round `round_id`."""

    entity: Literal["assignment"] = "assignment"
    round_id: str = Field(pattern=ROUND_ID)
    form_id: str = Field(pattern=CODE)
    unit_code: str = Field(pattern=CODE)
    project_codes: tuple[str, ...] = Field(
        (), description="What it reports on; () = the form only."
    )
    origin: Literal["derived", "override"] = "derived"

    @property
    def key(self) -> str:
        return f"{self.round_id}:{self.form_id}:{self.unit_code}"


SetupEntity = Annotated[
    Unit | Round | Strategy | Plan | Project | Indicator | Form | Assignment,
    Field(discriminator="entity"),
]
ENTITY_TYPES: tuple[type[SetupModel], ...] = (
    Unit,
    Round,
    Strategy,
    Plan,
    Project,
    Indicator,
    Form,
    Assignment,
)


class SetupChanged(Contract):
    """One set-up entity as it now stands (or its removal), with a growing revision."""

    ROUTING_KEY = "setup.changed.v1"

    revision: int = Field(
        ge=1, le=INT64_MAX, description="Monitoring's set-up revision; only grows."
    )
    key: str = Field(description="The entity's key within its kind.")
    deleted: bool = False
    entity: SetupEntity


class SetupResendRequested(Contract):
    """A service asks for every set-up entity changed after `after_revision`."""

    ROUTING_KEY = "setup.resend-requested.v1"
    KIND = "request"
    ANSWERED_BY = ("setup.changed.v1",)
    MATCHED_BY = "data.revision"  # the changes are announced to every copy, not to one asker

    requested_by: str = Field(min_length=1, max_length=64)
    after_revision: int = Field(0, ge=0, le=INT64_MAX, description="0 = everything.")
