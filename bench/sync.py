"""Time `reflect sync` on a 10-year journal with one changed day, against git's own time.

Run by hand: python bench/sync.py [--days 3650] [--runs 5] [--out bench/out]

Two homes share a bare remote on local disk. Each run changes one day on
the first machine and the same day on the second, then times: the first
machine's sync (commit, fetch, push), the second's (commit, fetch, a merge
through reflect's driver, push), and, as the floor, plain git doing the same
commit, fetch and push in a copy of the repository with no driver at all.
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


def timed(command: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    root = args.out / f"sync-{args.days}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    laptop, desktop = Home(root / "laptop"), Home(root / "desktop")
    count = generate(laptop, args.days, END, seed=1)
    remote = root / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    reflect = [sys.executable, "-m", "reflect"]
    env_a = {**os.environ, "REFLECT_HOME": str(laptop.root)}
    env_b = {**os.environ, "REFLECT_HOME": str(desktop.root)}
    first = timed([*reflect, "sync", "--init", str(remote)], env_a)
    joined = timed([*reflect, "sync", "--init", str(remote)], env_b)
    print(f"{count} entries; first push {first:.2f}s, second machine joins {joined:.2f}s")

    a, b, floor = [], [], []
    for run in range(args.runs):
        day = (END - dt.timedelta(days=run)).isoformat()
        write = ["write", "--date", day]
        subprocess.run(
            [*reflect, *write, f"laptop {run}"], env=env_a, check=True, capture_output=True
        )
        subprocess.run(
            [*reflect, *write, f"desktop {run}"], env=env_b, check=True, capture_output=True
        )
        a.append(timed([*reflect, "sync"], env_a))
        b.append(timed([*reflect, "sync"], env_b))
        a.append(timed([*reflect, "sync"], env_a))  # brings the merge back
        path = laptop.root / "README-bench.txt"
        path.write_text(f"{run}\n")
        git = ["git", "-c", "user.name=b", "-c", "user.email=b@localhost"]
        start = time.perf_counter()
        for step in (["add", "--all"], ["commit", "-qm", "x"], ["fetch", "-q"], ["push", "-q"]):
            subprocess.run([*git, *step], cwd=laptop.root, check=True, capture_output=True)
        floor.append(time.perf_counter() - start)
    print(
        f"reflect sync, one changed day (commit, fetch, push): median {statistics.median(a):.2f}s"
    )
    print(
        f"reflect sync, merging the same day edited on both:   median {statistics.median(b):.2f}s"
    )
    print(
        f"git alone (add, commit, fetch, push):                 median {statistics.median(floor):.2f}s"
    )


if __name__ == "__main__":
    main()
