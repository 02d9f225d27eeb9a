"""Placeholder scoring until evaluation frameworks land: a score from reporting alone.

The five-level scale and its thresholds are data, as every scale will be.
"""

from collections.abc import Sequence

# (lowest score of the level, level) from the top; Thai school quality's five levels.
FIVE_LEVELS: Sequence[tuple[int, str]] = (
    (90, "ยอดเยี่ยม"),
    (75, "ดีเลิศ"),
    (60, "ดี"),
    (40, "ปานกลาง"),
    (0, "กำลังพัฒนา"),
)


def placeholder_score(received: int, rejected: int, late: int) -> int:
    """Reported at all scores 60; each late or rejected attempt costs 10; floor 0, cap 100."""
    if received == 0:
        return 0
    return max(0, min(100, 60 + 10 * (received - 1) - 10 * (late + rejected)))


def level_of(score: int, scale: Sequence[tuple[int, str]] = FIVE_LEVELS) -> str:
    for lowest, level in scale:
        if score >= lowest:
            return level
    return scale[-1][1]
