"""Laksaman with a SARA AA of its own for SARA AM, so that text copied from the PDF keeps ำ.

HarfBuzz's Thai shaper splits ำ into NIKHAHIT + SARA AA, and a PDF's ToUnicode map gives
each glyph one text (WeasyPrint: the text of its cluster, the first time it draws the
glyph), so with one SARA AA glyph for both, า and ำ read back as each other. The derived
font adds a copy of SARA AA that the font's own `ccmp` feature substitutes after NIKHAHIT
(directly, or with a tone mark between): same outline and advance, another glyph id, so
า and ำ each keep their own text. The copy is made once from Debian's Laksaman with
fontTools (WeasyPrint's own dependency) into the temporary directory, keyed by the
source's hash; if anything fails, the system's Laksaman is used as before.

Measured: "ดำเนินงาน สำนักงาน คำแนะนำ งาน" copies back exactly (before: "ดำเนินงำน
สำนักงำน"); a tone mark that shares the ำ's cluster (น้ำ, ค่ำ) can still come back
without its tone mark, as before.
"""

import copy
import hashlib
import logging
import os
import tempfile
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

LOGGER = logging.getLogger(__name__)
FAMILY = "Tidtam Laksaman"
_SOURCES = {"normal": "Laksaman.ttf", "bold": "Laksaman-Bold.ttf"}
_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
_TONES = ("uni0E48", "uni0E49", "uni0E4A", "uni0E4B")


def _coverage(glyphs: list[str]) -> otTables.Coverage:
    coverage = otTables.Coverage()
    coverage.glyphs = glyphs
    return coverage


def _chain(backtrack: list[list[str]], aa: str, lookup: int) -> otTables.ChainContextSubst:
    rule = otTables.ChainContextSubst()
    rule.Format = 3
    rule.BacktrackCoverage = [_coverage(g) for g in backtrack]
    rule.BacktrackGlyphCount = len(backtrack)
    rule.InputCoverage = [_coverage([aa])]
    rule.InputGlyphCount = 1
    rule.LookAheadCoverage = []
    rule.LookAheadGlyphCount = 0
    record = otTables.SubstLookupRecord()
    record.SequenceIndex, record.LookupListIndex = 0, lookup
    rule.SubstLookupRecord = [record]
    rule.SubstCount = 1
    return rule


def _lookup(kind: int, subtables: list[object]) -> otTables.Lookup:
    lookup = otTables.Lookup()
    lookup.LookupType, lookup.LookupFlag = kind, 0
    lookup.SubTable, lookup.SubTableCount = subtables, len(subtables)
    return lookup


def derive(source: Path, target: Path) -> None:
    """Write `source` with a SARA AA for SARA AM to `target`."""
    font = TTFont(source)
    cmap = font.getBestCmap()
    aa, nikhahit = cmap[0x0E32], cmap[0x0E4D]
    copy_of_aa = f"{aa}.am"
    order = font.getGlyphOrder()
    font["glyf"].glyphs[copy_of_aa] = copy.deepcopy(font["glyf"][aa])
    font["hmtx"].metrics[copy_of_aa] = font["hmtx"].metrics[aa]
    font.setGlyphOrder([*order, copy_of_aa])
    if "GDEF" in font and font["GDEF"].table.GlyphClassDef is not None:
        classes = font["GDEF"].table.GlyphClassDef.classDefs
        if aa in classes:
            classes[copy_of_aa] = classes[aa]
    gsub = font["GSUB"].table
    lookups = gsub.LookupList.Lookup
    single = otTables.SingleSubst()
    single.mapping = {aa: copy_of_aa}
    lookups.append(_lookup(1, [single]))
    tones = sorted((g for g in order if g.split(".")[0] in _TONES), key=font.getGlyphID)
    rules = [_chain([[nikhahit]], aa, len(lookups) - 1)]
    rules.append(_chain([tones, [nikhahit]], aa, len(lookups) - 1))
    lookups.append(_lookup(6, rules))
    gsub.LookupList.LookupCount = len(lookups)
    features = [f for f in gsub.FeatureList.FeatureRecord if f.FeatureTag == "ccmp"]
    if not features:
        raise ValueError(f"{source} has no ccmp feature")
    for record in features:
        record.Feature.LookupListIndex.append(len(lookups) - 1)
        record.Feature.LookupCount += 1
    partial = target.with_suffix(f".{os.getpid()}.part")
    font.save(partial)
    partial.replace(target)  # whole or not at all, with other processes deriving too


def _system_font(name: str) -> Path | None:
    for folder in _FONT_DIRS:
        if folder.is_dir():
            found = sorted(folder.rglob(name))
            if found:
                return found[0]
    return None


def _derived(name: str) -> Path | None:
    source = _system_font(name)
    if source is None:
        return None
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / "tidtam-fonts" / f"{source.stem}-am-{digest}.ttf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        derive(source, target)
    return target


@cache
def font_faces() -> str:
    """@font-face rules for `FAMILY` (regular and bold); empty when they cannot be made."""
    rules = []
    try:
        for weight, name in _SOURCES.items():
            path = _derived(name)
            if path is not None:
                rules.append(
                    f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight};'
                    f' src: url("{path.as_uri()}"); }}'
                )
    except Exception:  # the system's Laksaman still prints right; only copying suffers
        LOGGER.exception("could not derive Laksaman for SARA AM; using the system's")
        return ""
    return "\n".join(rules)
