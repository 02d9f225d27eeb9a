"""How long generating the national set-up takes, and how much memory it needs.

Run from the repository root:

    python -m bench.setup_scale                     # 245 offices x 122 schools (~30,000)
    python -m bench.setup_scale --offices 20        # a smaller try

It generates one office (its time the mean of 20 runs), then the nation office by office
as `samples.generate_nation` yields them, keeping only counts, and prints entities
generated, seconds, entities per second, peak traced memory (tracemalloc) and the ratios
to one office. Time and memory are measured in separate passes, because tracing slows
allocation. It only prints.
"""

import argparse
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from samples.office import SampleOffice, generate_nation, generate_office


@dataclass
class Figures:
    entities: int
    schools: int
    seconds: float
    peak_bytes: int

    @property
    def rate(self) -> float:
        return self.entities / self.seconds if self.seconds else 0.0


def _consume(offices: Iterator[SampleOffice]) -> tuple[int, int]:
    """Count entities and schools, dropping each office once counted."""
    entities = schools = 0
    for office in offices:
        entities += len(office.all_entities())
        schools += len(office.schools)
    return entities, schools


def measure(make: Callable[[], Iterator[SampleOffice]], repeat: int = 1) -> Figures:
    """Time `repeat` runs (reporting the mean), then trace the memory of one more."""
    started = time.perf_counter()
    for _ in range(repeat):
        entities, schools = _consume(make())
    seconds = (time.perf_counter() - started) / repeat
    tracemalloc.start()
    try:
        _consume(make())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Figures(entities, schools, seconds, peak)


def _row(label: str, figures: Figures, base: Figures | None) -> str:
    text = (
        f"{label:<12}{figures.entities:>10,} entities {figures.schools:>8,} schools "
        f"{figures.seconds:>8.3f} s {figures.rate:>10,.0f}/s "
        f"{figures.peak_bytes / 2**20:>8.1f} MiB peak"
    )
    if base is not None:
        text += (
            f"  (x{figures.entities / base.entities:.0f} entities, "
            f"x{figures.seconds / base.seconds:.0f} time, "
            f"x{figures.peak_bytes / base.peak_bytes:.1f} memory)"
        )
    return text


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.setup_scale",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--offices", type=int, default=245)
    parser.add_argument("--schools-per-office", type=int, default=122)
    parser.add_argument("--seed", type=int, default=2570)
    args = parser.parse_args()
    size, seed = args.schools_per_office, args.seed
    one = measure(lambda: iter([generate_office(seed=seed, schools=size)]), repeat=20)
    nation = measure(lambda: generate_nation(args.offices, size, seed))
    print(_row("1 office", one, None))
    print(_row(f"{args.offices} offices", nation, one))


if __name__ == "__main__":
    main()
