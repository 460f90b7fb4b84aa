"""Time start-up: `reflect --help` and `reflect prompt` against a bare `python -c pass`.

Run by hand: python bench/startup.py [--runs N]. It uses a throwaway journal home.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def best_and_median(command: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "REFLECT_HOME": home}
        subprocess.run(
            [sys.executable, "-m", "reflect", "prompt"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "reflect --help": [sys.executable, "-m", "reflect", "--help"],
            "reflect prompt": [sys.executable, "-m", "reflect", "prompt"],
        }
        print(f"{'command':<16} {'best':>8} {'median':>8}   ({args.runs} runs)")
        for name, command in cases.items():
            best, median = best_and_median(command, args.runs, env)
            print(f"{name:<16} {best * 1000:>6.0f}ms {median * 1000:>6.0f}ms")


if __name__ == "__main__":
    main()
