"""Thai words the samples are composed from: provinces, office and school names, projects.

Nothing here names a person. School names are composed from common place-name parts at
random; projects and indicators are typical of an action plan, written for the samples."""

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True)
class Province:
    code: str  # the two-digit code that school codes carry
    name_th: str
    name_en: str


_PROVINCES = """
10 กรุงเทพมหานคร Bangkok; 11 สมุทรปราการ Samut Prakan; 12 นนทบุรี Nonthaburi
13 ปทุมธานี Pathum Thani; 14 พระนครศรีอยุธยา Phra Nakhon Si Ayutthaya; 15 อ่างทอง Ang Thong
16 ลพบุรี Lop Buri; 17 สิงห์บุรี Sing Buri; 18 ชัยนาท Chai Nat
19 สระบุรี Saraburi; 20 ชลบุรี Chon Buri; 21 ระยอง Rayong
22 จันทบุรี Chanthaburi; 23 ตราด Trat; 24 ฉะเชิงเทรา Chachoengsao
25 ปราจีนบุรี Prachin Buri; 26 นครนายก Nakhon Nayok; 27 สระแก้ว Sa Kaeo
30 นครราชสีมา Nakhon Ratchasima; 31 บุรีรัมย์ Buri Ram; 32 สุรินทร์ Surin
33 ศรีสะเกษ Si Sa Ket; 34 อุบลราชธานี Ubon Ratchathani; 35 ยโสธร Yasothon
36 ชัยภูมิ Chaiyaphum; 37 อำนาจเจริญ Amnat Charoen; 38 บึงกาฬ Bueng Kan
39 หนองบัวลำภู Nong Bua Lam Phu; 40 ขอนแก่น Khon Kaen; 41 อุดรธานี Udon Thani
42 เลย Loei; 43 หนองคาย Nong Khai; 44 มหาสารคาม Maha Sarakham
45 ร้อยเอ็ด Roi Et; 46 กาฬสินธุ์ Kalasin; 47 สกลนคร Sakon Nakhon
48 นครพนม Nakhon Phanom; 49 มุกดาหาร Mukdahan; 50 เชียงใหม่ Chiang Mai
51 ลำพูน Lamphun; 52 ลำปาง Lampang; 53 อุตรดิตถ์ Uttaradit
54 แพร่ Phrae; 55 น่าน Nan; 56 พะเยา Phayao
57 เชียงราย Chiang Rai; 58 แม่ฮ่องสอน Mae Hong Son; 60 นครสวรรค์ Nakhon Sawan
61 อุทัยธานี Uthai Thani; 62 กำแพงเพชร Kamphaeng Phet; 63 ตาก Tak
64 สุโขทัย Sukhothai; 65 พิษณุโลก Phitsanulok; 66 พิจิตร Phichit
67 เพชรบูรณ์ Phetchabun; 70 ราชบุรี Ratchaburi; 71 กาญจนบุรี Kanchanaburi
72 สุพรรณบุรี Suphan Buri; 73 นครปฐม Nakhon Pathom; 74 สมุทรสาคร Samut Sakhon
75 สมุทรสงคราม Samut Songkhram; 76 เพชรบุรี Phetchaburi; 77 ประจวบคีรีขันธ์ Prachuap Khiri Khan
80 นครศรีธรรมราช Nakhon Si Thammarat; 81 กระบี่ Krabi; 82 พังงา Phangnga
83 ภูเก็ต Phuket; 84 สุราษฎร์ธานี Surat Thani; 85 ระนอง Ranong
86 ชุมพร Chumphon; 90 สงขลา Songkhla; 91 สตูล Satun
92 ตรัง Trang; 93 พัทลุง Phatthalung; 94 ปัตตานี Pattani
95 ยะลา Yala; 96 นราธิวาส Narathiwat
"""

_ENTRIES = [entry for entry in _PROVINCES.replace("\n", ";").split(";") if entry.strip()]
PROVINCES = tuple(Province(*entry.split(maxsplit=2)) for entry in _ENTRIES)

# The office the samples start with (office_index 0) covers two provinces.
FIRST_PROVINCE = "84"
PARTNER_PROVINCES = {"84": ("86",)}
MAX_ZONE = 9  # school codes carry the zone (เขต) as one digit

_ORDERED = sorted(PROVINCES, key=lambda p: p.code != FIRST_PROVINCE)
_BY_CODE = {p.code: p for p in PROVINCES}
_PARTNERS = {code for codes in PARTNER_PROVINCES.values() for code in codes}
_SECONDARY = [p for p in _ORDERED if p.code not in _PARTNERS]


@dataclass(frozen=True)
class Area:
    """Who an office is: its code, names, provinces and zone (เขต; 0 for a secondary office)."""

    code: str
    name_th: str
    name_en: str
    provinces: tuple[Province, ...]
    zone: int


def office_area(office_index: int) -> Area:
    """The `office_index`-th office: secondary offices first, then primary ones by zone."""
    if office_index < 0:
        raise ValueError("office_index is at least 0")
    if office_index < len(_SECONDARY):
        main = _SECONDARY[office_index]
        provinces = (main, *(_BY_CODE[c] for c in PARTNER_PROVINCES.get(main.code, ())))
        return Area(
            code=f"SESA-{main.code}",
            name_th="สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา" + " ".join(p.name_th for p in provinces),
            name_en=" ".join(p.name_en for p in provinces) + " Secondary Educational Service Area",
            provinces=provinces,
            zone=0,
        )
    zone, at = divmod(office_index - len(_SECONDARY), len(_ORDERED))
    zone += 1
    if zone > MAX_ZONE:
        raise ValueError(f"at most {len(_SECONDARY) + MAX_ZONE * len(_ORDERED)} offices")
    main = _ORDERED[at]
    return Area(
        code=f"PESA-{main.code}-{zone}",
        name_th=f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{main.name_th} เขต {zone}",
        name_en=f"{main.name_en} Primary Educational Service Area {zone}",
        provinces=(main,),
        zone=zone,
    )


# The groups (กลุ่ม) of an office: code suffix, Thai name, English name.
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("ADM", "กลุ่มอำนวยการ", "Administration Group"),
    ("PLAN", "กลุ่มนโยบายและแผน", "Policy and Planning Group"),
    ("PROMO", "กลุ่มส่งเสริมการจัดการศึกษา", "Educational Provision Promotion Group"),
    ("SUPV", "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา", "Supervision and Evaluation Group"),
    ("HR", "กลุ่มบริหารงานบุคคล", "Personnel Administration Group"),
    ("FIN", "กลุ่มบริหารงานการเงินและสินทรัพย์", "Finance and Assets Group"),
    ("ICT", "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร", "Distance Education and ICT"),
    ("TDEV", "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา", "Teacher Development Group"),
    ("LAW", "กลุ่มกฎหมายและคดี", "Legal Affairs Group"),
    ("AUDIT", "หน่วยตรวจสอบภายใน", "Internal Audit Unit"),
)

# School names: "โรงเรียน" + [บ้าน] + place + qualifier + [ending]; (Thai, romanised).
PLACES = (
    ("หนอง", "Nong"),
    ("ดอน", "Don"),
    ("ท่า", "Tha"),
    ("วัง", "Wang"),
    ("บ่อ", "Bo"),
    ("ห้วย", "Huai"),
    ("คลอง", "Khlong"),
    ("โคก", "Khok"),
    ("นา", "Na"),
    ("บาง", "Bang"),
    ("ทุ่ง", "Thung"),
    ("เขา", "Khao"),
    ("ควน", "Khuan"),
    ("ไร่", "Rai"),
    ("สระ", "Sa"),
    ("แม่", "Mae"),
    ("ลำ", "Lam"),
    ("ปาก", "Pak"),
    ("เกาะ", "Ko"),
    ("โพน", "Phon"),
)
QUALIFIERS = (
    ("ทอง", "Thong"),
    ("บัว", "Bua"),
    ("ใหญ่", "Yai"),
    ("น้อย", "Noi"),
    ("ศรี", "Si"),
    ("แก้ว", "Kaeo"),
    ("งาม", "Ngam"),
    ("เจริญ", "Charoen"),
    ("ไผ่", "Phai"),
    ("ยาง", "Yang"),
    ("ตาล", "Tan"),
    ("จันทร์", "Chan"),
    ("โพธิ์", "Pho"),
    ("ทราย", "Sai"),
    ("หิน", "Hin"),
    ("ขาม", "Kham"),
    ("สวรรค์", "Sawan"),
    ("มะม่วง", "Mamuang"),
    ("แสง", "Saeng"),
    ("เตย", "Toei"),
    ("กุ่ม", "Kum"),
    ("พยอม", "Phayom"),
    ("สะแก", "Sakae"),
    ("ตะเคียน", "Takhian"),
)
ENDINGS = (
    ("วิทยา", "Witthaya"),
    ("พิทยาคม", "Phitthayakhom"),
    ("ศึกษา", "Suksa"),
    ("วิทยาคาร", "Witthayakhan"),
    ("วิทยาคม", "Witthayakhom"),
    ("ราษฎร์บำรุง", "Rat Bamrung"),
    ("ประชาสรรค์", "Pracha San"),
    ("ศึกษาวิทย์", "Suksa Wit"),
)
_NAME_CAPACITY = len(PLACES) * len(QUALIFIERS) * len(ENDINGS)


def school_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Unique (Thai, English) school names composed from place-name parts."""
    names: dict[str, str] = {}
    while len(names) < count:
        place, qualifier = rng.choice(PLACES), rng.choice(QUALIFIERS)
        if rng.random() < 0.35:
            thai, english = f"บ้าน{place[0]}{qualifier[0]}", f"Ban {place[1]} {qualifier[1]}"
        else:
            ending = rng.choice(ENDINGS)
            thai = f"{place[0]}{qualifier[0]}{ending[0]}"
            english = f"{place[1]} {qualifier[1]} {ending[1]}"
        if len(names) >= _NAME_CAPACITY:  # then number them to stay unique
            thai, english = f"{thai} {len(names)}", f"{english} {len(names)}"
        names.setdefault(f"โรงเรียน{thai}", f"{english} School")
    return list(names.items())


# The action-plan progress form: key, label, type, scope, required, minimum.
FORM_TITLE = "แบบติดตามและรายงานผลการดำเนินงานตามแผนปฏิบัติการประจำปี"
FORM_FIELDS = (
    ("problems", "ปัญหาและอุปสรรค", "text", "submission", False, None),
    ("suggestions", "ข้อเสนอแนะ", "text", "submission", False, None),
    ("evidence", "เอกสาร/หลักฐานประกอบ", "evidence", "submission", False, None),
    ("activity_status", "สถานะการดำเนินงาน", "activity_status", "project", True, None),
    ("budget_spent", "งบประมาณที่ใช้ไป (บาท)", "money", "project", False, 0),
    ("actual", "ผลการดำเนินงาน", "decimal", "indicator", False, None),
    ("numerator", "ตัวตั้ง", "decimal", "indicator", False, 0),
    ("denominator", "ตัวหาร", "decimal", "indicator", False, 0),
)
FORM_RULES = (  # left <= right
    ("budget_spent", "project.budget_satang", "งบประมาณที่ใช้ไปต้องไม่เกินงบประมาณที่ได้รับจัดสรร"),
    ("numerator", "denominator", "ตัวตั้งต้องไม่มากกว่าตัวหาร"),
)

# Five-level school quality scale, low to high.
LEVELS = ("กำลังพัฒนา", "ปานกลาง", "ดี", "ดีเลิศ", "ยอดเยี่ยม")

# Policies and strategies: code, Thai text, issued by, parent code.
STRATEGIES: tuple[tuple[str, str, Literal["moe", "obec"], str | None], ...] = (
    ("MOE-P1", "นโยบายการจัดการศึกษา เรียนดี มีความสุข", "moe", None),
    ("OBEC-S1", "จัดการศึกษาเพื่อความปลอดภัยของผู้เรียนจากภัยทุกรูปแบบ", "obec", "MOE-P1"),
    ("OBEC-S2", "เพิ่มโอกาสและลดความเหลื่อมล้ำทางการศึกษาให้ผู้เรียนทุกกลุ่มเป้าหมาย", "obec", "MOE-P1"),
    ("OBEC-S3", "พัฒนาคุณภาพผู้เรียนให้มีสมรรถนะที่จำเป็นในศตวรรษที่ 21", "obec", "MOE-P1"),
    ("OBEC-S4", "พัฒนาครูและบุคลากรทางการศึกษาให้มีความเชี่ยวชาญในวิชาชีพ", "obec", "MOE-P1"),
    ("OBEC-S5", "เพิ่มประสิทธิภาพการบริหารจัดการด้วยเทคโนโลยีดิจิทัลและหลักธรรมาภิบาล", "obec", "MOE-P1"),
)


@dataclass(frozen=True)
class IndicatorTemplate:
    name_th: str
    unit: str
    indicator_type: Literal["number", "percent", "yes_no", "level"]
    accumulation: Literal["sum", "latest", "average"] = "latest"
    numerator: str | None = None
    denominator: str | None = None
    lower_is_better: bool = False
    top: Decimal | None = None  # the top of the scale of an averaged score


@dataclass(frozen=True)
class ProjectTemplate:
    name_th: str
    group: str  # suffix of the responsible group's code
    strategies: tuple[int, ...]  # OBEC-S<n>
    indicators: tuple[IndicatorTemplate, ...]
    schools_report: bool = False  # every school of the office reports on it
    also: tuple[str, ...] = ()  # other groups that report on it
    activities: tuple["ProjectTemplate", ...] = ()


def pct(name: str, numerator: str, denominator: str, *, lower: bool = False) -> IndicatorTemplate:
    return IndicatorTemplate(name, "ร้อยละ", "percent", "latest", numerator, denominator, lower)


def count(name: str, unit: str) -> IndicatorTemplate:
    return IndicatorTemplate(name, unit, "number", "sum")  # the rounds add up to the year


def stock(name: str, unit: str) -> IndicatorTemplate:
    return IndicatorTemplate(name, unit, "number", "latest")  # the latest round counts


def mean(name: str, unit: str, top: int) -> IndicatorTemplate:
    return IndicatorTemplate(name, unit, "number", "average", top=Decimal(top))


def yes(name: str) -> IndicatorTemplate:
    return IndicatorTemplate(name, "มี/ไม่มี", "yes_no")


def level(name: str) -> IndicatorTemplate:
    return IndicatorTemplate(name, "ระดับ", "level")


STUDENTS, ALL_STUDENTS, SCHOOLS, ALL_SCHOOLS = "นักเรียน", "นักเรียนทั้งหมด", "โรงเรียน", "สถานศึกษาทั้งหมด"

_READING_ACTIVITIES = (
    ProjectTemplate(
        "กิจกรรมสัปดาห์ส่งเสริมการอ่านและห้องสมุดมีชีวิต",
        "SUPV",
        (3,),
        (
            stock("จำนวนสถานศึกษาที่จัดกิจกรรมสัปดาห์ส่งเสริมการอ่าน", SCHOOLS),
            count("จำนวนหนังสือที่นักเรียนอ่านตามโครงการรักการอ่าน", "เล่ม"),
        ),
        schools_report=True,
    ),
    ProjectTemplate(
        "กิจกรรมคัดกรองและช่วยเหลือนักเรียนที่มีปัญหาด้านการอ่าน การเขียน",
        "SUPV",
        (3,),
        (
            pct(
                "ร้อยละของนักเรียนกลุ่มเสี่ยงที่ได้รับการคัดกรองและช่วยเหลือ",
                "นักเรียนกลุ่มเสี่ยงที่ได้รับการช่วยเหลือ",
                "นักเรียนกลุ่มเสี่ยงทั้งหมด",
            ),
            count("จำนวนนักเรียนกลุ่มเสี่ยงที่ได้รับการคัดกรอง", "คน"),
        ),
        schools_report=True,
    ),
)
_TEACHER_ACTIVITIES = (
    ProjectTemplate(
        "กิจกรรมส่งเสริมชุมชนการเรียนรู้ทางวิชาชีพ (PLC)",
        "TDEV",
        (4,),
        (
            count("จำนวนกลุ่ม PLC ที่ดำเนินการและรายงานผล", "กลุ่ม"),
            level("ระดับคุณภาพการดำเนินงานชุมชนการเรียนรู้ทางวิชาชีพ"),
        ),
    ),
    ProjectTemplate(
        "กิจกรรมพัฒนาผู้บริหารสถานศึกษาที่ได้รับการแต่งตั้งใหม่",
        "TDEV",
        (4,),
        (
            count("จำนวนผู้บริหารสถานศึกษาที่ได้รับการพัฒนา", "คน"),
            mean("ระดับความพึงพอใจเฉลี่ยของผู้บริหารที่เข้ารับการพัฒนา", "คะแนน", 5),
        ),
    ),
)
_DIGITAL_ACTIVITIES = (
    ProjectTemplate(
        "กิจกรรมพัฒนาเครือข่ายอินเทอร์เน็ตความเร็วสูงในสถานศึกษา",
        "ICT",
        (5,),
        (
            pct(
                "ร้อยละของสถานศึกษาที่มีอินเทอร์เน็ตความเร็วสูงใช้ในการเรียนการสอน",
                "สถานศึกษาที่มีอินเทอร์เน็ตความเร็วสูง",
                ALL_SCHOOLS,
            ),
            stock("จำนวนห้องเรียนที่มีอุปกรณ์ดิจิทัลพร้อมใช้", "ห้อง"),
        ),
    ),
    ProjectTemplate(
        "กิจกรรมอบรมการใช้ระบบสารสนเทศเพื่อการรายงานข้อมูล",
        "ICT",
        (5,),
        (
            count("จำนวนเจ้าหน้าที่สถานศึกษาที่ผ่านการอบรม", "คน"),
            stock("จำนวนสถานศึกษาที่รายงานข้อมูลผ่านระบบได้ด้วยตนเอง", SCHOOLS),
        ),
    ),
)

PROJECTS: tuple[ProjectTemplate, ...] = (
    ProjectTemplate(
        "โครงการพัฒนาคุณภาพผู้เรียนด้านการอ่าน การเขียน และการคิดวิเคราะห์",
        "SUPV",
        (3,),
        (
            pct(
                "ร้อยละของนักเรียนที่มีผลการประเมินการอ่าน การเขียน ระดับดีขึ้นไป",
                "นักเรียนที่มีผลการประเมินระดับดีขึ้นไป",
                "นักเรียนที่เข้ารับการประเมิน",
            ),
            count("จำนวนนักเรียนที่ได้รับการพัฒนาทักษะการอ่าน การเขียน", "คน"),
            level("ระดับคุณภาพการจัดกิจกรรมส่งเสริมการอ่านของสถานศึกษา"),
        ),
        schools_report=True,
        activities=_READING_ACTIVITIES,
    ),
    ProjectTemplate(
        "โครงการยกระดับผลสัมฤทธิ์ทางการเรียนของผู้เรียน",
        "SUPV",
        (3,),
        (
            pct(
                "ร้อยละของนักเรียนที่มีผลการทดสอบระดับชาติ (O-NET) ตั้งแต่ร้อยละ 50 ขึ้นไป",
                "นักเรียนที่มีคะแนนตั้งแต่ร้อยละ 50",
                "นักเรียนที่เข้าสอบ",
            ),
            mean("คะแนนเฉลี่ยผลการทดสอบ O-NET ชั้นมัธยมศึกษาปีที่ 3", "คะแนน", 100),
            stock("จำนวนสถานศึกษาที่มีแผนยกระดับผลสัมฤทธิ์ทางการเรียน", SCHOOLS),
        ),
        schools_report=True,
    ),
    ProjectTemplate(
        "โครงการส่งเสริมความปลอดภัยในสถานศึกษา",
        "PROMO",
        (1,),
        (
            yes("สถานศึกษามีแผนเผชิญเหตุและระบบรักษาความปลอดภัย"),
            pct(
                "ร้อยละของนักเรียนที่ประสบอุบัติเหตุหรือภัยในสถานศึกษา",
                "นักเรียนที่ประสบอุบัติเหตุหรือภัย",
                ALL_STUDENTS,
                lower=True,
            ),
            pct(
                "ร้อยละของสถานศึกษาที่ผ่านการประเมินมาตรฐานความปลอดภัย",
                "สถานศึกษาที่ผ่านการประเมิน",
                ALL_SCHOOLS,
            ),
        ),
        schools_report=True,
    ),
    ProjectTemplate(
        "โครงการป้องกันและแก้ไขปัญหายาเสพติดในสถานศึกษา",
        "PROMO",
        (1,),
        (
            pct(
                "ร้อยละของสถานศึกษาที่ผ่านการประเมินสถานศึกษาสีขาว ปลอดยาเสพติดและอบายมุข",
                "สถานศึกษาที่ผ่านการประเมิน",
                ALL_SCHOOLS,
            ),
            count("จำนวนนักเรียนแกนนำที่ได้รับการอบรม", "คน"),
            level("ระดับผลการประเมินสถานศึกษาสีขาว ปลอดยาเสพติดและอบายมุข"),
        ),
        schools_report=True,
    ),
    ProjectTemplate(
        "โครงการพัฒนาระบบการดูแลช่วยเหลือนักเรียน",
        "PROMO",
        (1, 2),
        (
            pct("ร้อยละของนักเรียนที่ออกกลางคัน", "นักเรียนที่ออกกลางคัน", ALL_STUDENTS, lower=True),
            pct("ร้อยละของนักเรียนที่ได้รับการเยี่ยมบ้าน", "นักเรียนที่ได้รับการเยี่ยมบ้าน", ALL_STUDENTS),
            count("จำนวนนักเรียนกลุ่มเสี่ยงที่ได้รับการช่วยเหลือ", "คน"),
        ),
        schools_report=True,
    ),
    ProjectTemplate(
        "โครงการเพิ่มโอกาสทางการศึกษาสำหรับเด็กด้อยโอกาสและเด็กพิการเรียนร่วม",
        "PROMO",
        (2,),
        (
            pct(
                "ร้อยละของนักเรียนด้อยโอกาสที่ได้รับทุนการศึกษา",
                "นักเรียนด้อยโอกาสที่ได้รับทุน",
                "นักเรียนด้อยโอกาสทั้งหมด",
            ),
            count("จำนวนนักเรียนพิการเรียนร่วมที่ได้รับสื่อและสิ่งอำนวยความสะดวก", "คน"),
            yes("นักเรียนพิการเรียนร่วมมีแผนการจัดการศึกษาเฉพาะบุคคล (IEP) ครบทุกคน"),
        ),
        schools_report=True,
    ),
    ProjectTemplate(
        "โครงการพัฒนาหลักสูตรและการจัดการเรียนรู้ฐานสมรรถนะ",
        "SUPV",
        (3,),
        (
            pct("ร้อยละของสถานศึกษาที่ใช้หลักสูตรฐานสมรรถนะ", "สถานศึกษาที่ใช้หลักสูตร", ALL_SCHOOLS),
            level("ระดับคุณภาพการจัดการเรียนรู้เชิงรุก (Active Learning)"),
            stock("จำนวนครูที่จัดการเรียนรู้เชิงรุก", "คน"),
        ),
        schools_report=True,
    ),
    ProjectTemplate(
        "โครงการประกันคุณภาพการศึกษาภายในสถานศึกษา",
        "SUPV",
        (3,),
        (
            pct(
                "ร้อยละของสถานศึกษาที่มีผลการประเมินคุณภาพภายในระดับดีขึ้นไป",
                "สถานศึกษาที่มีผลระดับดีขึ้นไป",
                ALL_SCHOOLS,
            ),
            yes("สถานศึกษาจัดส่งรายงานการประเมินตนเอง (SAR) ตามกำหนด"),
            level("ระดับคุณภาพมาตรฐานที่ 1 คุณภาพของผู้เรียน"),
        ),
        schools_report=True,
    ),
    ProjectTemplate(
        "โครงการส่งเสริมการจัดการเรียนรู้วิทยาการคำนวณและโค้ดดิง",
        "ICT",
        (3,),
        (
            pct(
                "ร้อยละของนักเรียนที่ผ่านการประเมินทักษะวิทยาการคำนวณ",
                "นักเรียนที่ผ่านการประเมิน",
                "นักเรียนที่เข้ารับการประเมิน",
            ),
            count("จำนวนครูที่ผ่านการอบรมการจัดการเรียนรู้โค้ดดิง", "คน"),
            stock("จำนวนสถานศึกษาที่จัดการเรียนรู้โค้ดดิงครบทุกระดับชั้น", SCHOOLS),
        ),
    ),
    ProjectTemplate(
        "โครงการพัฒนาทักษะภาษาอังกฤษเพื่อการสื่อสาร",
        "SUPV",
        (3,),
        (
            pct(
                "ร้อยละของนักเรียนที่มีผลการทดสอบภาษาอังกฤษระดับ A2 ขึ้นไป",
                "นักเรียนที่มีผลระดับ A2 ขึ้นไป",
                "นักเรียนที่เข้ารับการทดสอบ",
            ),
            count("จำนวนนักเรียนที่เข้าร่วมค่ายภาษาอังกฤษ", "คน"),
            level("ระดับความสามารถในการสื่อสารภาษาอังกฤษของนักเรียน"),
        ),
    ),
    ProjectTemplate(
        "โครงการส่งเสริมคุณธรรม จริยธรรม และค่านิยมที่พึงประสงค์",
        "PROMO",
        (3,),
        (
            pct("ร้อยละของนักเรียนที่มีคุณลักษณะอันพึงประสงค์ระดับดีขึ้นไป", "นักเรียนที่มีผลระดับดีขึ้นไป", ALL_STUDENTS),
            stock("จำนวนโรงเรียนคุณธรรมที่ผ่านการประเมิน", SCHOOLS),
            yes("มีเครือข่ายโรงเรียนคุณธรรมระดับเขตพื้นที่การศึกษา"),
        ),
    ),
    ProjectTemplate(
        "โครงการพัฒนาครูและบุคลากรทางการศึกษาสู่ความเป็นมืออาชีพ",
        "TDEV",
        (4,),
        (
            count("จำนวนครูที่ได้รับการพัฒนาตามแผนพัฒนาตนเอง (ID Plan)", "คน"),
            pct(
                "ร้อยละของครูที่นำความรู้จากการพัฒนาไปใช้ในการจัดการเรียนรู้",
                "ครูที่นำความรู้ไปใช้",
                "ครูที่ได้รับการพัฒนา",
            ),
            mean("ระดับความพึงพอใจเฉลี่ยของผู้เข้ารับการพัฒนา", "คะแนน", 5),
        ),
        activities=_TEACHER_ACTIVITIES,
    ),
    ProjectTemplate(
        "โครงการประเมินวิทยฐานะและข้อตกลงในการพัฒนางาน (PA)",
        "HR",
        (4,),
        (
            count("จำนวนข้าราชการครูที่ได้รับการประเมินตามข้อตกลงในการพัฒนางาน", "คน"),
            pct(
                "ร้อยละของคำขอมีวิทยฐานะที่พิจารณาแล้วเสร็จภายในเวลาที่กำหนด",
                "คำขอที่พิจารณาแล้วเสร็จ",
                "คำขอทั้งหมด",
            ),
            mean("ระดับความพึงพอใจของผู้รับบริการงานบุคคล", "คะแนน", 5),
        ),
    ),
    ProjectTemplate(
        "โครงการสรรหาและบรรจุแต่งตั้งข้าราชการครูให้ครบตามเกณฑ์",
        "HR",
        (2, 4),
        (
            pct("ร้อยละของอัตราว่างที่ได้รับการบรรจุแต่งตั้ง", "อัตราว่างที่บรรจุแล้ว", "อัตราว่างทั้งหมด"),
            stock("จำนวนโรงเรียนที่มีครูครบตามเกณฑ์", SCHOOLS),
        ),
    ),
    ProjectTemplate(
        "โครงการพัฒนาระบบบริหารจัดการด้วยเทคโนโลยีดิจิทัล",
        "ICT",
        (5,),
        (
            yes("มีระบบสารสนเทศเพื่อการบริหารที่เชื่อมโยงข้อมูลกับสถานศึกษา"),
            pct(
                "ร้อยละของสถานศึกษาที่รายงานข้อมูลผ่านระบบครบถ้วนตามกำหนด",
                "สถานศึกษาที่รายงานครบถ้วน",
                ALL_SCHOOLS,
            ),
            level("ระดับความพร้อมด้านดิจิทัลของสำนักงานเขตพื้นที่การศึกษา"),
        ),
        also=("PLAN",),
        activities=_DIGITAL_ACTIVITIES,
    ),
    ProjectTemplate(
        "โครงการจัดทำแผนปฏิบัติการและติดตามประเมินผลการดำเนินงาน",
        "PLAN",
        (5,),
        (
            yes("มีแผนปฏิบัติการประจำปีที่ผ่านความเห็นชอบของคณะกรรมการเขตพื้นที่การศึกษา"),
            pct("ร้อยละของโครงการที่ดำเนินการได้ตามแผน", "โครงการที่ดำเนินการตามแผน", "โครงการทั้งหมด"),
            count("จำนวนรายงานผลการติดตามที่จัดทำ", "ฉบับ"),
        ),
    ),
    ProjectTemplate(
        "โครงการประเมินผลกลยุทธ์และรายงานผลการดำเนินงานประจำปี",
        "PLAN",
        (5,),
        (
            yes("มีรายงานผลการดำเนินงานประจำปีเสนอคณะกรรมการเขตพื้นที่การศึกษา"),
            level("ระดับผลการประเมินการดำเนินงานตามกรอบการประเมินของ สพฐ."),
        ),
        also=("SUPV",),
    ),
    ProjectTemplate(
        "โครงการบริหารงบประมาณอย่างมีประสิทธิภาพ",
        "FIN",
        (5,),
        (
            pct("ร้อยละการเบิกจ่ายงบประมาณตามเป้าหมาย", "งบประมาณที่เบิกจ่าย", "งบประมาณที่ได้รับจัดสรร"),
            pct(
                "ร้อยละของรายการเบิกจ่ายที่ตรวจพบข้อผิดพลาด",
                "รายการที่พบข้อผิดพลาด",
                "รายการเบิกจ่ายทั้งหมด",
                lower=True,
            ),
            yes("มีรายงานการเงินและงบการเงินส่งตามกำหนด"),
        ),
    ),
    ProjectTemplate(
        "โครงการตรวจสอบภายในและการควบคุมภายใน",
        "AUDIT",
        (5,),
        (
            count("จำนวนหน่วยรับตรวจที่ได้รับการตรวจสอบ", "หน่วยงาน"),
            yes("มีรายงานผลการประเมินการควบคุมภายในตามกำหนด"),
            pct("ร้อยละของข้อตรวจพบที่ได้รับการแก้ไข", "ข้อตรวจพบที่แก้ไขแล้ว", "ข้อตรวจพบทั้งหมด"),
        ),
    ),
    ProjectTemplate(
        "โครงการส่งเสริมคุณธรรมและความโปร่งใสในการดำเนินงาน (ITA)",
        "ADM",
        (5,),
        (
            mean("คะแนนผลการประเมินคุณธรรมและความโปร่งใส (ITA)", "คะแนน", 100),
            level("ระดับผลการประเมินคุณธรรมและความโปร่งใส"),
        ),
        also=("LAW",),
    ),
    ProjectTemplate(
        "โครงการนิเทศ ติดตามการจัดการเรียนการสอนในสถานศึกษา",
        "SUPV",
        (3,),
        (
            pct(
                "ร้อยละของสถานศึกษาที่ได้รับการนิเทศอย่างน้อยภาคเรียนละ 1 ครั้ง",
                "สถานศึกษาที่ได้รับการนิเทศ",
                ALL_SCHOOLS,
            ),
            count("จำนวนครั้งของการนิเทศ ติดตาม", "ครั้ง"),
            mean("ระดับความพึงพอใจของสถานศึกษาต่อการนิเทศ", "คะแนน", 5),
        ),
    ),
    ProjectTemplate(
        "โครงการส่งเสริมการแนะแนวและการศึกษาต่อสายอาชีพ (ทวิศึกษา)",
        "PROMO",
        (2,),
        (
            pct("ร้อยละของนักเรียนที่ได้รับการแนะแนวการศึกษาต่อ", "นักเรียนที่ได้รับการแนะแนว", ALL_STUDENTS),
            count("จำนวนนักเรียนที่เรียนในหลักสูตรทวิศึกษา", "คน"),
            stock("จำนวนสถานศึกษาที่จัดหลักสูตรทวิศึกษา", SCHOOLS),
        ),
    ),
    ProjectTemplate(
        "โครงการพัฒนาอาคารสถานที่และสภาพแวดล้อมให้เอื้อต่อการเรียนรู้",
        "FIN",
        (1,),
        (
            count("จำนวนอาคารเรียนที่ได้รับการซ่อมแซม", "หลัง"),
            yes("มีแผนการใช้และบำรุงรักษาอาคารสถานที่"),
            pct("ร้อยละของสถานศึกษาที่มีน้ำดื่มสะอาดและห้องน้ำได้มาตรฐาน", "สถานศึกษาที่ได้มาตรฐาน", ALL_SCHOOLS),
        ),
    ),
    ProjectTemplate(
        "โครงการขับเคลื่อนสถานศึกษาพอเพียงและการศึกษาเพื่อการพัฒนาที่ยั่งยืน",
        "PROMO",
        (3,),
        (
            stock("จำนวนสถานศึกษาพอเพียงที่ผ่านการประเมิน", SCHOOLS),
            yes("มีเครือข่ายสถานศึกษาพอเพียงระดับเขตพื้นที่การศึกษา"),
        ),
    ),
)
