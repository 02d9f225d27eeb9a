"""The work manual as a calendar: process templates as data, and each year's instance.

A template is a process's numbered steps, each with month windows, a quality standard and
who is responsible; an instance tracks one fiscal year's steps (status, evidence, date done).

Month windows are placed in a fiscal year (1 Oct – 30 Sep, named by its BE year) so that the
start month lies inside it; a window whose end month comes before its start month in fiscal
order (Oct … Sep) runs into the next fiscal year. So in FY 2570 "Oct–Nov" is 1 Oct – 30 Nov
2026, "Mar–Apr" is 1 Mar – 30 Apr 2027 and "Sep–Oct" is 1 Sep – 31 Oct 2027: the manual's
Sep–Oct steps close the year the instance is named by and spill into the next. A window
marked `next_year` is placed in the following fiscal year: the development plan's report in
November (FY 2570: November 2027) comes after its evaluation in September–October.
"""

import calendar
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.thai.calendar import ce_year

StepStatus = Literal["not_started", "in_progress", "done"]
ShownStatus = Literal["not_started", "in_progress", "done", "late"]


class ProcessModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MonthWindow(ProcessModel):
    """Months start_month..end_month inclusive; may wrap past September into the next year."""

    start_month: int = Field(ge=1, le=12)
    end_month: int = Field(ge=1, le=12)
    next_year: bool = Field(
        False,
        description="Placed in the following fiscal year: a step that closes the year after "
        "it ends, e.g. reporting in November on an evaluation made in September.",
    )


class ProcessStep(ProcessModel):
    """One numbered step of the work manual with its time windows, standard and owner."""

    number: int = Field(ge=1)
    title_th: str = Field(min_length=1, max_length=500)
    title_en: str = Field(min_length=1, max_length=500)
    windows: tuple[MonthWindow, ...] = Field(min_length=1, description="In calendar order.")
    quality_standard_th: str | None = Field(None, max_length=500)
    responsible_th: str | None = Field(None, max_length=200)


class ProcessTemplate(ProcessModel):
    """A process of the work manual: its steps, numbered 1..n in order."""

    template_id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,63}$")
    title_th: str = Field(min_length=1, max_length=500)
    title_en: str = Field(min_length=1, max_length=500)
    steps: tuple[ProcessStep, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _numbered(self) -> "ProcessTemplate":
        if [step.number for step in self.steps] != list(range(1, len(self.steps) + 1)):
            raise ValueError(f"{self.template_id}: steps are numbered 1..n in order")
        return self


class StepInstance(ProcessModel):
    """Where one step of a year's process stands."""

    number: int = Field(ge=1)
    status: StepStatus = "not_started"
    done_on: date | None = None
    evidence_note: str | None = Field(None, max_length=2000)
    updated_by: str | None = Field(None, max_length=64)

    @model_validator(mode="after")
    def _done_on(self) -> "StepInstance":
        if self.status == "done" and self.done_on is None:
            raise ValueError(f"step {self.number}: a done step needs done_on")
        if self.status != "done" and self.done_on is not None:
            raise ValueError(f"step {self.number}: done_on is set only on a done step")
        return self


class ProcessInstance(ProcessModel):
    """One fiscal year's run of a process template."""

    instance_id: str
    template_id: str
    fiscal_year: int = Field(ge=2500, le=2800, description="Buddhist Era, e.g. 2570.")
    steps: tuple[StepInstance, ...]

    @model_validator(mode="after")
    def _identified(self) -> "ProcessInstance":
        if self.instance_id != f"{self.template_id}:{self.fiscal_year}":
            raise ValueError("instance_id is '<template_id>:<fiscal_year>'")
        return self


def window_dates(window: MonthWindow, fiscal_year: int) -> tuple[date, date]:
    """First and last day of a month window in a fiscal year (see the module docstring)."""
    fiscal_year += window.next_year
    start = _month_in_fiscal_year(window.start_month, fiscal_year)
    wraps = _fiscal_position(window.end_month) < _fiscal_position(window.start_month)
    end = _month_in_fiscal_year(window.end_month, fiscal_year + 1 if wraps else fiscal_year)
    return start, end.replace(day=calendar.monthrange(end.year, end.month)[1])


def instantiate(template: ProcessTemplate, fiscal_year: int) -> ProcessInstance:
    """A fresh instance of a template for a fiscal year, every step not started."""
    return ProcessInstance(
        instance_id=f"{template.template_id}:{fiscal_year}",
        template_id=template.template_id,
        fiscal_year=fiscal_year,
        steps=tuple(StepInstance(number=step.number) for step in template.steps),
    )


def step_status(
    template_step: ProcessStep, step_instance: StepInstance, fiscal_year: int, today: date
) -> ShownStatus:
    """The step's status, or "late" once its last window has ended and it is not done."""
    if template_step.number != step_instance.number:
        raise ValueError(
            f"step instance {step_instance.number} is not template step {template_step.number}"
        )
    if step_instance.status == "done":
        return "done"
    last_day = max(window_dates(window, fiscal_year)[1] for window in template_step.windows)
    return "late" if today > last_day else step_instance.status


def update_step(
    instance: ProcessInstance,
    number: int,
    status: StepStatus,
    done_on: date | None = None,
    evidence_note: str | None = None,
    updated_by: str | None = None,
) -> ProcessInstance:
    """The instance with step `number` replaced by the given state."""
    numbers = [step.number for step in instance.steps]
    if number not in numbers:
        raise ValueError(
            f"{instance.instance_id} has no step {number}; its steps are {numbers[0]}–{numbers[-1]}"
            if numbers
            else f"{instance.instance_id} has no steps"
        )
    updated = StepInstance(
        number=number,
        status=status,
        done_on=done_on,
        evidence_note=evidence_note,
        updated_by=updated_by,
    )
    steps = tuple(updated if step.number == number else step for step in instance.steps)
    return instance.model_copy(update={"steps": steps})


def _fiscal_position(month: int) -> int:
    """October is 0, September is 11."""
    return (month - 10) % 12


def _month_in_fiscal_year(month: int, fiscal_year: int) -> date:
    end_year = ce_year(fiscal_year)
    return date(end_year - 1 if month >= 10 else end_year, month, 1)


# The seed: the five processes of the officer's work manual (DOMAIN.md), step by step.
# Where the manual merges steps in one row, each gets its own number and the row's window,
# standard and owner.

PLANNING_GROUP = "กลุ่มนโยบายและแผน"
COMMITTEE = "คณะกรรมการ"
DIRECTOR_AND_HEAD = "ผู้อำนวยการกลุ่มนโยบายและแผน และหัวหน้างานติดตามประเมินผลและรายงาน"
OBEC_FRAMEWORK = "รายงานเป็นไปตามกรอบการประเมินของ สพฐ."
FRAMEWORK = "รายงานเป็นไปตามกรอบการประเมิน"
TARGETS_MET = "หน่วยงานบรรลุค่าเป้าหมายตามตัวชี้วัด"
IMPROVEMENT = "ข้อเสนอแนะนำไปสู่การปรับปรุงและพัฒนา"

SEP, OCT, NOV, FEB, MAR, APR = 9, 10, 11, 2, 3, 4
NEXT_YEAR = True  # a window's third element: placed in the following fiscal year
Windows = tuple[tuple[int, int] | tuple[int, int, bool], ...]


def _step(
    number: int,
    windows: Windows,
    title_th: str,
    title_en: str,
    quality_standard_th: str | None = None,
    responsible_th: str | None = None,
) -> ProcessStep:
    return ProcessStep(
        number=number,
        title_th=title_th,
        title_en=title_en,
        windows=tuple(
            MonthWindow(start_month=w[0], end_month=w[1], next_year=len(w) > 2 and bool(w[2]))
            for w in windows
        ),
        quality_standard_th=quality_standard_th,
        responsible_th=responsible_th,
    )


# fmt: off
SEED_TEMPLATES: tuple[ProcessTemplate, ...] = (
    ProcessTemplate(
        template_id="monitor-obec-policy",
        title_th="การติดตามการดำเนินงานตามนโยบายและกลยุทธ์ของ สพฐ.",
        title_en="Monitor OBEC policy and strategy",
        steps=(
            _step(1, ((SEP, OCT),),
                  "วิเคราะห์นโยบาย ยุทธศาสตร์ และแผนปฏิบัติการของกระทรวงศึกษาธิการ สพฐ. "
                  "จังหวัด สำนักงานเขตพื้นที่การศึกษา และสถานศึกษา",
                  "Analyse the policies, strategies and action plans of MOE, OBEC, "
                  "the province, the office and schools",
                  None, PLANNING_GROUP),
            _step(2, ((OCT, NOV),),
                  "จัดทำแผนกำกับติดตามการดำเนินงานตามแผนปฏิบัติการและนโยบายทุกระดับ",
                  "Make the monitoring plan for the action plan and policies at all levels",
                  None, PLANNING_GROUP),
            _step(3, ((OCT, NOV),),
                  "จัดทำเครื่องมือติดตามและรายงานผลที่ครบถ้วน ชัดเจน และง่ายต่อผู้รายงาน",
                  "Make monitoring and reporting tools: complete, clear, easy for reporters",
                  "เครื่องมือสอดคล้องกับเครื่องมือของหน่วยงานที่เกี่ยวข้อง", COMMITTEE),
            _step(4, ((SEP, SEP),),
                  "นำเสนอผลการติดตามต่อผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
                  "Present the monitoring results to the director",
                  None, PLANNING_GROUP),
            _step(5, ((SEP, SEP),),
                  "แจ้งหน่วยงานที่เกี่ยวข้องให้ดำเนินการตามข้อเสนอแนะ",
                  "Tell the units concerned to act on the recommendations",
                  None, PLANNING_GROUP),
            _step(6, ((SEP, SEP),),
                  "ติดตาม ประเมินผล และจัดทำรายงานผลการดำเนินงานประจำปีของสำนักงานเขตพื้นที่"
                  "การศึกษาและสถานศึกษา เสนอคณะกรรมการเขตพื้นที่การศึกษา",
                  "Monitor, evaluate and write the annual report of the office and its "
                  "schools for the area committee",
                  "รายงานผลการดำเนินงานประจำปีนำเสนอต่อคณะกรรมการเขตพื้นที่การศึกษา",
                  DIRECTOR_AND_HEAD),
        ),
    ),
    ProcessTemplate(
        template_id="inspection-follow-up",
        title_th="การติดตามผลการตรวจราชการ",
        title_en="Inspection follow-up",
        steps=(
            _step(1, ((SEP, OCT),), "วิเคราะห์ประเด็นการตรวจราชการ",
                  "Analyse the inspection issues", None, PLANNING_GROUP),
            _step(2, ((OCT, NOV),), "ประสานแผนการตรวจราชการของผู้ตรวจราชการ",
                  "Coordinate the inspectors' plans", None, PLANNING_GROUP),
            _step(3, ((OCT, NOV),), "จัดทำรายงานผลการตรวจราชการ",
                  "Write the inspection report",
                  "รายงานครบถ้วนทุกประเด็นการตรวจราชการ ตามรูปแบบที่ผู้ตรวจราชการกำหนด",
                  COMMITTEE),
            _step(4, ((SEP, SEP),),
                  "วิเคราะห์ข้อเสนอแนะของผู้ตรวจราชการ และนำเสนอผู้อำนวยการสำนักงานเขตพื้นที่"
                  "การศึกษา",
                  "Analyse the inspectors' recommendations and present them to the director",
                  IMPROVEMENT, PLANNING_GROUP),
            _step(5, ((SEP, SEP),),
                  "แจ้งหน่วยงานที่รับผิดชอบให้ปรับปรุงและพัฒนาตามข้อเสนอแนะ",
                  "Tell the responsible units to improve on the recommendations",
                  IMPROVEMENT, PLANNING_GROUP),
            _step(6, ((SEP, SEP),),
                  "สรุปและรายงานผลการดำเนินงานต่อหน่วยงานที่เกี่ยวข้อง",
                  "Summarise and report to the related agencies",
                  "รายงานผลการดำเนินงานประจำปีต่อคณะกรรมการเขตพื้นที่การศึกษา",
                  PLANNING_GROUP),
        ),
    ),
    ProcessTemplate(
        template_id="obec-strategy-evaluation",
        title_th="การประเมินผลการดำเนินงานตามกลยุทธ์ของ สพฐ.",
        title_en="OBEC strategy evaluation",
        steps=(
            _step(1, ((OCT, FEB), (MAR, SEP)), "วิเคราะห์กลยุทธ์ของ สพฐ.",
                  "Analyse OBEC's strategy", OBEC_FRAMEWORK, PLANNING_GROUP),
            _step(2, ((SEP, OCT),), "ออกแบบเครื่องมือประเมินผล",
                  "Design the evaluation tools"),
            _step(3, ((SEP, OCT),), "ประเมินผลร่วมกับผู้มีส่วนได้ส่วนเสีย",
                  "Evaluate with stakeholders"),
            _step(4, ((SEP, OCT),), "สรุปผลและรายงานต่อคณะผู้ประเมินของ สพฐ.",
                  "Summarise and report to OBEC's assessors"),
            _step(5, ((SEP, OCT),), "แจ้งหน่วยงานให้ปรับปรุงและพัฒนาตามผลการประเมิน",
                  "Tell units what to improve", OBEC_FRAMEWORK, PLANNING_GROUP),
            _step(6, ((SEP, OCT),), "รายงานผลการประเมินตามกลยุทธ์ของ สพฐ.",
                  "Report the evaluation", OBEC_FRAMEWORK, PLANNING_GROUP),
        ),
    ),
    ProcessTemplate(
        template_id="development-plan-evaluation",
        title_th="การประเมินผลแผนพัฒนาการศึกษาขั้นพื้นฐาน",
        title_en="Basic education development plan evaluation",
        steps=(
            _step(1, ((OCT, FEB),),
                  "วิเคราะห์แผนพัฒนาการศึกษาขั้นพื้นฐาน และประเมินผลระยะครึ่งแผนพร้อมข้อเสนอแนะ",
                  "Analyse the plan; evaluate it at mid-plan with recommendations",
                  FRAMEWORK, DIRECTOR_AND_HEAD),
            _step(2, ((MAR, MAR),), "จัดทำแบบประเมินผลโครงการตามแผนพัฒนาการศึกษาขั้นพื้นฐาน",
                  "Build the evaluation form for the plan's projects"),
            _step(3, ((SEP, OCT),), "ประเมินผลแบบมีส่วนร่วม",
                  "Evaluate with participation"),
            _step(4, ((SEP, OCT),), "สรุปผลการประเมินเสนอผู้บริหาร",
                  "Summarise the results for management"),
            _step(5, ((NOV, NOV, NEXT_YEAR),), "รายงานผลการประเมินแผนพัฒนาการศึกษาขั้นพื้นฐาน",
                  "Report the evaluation", TARGETS_MET, PLANNING_GROUP),
        ),
    ),
    ProcessTemplate(
        template_id="action-plan-evaluation",
        title_th="การประเมินผลแผนปฏิบัติการประจำปี",
        title_en="Annual action plan evaluation",
        steps=(
            _step(1, ((MAR, APR),), "วิเคราะห์แผนปฏิบัติการประจำปี",
                  "Analyse the annual action plan", FRAMEWORK, DIRECTOR_AND_HEAD),
            _step(2, ((SEP, OCT),), "จัดทำแบบประเมินผลโครงการตามแผนปฏิบัติการประจำปี",
                  "Build the evaluation form for the action plan's projects",
                  TARGETS_MET, PLANNING_GROUP),
            _step(3, ((SEP, OCT),), "ประเมินผลร่วมกับผู้มีส่วนได้ส่วนเสีย",
                  "Evaluate with stakeholders", TARGETS_MET, PLANNING_GROUP),
            _step(4, ((SEP, OCT),), "สรุปผลการประเมินเสนอผู้บริหาร",
                  "Summarise the results for management", TARGETS_MET, PLANNING_GROUP),
            _step(5, ((SEP, OCT),), "รายงานผลการประเมินแผนปฏิบัติการประจำปี",
                  "Report the evaluation", TARGETS_MET, PLANNING_GROUP),
        ),
    ),
)
# fmt: on
