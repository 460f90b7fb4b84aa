"""Time `reflect trends` and `reflect calendar` on synthetic journals of 10 and 100 years.

Run by hand: python bench/trends.py [--days 3650 36500] [--runs 5] [--out bench/out]

Each journal is written once by bench/generate.py (deterministic) and kept
under --out for the next run. Every command runs as its own process, as a
person would run it; the wall time and the peak memory (maximum resident set
size) are the child's own, read with os.wait4. "first" is the first run
after the cache of parsed entries was removed; the median is over the runs
that follow it.
"""

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from generate import generate
from reflect.journal.home import Home

END = dt.date(2026, 11, 26)


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident megabytes of one run of the command."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        assert child.stderr is not None
        raise SystemExit(f"{' '.join(command)} failed: {child.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024  # Linux reports kilobytes


def journal(out: Path, days: int) -> Home:
    home = Home(out / f"journal-{days}")
    if not (home.root / ".complete").exists():
        if home.root.exists():
            shutil.rmtree(home.root)
        started = time.perf_counter()
        count = generate(home, days, END, seed=1)
        (home.root / ".complete").write_text(f"{count}\n", encoding="utf-8")
        print(f"wrote {count} entries over {days} days in {time.perf_counter() - started:.1f}s")
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, nargs="+", default=[3650, 36500])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    reflect = [sys.executable, "-m", "reflect"]
    print(f"{'days':>6}  {'command':<44} {'first':>7} {'median':>7} {'peak MB':>8}")
    for days in args.days:
        home = journal(args.out, days)
        env = {**os.environ, "REFLECT_HOME": str(home.root), "COLUMNS": "120"}
        first = (END - dt.timedelta(days=days - 1)).isoformat()
        whole = ["--since", first, "--until", END.isoformat()]
        cases = {
            "trends (the last four weeks)": ["trends", "--until", END.isoformat()],
            "trends, the whole journal by month": ["trends", *whole],
            "trends, the whole journal by month, --json": ["trends", *whole, "--json"],
            f"calendar --year {END.year}": ["calendar", "--year", str(END.year)],
        }
        for name, command in cases.items():
            shutil.rmtree(home.root / ".cache", ignore_errors=True)
            cold, cold_peak = measure([*reflect, *command], env)
            runs = [measure([*reflect, *command], env) for _ in range(args.runs)]
            median = statistics.median(wall for wall, _ in runs)
            peak = max([cold_peak, *(mb for _, mb in runs)])
            print(f"{days:>6}  {name:<44} {cold:>6.2f}s {median:>6.2f}s {peak:>8.0f}")


if __name__ == "__main__":
    main()
