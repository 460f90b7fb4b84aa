"""Time start-up: the greeting, help, and a note, against a bare `python -c pass`.

Run by hand: python bench/startup.py [--runs N]. It uses a throwaway journal
home. Times are CPU seconds (user and system), which a shared machine moves
far less than wall time; the commands take turns, so load changes touch all.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def cpu_seconds(command: list[str], env: dict[str, str]) -> float:
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    script = Path(sys.executable).parent / "reflect"
    reflect = [str(script)] if script.exists() else [sys.executable, "-m", "reflect"]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "REFLECT_HOME": home}
        # What the quick paths trust is kept by a first run of the full command line.
        for first in (["prompt"], ["write", "the day begins"]):
            subprocess.run([*reflect, *first], env=env, check=True, capture_output=True)
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "reflect --help": [*reflect, "--help"],
            "reflect search --help": [*reflect, "search", "--help"],
            "reflect prompt": [*reflect, "prompt"],
            'reflect write "note"': [*reflect, "write", "a note"],
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, command in cases.items():
                times[name].append(cpu_seconds(command, env))
    print(f"{'command':<24} {'best':>8} {'median':>8}   (CPU, {args.runs} runs)")
    for name, found in times.items():
        print(f"{name:<24} {min(found) * 1000:>6.0f}ms {statistics.median(found) * 1000:>6.0f}ms")


if __name__ == "__main__":
    main()
