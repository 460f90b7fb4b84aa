"""Time trends and search on the same 10-year journal, plain and encrypted with age.

Run by hand: python bench/encrypted.py [--days 3650] [--runs 5] [--out bench/out]
[--data DIR]: `--data` copies an existing journal home (e.g. the shared
10-year one) into --out instead of generating one; the original is never touched.

The journal is written once by bench/generate.py (deterministic); a copy is
encrypted with `reflect encrypt --identity` (a generated age identity, so the
timings hold the work of reading the files and not a passphrase's scrypt,
which costs the same fixed second or so per command on any journal; that is
measured on its own at the end). "cold" is the first run after the cache of
parsed entries was removed, "warm" the median of the runs that follow.
Every command runs as its own process, as a person would run it. Each run is
timed twice: CPU seconds (the child's and its worker processes'), which a
shared machine's neighbours barely move, and wall seconds, what a person
waits for. Plain and encrypted runs alternate, so a neighbour's load falls on
both alike; "cold" is then the median of `--runs` first runs too. The load
average is printed with the table.
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
NOT_KEPT = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")


def seconds(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The CPU seconds (user and system, the child's and its workers') and the wall seconds
    of one run.

    On a shared machine the wall clock measures the neighbours as much as
    reflect; CPU time barely does, but misses what two processes save.
    """
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        assert child.stderr is not None
        raise SystemExit(f"{' '.join(command)} failed: {child.stderr.read().decode()}")
    return usage.ru_utime + usage.ru_stime, wall


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def journals(out: Path, days: int, data: Path | None = None) -> tuple[Home, Home, Path]:
    name = f"copy-{days}" if data else str(days)
    plain = Home(out / f"plain-{name}")
    sealed = Home(out / f"encrypted-{name}")
    identity = out / "bench-identity.txt"
    if not (sealed.root / ".complete").exists():
        for home in (plain, sealed):
            shutil.rmtree(home.root, ignore_errors=True)
        if data is not None:
            shutil.copytree(data, plain.root, ignore=shutil.ignore_patterns(".cache"))
        else:
            generate(plain, days, END, seed=1)
        shutil.copytree(plain.root, sealed.root)
        import pyrage

        key = pyrage.x25519.Identity.generate()
        identity.write_text(f"{key}\n", encoding="utf-8")
        env = {**os.environ, "REFLECT_HOME": str(sealed.root)}
        subprocess.run(
            [sys.executable, "-m", "reflect", "encrypt", "--identity", str(identity)],
            env=env,
            check=True,
            capture_output=True,
        )
        (sealed.root / ".complete").write_text("done\n", encoding="utf-8")
    return plain, sealed, identity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--data", type=Path, default=None, help="a journal home to copy")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    plain, sealed, _ = journals(args.out, args.days, args.data)
    reflect = [sys.executable, "-m", "reflect"]
    first = (END - dt.timedelta(days=args.days - 1)).isoformat()
    cases = {
        "trends, the whole journal": ["trends", "--since", first, "--until", END.isoformat()],
        "trends, the last four weeks": ["trends", "--until", END.isoformat()],
        "search a word in every day": ["search", "team"],
    }
    print(f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print(f"{'command':<30} {'':>9} {'cold cpu':>9} {'wall':>7} {'warm cpu':>9} {'wall':>7}")
    homes = {"plain": plain, "encrypted": sealed}
    # As a person's shell runs it: compiled modules kept, output buffered.
    kept = {k: v for k, v in os.environ.items() if k not in NOT_KEPT}
    envs = {
        label: {**kept, "REFLECT_HOME": str(home.root), "COLUMNS": "120"}
        for label, home in homes.items()
    }
    for name, command in cases.items():
        cold: dict[str, list[tuple[float, float]]] = {label: [] for label in homes}
        warm: dict[str, list[tuple[float, float]]] = {label: [] for label in homes}
        for _ in range(args.runs):
            for label, home in homes.items():
                shutil.rmtree(home.root / ".cache", ignore_errors=True)
                cold[label].append(seconds([*reflect, *command], envs[label]))
        for label in homes:
            # A cold search reads the files as text and leaves the index empty: a
            # question's history, which reads every day, fills it for the warm runs.
            seconds([*reflect, "history", "daily/mood"], envs[label])
        for _ in range(args.runs):
            for label in homes:
                warm[label].append(seconds([*reflect, *command], envs[label]))
        row = {label: (*medians(cold[label]), *medians(warm[label])) for label in homes}
        for label, (c_cpu, c_wall, w_cpu, w_wall) in row.items():
            print(
                f"{name if label == 'plain' else '':<30} {label:>9} "
                f"{c_cpu:>8.2f}s {c_wall:>6.2f}s {w_cpu:>8.2f}s {w_wall:>6.2f}s"
            )
        ratio = [row["encrypted"][i] / row["plain"][i] for i in range(4)]
        print(
            f"{'':<30} {'ratio':>9} {ratio[0]:>8.2f}x {ratio[1]:>6.2f}x "
            f"{ratio[2]:>8.2f}x {ratio[3]:>6.2f}x"
        )
    print(f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    scratch = args.out / "passphrase-home"
    shutil.rmtree(scratch, ignore_errors=True)
    env = {**os.environ, "REFLECT_HOME": str(scratch), "REFLECT_PASSPHRASE": "bench passphrase"}
    subprocess.run([*reflect, "write", "One line."], env=env, check=True, capture_output=True)
    unlocked = medians([seconds([*reflect, "log"], env) for _ in range(3)])[0]
    subprocess.run([*reflect, "encrypt"], env=env, check=True, capture_output=True)
    locked = medians([seconds([*reflect, "log"], env) for _ in range(3)])[0]
    print(
        f"`reflect log` on a one-day journal: plain {unlocked:.2f}s, "
        f"with a passphrase {locked:.2f}s CPU (its scrypt, once per command)"
    )


if __name__ == "__main__":
    main()
