"""Measure reflect against jrnl on the same synthetic journals and print the ratios to the targets.

    python bench/compare.py [--data DIR] [--years 1 10 100] [--runs 3] [--jrnl-100]

Installs jrnl into DIR/jrnl-venv (`pip install jrnl`) and writes the journals
into DIR/<N>y/ with bench/generate.py (reflect's files and a jrnl journal of
the same days) the first time; both stay there for the next run, so keep DIR
outside the repository. Every command runs as its own process, as a person
runs it, with its output thrown away; times are the median of --runs runs and
memory the largest resident set of any run; a fixed window's two journals
(1 and 100 years) take their runs in turn, at least 9 each, since their
ratio is what is judged. The search targets are judged on the longest
journal, each judged row's runs taken in turn with its yardstick's (five
of each); the shorter ones show the growth. The quick note and today's quick
answer take their runs in turn with jrnl's one write (five of each). With --cpu a time is the CPU time
(user and system) of the command and the processes it waited for, which a
loaded machine moves far less than wall time. jrnl's search of a common word
over 100 years (about 20 s) runs once; its export of 100 years (over a minute
and a half, and no target) only with --jrnl-100.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
END = "2026-11-26"
JRNL_CONFIG = """\
colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.6
"""
FLOOR = """\
import os, sys
root, word = sys.argv[1], sys.argv[2]
for year in sorted(os.listdir(root)):
    for name in sorted(os.listdir(os.path.join(root, year))):
        with open(os.path.join(root, year, name), encoding="utf-8") as f:
            if word in f.read().lower():
                pass
"""

NOT_KEPT = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")


@dataclass
class Measure:
    seconds: float
    peak_mb: float


CPU = False  # --cpu: CPU seconds instead of wall seconds


def run(
    command: Sequence[str],
    env: dict[str, str],
    runs: int,
    before: Callable[[], None] | None = None,
) -> Measure:
    """Median time (wall, or CPU with --cpu) and largest peak memory of `runs` runs of a command."""
    times: list[float] = []
    peak = 0
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        assert process.stderr is not None
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        times.append(usage.ru_utime + usage.ru_stime if CPU else wall)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {errors.decode(errors='replace')}")
        peak = max(peak, usage.ru_maxrss)
    return Measure(statistics.median(times), peak / 1024)


class Bench:
    def __init__(self, data: Path, runs: int) -> None:
        self.data = data
        self.runs = runs
        bin_dir = Path(sys.executable).parent
        script = bin_dir / "reflect"
        self.reflect = [str(script)] if script.exists() else [sys.executable, "-m", "reflect"]
        self.jrnl = [str(self.install_jrnl())]
        self.rows: list[tuple[str, str, str, str, str, str]] = []

    def install_jrnl(self) -> Path:
        venv = self.data / "jrnl-venv"
        jrnl = venv / "bin" / "jrnl"
        if not jrnl.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "jrnl"], check=True)
        return jrnl

    def journal(self, years: int) -> Path:
        folder = self.data / f"{years}y"
        if not (folder / "jrnl.txt").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(folder / "reflect"),
                 "--days", str(365 * years), "--end", END, "--jrnl", str(folder / "jrnl.txt")],
                check=True,
            )  # fmt: skip
        config = folder / "jrnl.yaml"
        config.write_text(JRNL_CONFIG.format(journal=folder / "jrnl.txt"), encoding="utf-8")
        return folder

    def env(self, home: Path) -> dict[str, str]:
        # As a person's shell runs it: Python's compiled modules kept, its output buffered
        # (either left off would time Python compiling reflect, or a write per line).
        kept = {k: v for k, v in os.environ.items() if k not in NOT_KEPT}
        return {**kept, "REFLECT_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"}

    def r(
        self,
        folder: Path,
        *args: str,
        before: Callable[[], None] | None = None,
        runs: int | None = None,
    ) -> Measure:
        command = [*self.reflect, *args]
        return run(command, self.env(folder / "reflect"), runs or self.runs, before)

    def interleaved(
        self, first: Path, second: Path, args: Sequence[str], runs: int
    ) -> tuple[Measure, Measure]:
        """One command on two journals, their runs taken in turn: a change in the machine's
        load during the series then falls on both, not on whichever ran last."""
        return in_turn(
            lambda: self.r(first, *args, runs=1), lambda: self.r(second, *args, runs=1), runs
        )

    def j(self, folder: Path, *args: str, runs: int | None = None) -> Measure:
        command = [*self.jrnl, "--config-file", str(folder / "jrnl.yaml"), *args]
        return run(command, self.env(folder / "reflect"), runs or self.runs)

    def row(
        self,
        what: str,
        size: str,
        ours: float,
        other: str,
        ratio: str,
        verdict: str,
        unit: str = "s",
    ) -> None:
        self.rows.append((what, size, f"{ours:.3f} {unit}", other, ratio, verdict))
        print(
            f"{what:<44} {size:>5} {ours:8.3f} {unit:<2} {other:>12} {ratio:>8}  {verdict}",
            flush=True,
        )

    def against(
        self,
        what: str,
        size: str,
        ours: Measure,
        theirs: Measure,
        target: float,
        name: str,
        judged: bool = True,
    ) -> None:
        ratio = ours.seconds / theirs.seconds
        if judged:
            verdict = f"{'ok' if ratio <= target else 'MISSED'} (<= {target:g} x {name})"
        else:
            verdict = f"(the target, <= {target:g} x {name}, is at the longest journal)"
        self.row(what, size, ours.seconds, f"{theirs.seconds:.3f} s", f"{ratio:.2f} x", verdict)


def in_turn(
    first: Callable[[], Measure], second: Callable[[], Measure], runs: int
) -> tuple[Measure, Measure]:
    """Two measures taken in turn, `runs` times each: a change in the machine's load during
    the series falls on both sides of a ratio, not on whichever side ran last."""
    ones: list[Measure] = []
    others: list[Measure] = []
    for _ in range(runs):
        ones.append(first())
        others.append(second())
    return combined(ones), combined(others)


def combined(measures: Sequence[Measure]) -> Measure:
    """Single runs as `run` sums up its own: the median time, the largest peak."""
    return Measure(statistics.median(m.seconds for m in measures), max(m.peak_mb for m in measures))


def uncache(folder: Path) -> Callable[[], None]:
    def remove() -> None:
        shutil.rmtree(folder / "reflect" / ".cache", ignore_errors=True)

    return remove


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/bench-data"))
    parser.add_argument("--years", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jrnl-100", action="store_true", help="also time jrnl's slow commands")
    parser.add_argument("--cpu", action="store_true", help="CPU seconds instead of wall seconds")
    args = parser.parse_args()
    global CPU
    CPU = args.cpu
    # Commands run as people run them, with Python's bytecode cache: a shell that turns it
    # off makes every start-up compile reflect's sources again (about 0.2 s of CPU).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    bench = Bench(args.data, args.runs)
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("times are CPU seconds (user + system)" if CPU else "times are wall seconds")
    folders = {years: bench.journal(years) for years in args.years}
    biggest = folders[max(folders)]
    small = folders[min(folders)]
    ten = folders.get(10, biggest)

    # -- start-up -------------------------------------------------------------------
    jrnl_help = bench.j(small, "--help", runs=max(5, args.runs))
    bench.row("jrnl --help", "-", jrnl_help.seconds, "", "", "the yardstick")
    python = run([sys.executable, "-c", "pass"], os.environ.copy(), max(5, args.runs))
    bench.row("python -c pass", "-", python.seconds, "", "", "")
    bench.r(ten, "prompt")
    bench.r(ten)
    for label, extra in (("reflect prompt", ["prompt"]), ("reflect (status line)", [])):
        ours = run([*bench.reflect, *extra], bench.env(ten / "reflect"), max(5, args.runs))
        bench.against(label, "10y", ours, jrnl_help, 0.5, "jrnl --help")
    for extra in (
        ["--help"],
        ["search", "--help"],
        ["trends", "--help"],
        ["export", "--help"],
        ["write", "--help"],
        ["history", "--help"],
    ):
        ours = run([*bench.reflect, *extra], bench.env(ten / "reflect"), max(5, args.runs))
        bench.against(f"reflect {' '.join(extra)}", "-", ours, jrnl_help, 1.5, "jrnl --help")

    # -- writing (on copies, so the journals stay as generated) ----------------------
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "10y"
        shutil.copytree(ten, copy)
        (copy / "jrnl.yaml").write_text(
            JRNL_CONFIG.format(journal=copy / "jrnl.txt"), encoding="utf-8"
        )
        jrnl_write = bench.j(copy, "A quick note about the day @bench")
        bench.row("jrnl one write", "10y", jrnl_write.seconds, "", "", "the yardstick")
        for label, extra in (
            ('reflect write "note"', ["write", "A quick note about the day"]),
            ("reflect today --no-input", ["today", "--no-input", "--answer", "daily/mood=3"]),
        ):
            bench.r(copy, *extra, runs=1)  # the day begun, as a second note of the day finds it

            def ours_run(a: list[str] = extra) -> Measure:
                return bench.r(copy, *a, runs=1)

            def jrnl_run() -> Measure:
                return bench.j(copy, "A quick note about the day @bench", runs=1)

            # A few hundredths of a second against a tenth of jrnl's write: each run taken in
            # turn with one of jrnl's, five of each, as the judged searches are (a run whose
            # machine slowed between the yardstick and these once read 0.12 x, 0.05 x the next).
            ours, theirs = in_turn(ours_run, jrnl_run, max(5, args.runs))
            bench.against(label, "10y", ours, theirs, 0.1, "jrnl one write")

    # -- search ---------------------------------------------------------------------
    # The targets are set over 100 years; a shorter journal's rows show the growth. On the
    # longest journal each judged time is taken in turn with its yardstick, five times each
    # (a whole run's two verdicts once differed by one such pair taken a minute apart).
    for years, folder in folders.items():
        size = f"{years}y"
        judged = years == max(folders)
        paired = max(5, args.runs) if judged else args.runs
        floor_command = [
            sys.executable, "-c", FLOOR, str(folder / "reflect" / "entries"), "lighthouse"
        ]  # fmt: skip

        def floor_run(command: list[str] = floor_command) -> Measure:
            return run(command, os.environ.copy(), 1)

        floor = combined([floor_run() for _ in range(args.runs)])
        bench.row("floor: read and search every file", size, floor.seconds, "", "", "")
        for word in ("lighthouse", "credit"):
            # A cold search reads the files as text and leaves the index empty.
            search = ("search", word)

            def cold_run(f: Path = folder, a: tuple[str, ...] = search) -> Measure:
                return bench.r(f, *a, before=uncache(f), runs=1)

            def warm_run(f: Path = folder, a: tuple[str, ...] = search) -> Measure:
                return bench.r(f, *a, runs=1)

            def jrnl_run(f: Path = folder, w: str = word) -> Measure:
                return bench.j(f, "-contains", w, runs=1)

            cold, floor_then = in_turn(cold_run, floor_run, paired)
            bench.against(
                f"search {word}, cold (no index)", size, cold, floor_then, 2, "floor", judged
            )
            # A cold search leaves the index empty; a history, which reads every day, fills it.
            bench.r(folder, "history", "daily/mood", runs=1)
            if years >= 100 and word == "credit":
                # jrnl reads the common word's 100 years in about 20 s: one run of it.
                warm = combined([warm_run() for _ in range(paired)])
                theirs = jrnl_run()
            else:
                warm, theirs = in_turn(warm_run, jrnl_run, paired)
            bench.against(
                f"search {word}, warm", size, warm, theirs, 0.25, "jrnl -contains", judged
            )
        history = bench.r(folder, "history", "daily/mood")
        verdict = "ok" if history.seconds < 0.3 or years < 100 else "MISSED"
        bench.row(
            "history daily/mood, warm",
            size,
            history.seconds,
            "",
            "",
            f"{verdict} (< 0.3 s at 100y)",
        )

    # -- export -----------------------------------------------------------------------
    peaks: dict[int, float] = {}
    for years, folder in folders.items():
        size = f"{years}y"
        start = f"{int(END[:4]) - years}-{END[5:]}"
        ours = bench.r(
            folder, "export", "--from", start, "--to", END, "--format", "json",
            runs=1 if years >= 100 else None,
        )  # fmt: skip
        if years == 10 or (years == 100 and args.jrnl_100):
            theirs = bench.j(folder, "--export", "json", runs=1 if years == 100 else None)
            bench.against(
                "export json, whole journal", size, ours, theirs, 0.5, "jrnl --export json"
            )
        else:
            bench.row("export json, whole journal", size, ours.seconds, "", "", "")
        bench.row("  peak memory of that export", size, ours.peak_mb, "", "", "", unit="MB")
        # The whole export, never the light one (-o names a file: no text is kept for it).
        full = bench.r(
            folder, "export", "--from", start, "--to", END, "--format", "json", "-o", os.devnull,
            runs=1,
        )  # fmt: skip
        bench.row("  peak memory of the full export", size, full.peak_mb, "", "", "", unit="MB")
        peaks[years] = full.peak_mb
    if 1 in peaks and 100 in peaks:
        # Memory flat in the range's length: a century's summary within a quarter of a year's.
        grown = peaks[100] / peaks[1]
        bench.row(
            "  memory of the export, 100y against 1y",
            "100y",
            peaks[100],
            f"{peaks[1]:.3f} MB",
            f"{grown:.2f} x",
            f"{'ok' if grown <= 1.25 else 'MISSED'} (<= 1.25 x the 1y export: flat)",
            unit="MB",
        )

    # -- fixed windows: the same cost on a short and a long journal ----------------------
    if len(folders) > 1:
        for label, extra in (
            ("trends (last four weeks)", ["trends"]),
            ("calendar (this year)", ["calendar", "--year", END[:4]]),
            ("status line", []),
            ("show --on-this-day", ["show", "--on-this-day", END]),
            # END's date is missing from the 1-year journal; this one (2025-11-30) is not.
            ("show --on-this-day 2026-11-30", ["show", "--on-this-day", "2026-11-30"]),
        ):
            bench.r(small, *extra)
            bench.r(biggest, *extra)
            # Two near-equal times against a 1.2 bound: a median of nine, not of five,
            # so that one run slowed by the machine does not decide the verdict.
            short, long = bench.interleaved(small, biggest, extra, max(9, args.runs))
            bench.against(
                label, f"{max(folders)}y", long, short, 1.2, f"the same on {min(folders)}y"
            )

    # -- growth ----------------------------------------------------------------------
    print("\ngrowth (seconds, warm; the whole journal):")
    sizes = sorted(folders)
    print("command".ljust(34) + "".join(f"{s:>8}y" for s in sizes))
    for label, extra in (
        ("search lighthouse", ["search", "lighthouse"]),
        ("search credit", ["search", "credit"]),
        ("history daily/mood", ["history", "daily/mood"]),
        ("trends --by month (whole journal)", ["trends", "--since", "1926-12-01", "--by", "month"]),
        ("log --tag launch -n 20", ["log", "--tag", "launch", "-n", "20"]),
    ):
        times = [bench.r(folders[s], *extra).seconds for s in sizes]
        print(label.ljust(34) + "".join(f"{t:>8.2f}s" for t in times), flush=True)
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
