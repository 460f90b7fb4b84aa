"""A coach's whole loop: twelve weeks, five clients, a pack revised twice, one report in every format.

The pack is reworded in 1.1.0 (credit) and changes a range and adds a prompt
in 1.2.0 (focus 1-5 -> 0-10, hours). Clients upgrade at different times, one
in the middle of a week; one client skips weeks; files arrive with the same
name in separate folders; two clients name themselves (config, --name). The
expected figures are computed here from the answers given, by hand, not by
reflect.
"""

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from reflect.daily.session import resolve_answers, save_answers
from reflect.journal.home import Home
from reflect.model.dates import week_label
from reflect.packs.library import find_pack, install_pack
from reflect.trends.wording import number

from .conftest import Run

V1 = """\
id = "team"
name = "Team habits"
version = "1.0.0"

[[prompts]]
id = "share"
text = "What share of today did you spend partnering?"
type = "scale"
min = 0
max = 100
step = 10
unit = "%"
target = { at_least = 70 }
pin = true

[[prompts]]
id = "credit"
text = "Did you give credit today?"
type = "yes-no"
pin = true

[[prompts]]
id = "focus"
text = "How focused were you?"
type = "scale"
min = 1
max = 5
pin = true
"""
V11 = V1.replace('version = "1.0.0"', 'version = "1.1.0"').replace(
    "Did you give credit today?", "Did you give someone credit in front of others today?"
)
V12 = (
    V11.replace('version = "1.1.0"', 'version = "1.2.0"').replace(
        "min = 1\nmax = 5", "min = 0\nmax = 10"
    )
    + """
[[prompts]]
id = "hours"
text = "How many hours did you work?"
type = "number"
min = 0
unit = "h"
target = { at_most = 9 }
pin = true
"""
)
FIRST_MONDAY = dt.date(2026, 1, 5)  # 2026-W02
WEEKS = 12
CLIENTS = ["ana", "ben", "cai", "dee", "eli"]
SKIPS = {"eli": {3, 4, 8}}  # weeks (1-based) eli wrote nothing and sent nothing
# When each client installed each version: (week, weekday) from which it asks.
UPGRADES = {
    "ana": [(5, 2, "1.1.0"), (9, 0, "1.2.0")],  # mid-week 5
    "ben": [(7, 0, "1.1.0"), (10, 3, "1.2.0")],  # late, and mid-week 10
    "cai": [(5, 0, "1.1.0"), (9, 0, "1.2.0")],
    "dee": [(5, 0, "1.1.0"), (9, 0, "1.2.0")],
    "eli": [(5, 0, "1.1.0"), (9, 0, "1.2.0")],
}
TEXTS = {"1.0.0": V1, "1.1.0": V11, "1.2.0": V12}


def version_on(client: str, week: int, weekday: int) -> str:
    version = "1.0.0"
    for at_week, at_day, newer in UPGRADES[client]:
        if (week, weekday) >= (at_week, at_day):
            version = newer
    return version


def days_of(client: str, week: int) -> list[int]:
    if week in SKIPS.get(client, set()):
        return []
    i = CLIENTS.index(client)
    return list(range(3 + (i + week) % 3))  # Monday to Wednesday, Thursday or Friday


def answers_on(client: str, week: int, weekday: int) -> dict[str, object]:
    i, d, w = CLIENTS.index(client), weekday, week
    version = version_on(client, week, weekday)
    given: dict[str, object] = {
        "share": 10 * ((i * 3 + w + d) % 11),
        "credit": (i + w + d) % 3 != 0,
    }
    if version == "1.2.0":
        given["focus"] = (i + w + 3 * d) % 11
        given["hours"] = 5 + (i + d) % 6
    else:
        given["focus"] = 1 + (i + 2 * w + d) % 5
    return given


def label(week: int) -> str:
    return week_label(FIRST_MONDAY + dt.timedelta(weeks=week - 1))


def folder_name(client: str) -> str:
    return {"ana": "Ana", "ben": "Ben"}.get(client, client)


def play(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every client journals and sends a shared summary each week they wrote."""
    for n, text in TEXTS.items():
        (tmp_path / f"team-{n}.toml").write_text(text, encoding="utf-8")
    sent = []
    for client in CLIENTS:
        home = Home(tmp_path / "homes" / client)
        home.ensure()
        name = 'name = "Ana"\n' if client == "ana" else ""
        home.config_path.write_text(f'packs = ["team"]\n{name}', encoding="utf-8")
        install_pack(home, tmp_path / "team-1.0.0.toml")
        monkeypatch.setenv("REFLECT_HOME", str(home.root))
        for week in range(1, WEEKS + 1):
            for weekday in days_of(client, week):
                for at_week, at_day, newer in UPGRADES[client]:
                    if (at_week, at_day) == (week, weekday):
                        install_pack(home, tmp_path / f"team-{newer}.toml", upgrade=True)
                day = FIRST_MONDAY + dt.timedelta(weeks=week - 1, days=weekday)
                pack = find_pack(home, "team").pack
                given = [
                    f"{k}={'y' if v is True else 'n' if v is False else v}"
                    for k, v in answers_on(client, week, weekday).items()
                ]
                save_answers(home, day, resolve_answers([pack], given))
            if not days_of(client, week):
                continue
            out = tmp_path / "inbox" / label(week) / client / "weekly-summary.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            args = ["export", "--week", label(week), "--share", "--pack", "team"]
            args += ["--format", "json", "-o", str(out)]
            if client == "ben":
                args += ["--name", "Ben"]
            result = run(args)
            assert result.exit_code == 0, result.output
            sent.append(out)
    monkeypatch.setenv("REFLECT_HOME", str(tmp_path / "the-coach-has-no-journal"))
    return sent


# -- the figures, by hand -----------------------------------------------------------

Pick = Callable[[str, int, int], bool]


def given(prompt: str, pick: Pick) -> list[object]:
    return [
        answers_on(c, w, d)[prompt]
        for c in CLIENTS
        for w in range(1, WEEKS + 1)
        for d in days_of(c, w)
        if prompt in answers_on(c, w, d) and pick(c, w, d)
    ]


def mean(values: list[object]) -> float:
    numbers = [float(v) for v in values if isinstance(v, (int, float))]
    return sum(numbers) / len(numbers)


def in_week(week: int) -> Pick:
    return lambda c, w, d: w == week


def of(client: str) -> Pick:
    return lambda c, w, d: c == client


def old_focus(c: str, w: int, d: int) -> bool:
    return version_on(c, w, d) != "1.2.0"


def new_focus(c: str, w: int, d: int) -> bool:
    return version_on(c, w, d) == "1.2.0"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    from typer.testing import CliRunner

    from reflect.cli import app

    tmp_path = tmp_path_factory.mktemp("cohort")
    runner = CliRunner()

    def run(args: list[str]) -> object:
        return runner.invoke(app, args, prog_name="reflect")

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("NO_COLOR", "1")
        monkeypatch.setenv("COLUMNS", "200")
        sent = play(run, tmp_path, monkeypatch)  # type: ignore[arg-type]
    return tmp_path, sent


def report(run: Run, sent: list[Path], *args: str) -> str:
    result = run(["report", *map(str, sent), *args])
    assert result.exit_code == 0, result.output
    assert result.stderr == "" or result.stderr.startswith("Wrote "), result.stderr
    return result.stdout


pytestmark = pytest.mark.slow


def test_the_cohort_was_played_as_described(cohort: tuple[Path, list[Path]]) -> None:
    _, sent = cohort
    assert len(sent) == 5 * 12 - 3, "eli sent nothing in three weeks"
    assert {p.name for p in sent} == {"weekly-summary.json"}


def test_report_json_matches_the_hand_computed_figures(
    cohort: tuple[Path, list[Path]], run: Run
) -> None:
    _, sent = cohort
    data = json.loads(report(run, sent, "--format", "json"))
    assert data["clients"] == ["Ana", "Ben", "cai", "dee", "eli"]
    assert data["ranges"] == [label(w) for w in range(1, 13)] and data["ranges"][0] == "2026-W02"
    assert data["packs"] == {"team": ["1.0.0", "1.1.0", "1.2.0"]}
    assert data["notes"] == []
    # Days answered per client and week: eli's skipped weeks are empty.
    assert data["days"]["eli"][label(3)] is None
    assert data["days"]["cai"][label(1)] == {"written": len(days_of("cai", 1)), "days": 7}
    rows = [(p["id"], p["versions"]) for p in data["prompts"]]
    assert rows == [
        ("share", ["1.0.0", "1.1.0", "1.2.0"]),
        ("credit", ["1.0.0", "1.1.0", "1.2.0"]),
        ("focus", ["1.0.0", "1.1.0"]),
        ("focus", ["1.2.0"]),
        ("hours", ["1.2.0"]),
    ]
    share, credit, focus_old, focus_new, hours = data["prompts"]
    # Pooled over everyone and every week: every answer counted once.
    every = given("share", lambda c, w, d: True)
    assert share["cohort"]["answered"] == len(every) == 4 * 48 + 36
    assert credit["cohort"]["yes"] == 152, "two in three days, by the formula"
    assert share["cohort"]["mean"] == pytest.approx(mean(every), abs=1e-3)
    assert share["target"] == {"value": 70.0, "direction": "at-least", "within": 0.0}
    assert share["cohort"]["met"] is (mean(every) >= 70)
    for week in (1, 5, 10, 12):
        values = given("share", in_week(week))
        assert share["weeks"][label(week)]["mean"] == pytest.approx(mean(values), abs=1e-3)
    for client, name in zip(CLIENTS, data["clients"], strict=True):
        values = given("share", of(client))
        assert share["clients"][name]["mean"] == pytest.approx(mean(values), abs=1e-3)
    eli_weeks = share["client_weeks"]["eli"]
    assert [eli_weeks[label(w)] is None for w in (3, 4, 8)] == [True, True, True]
    # The reword keeps one row; the change is named.
    yes = given("credit", lambda c, w, d: True)
    assert credit["cohort"]["answered"] == len(yes)
    assert credit["cohort"]["yes"] == sum(1 for v in yes if v)
    assert credit["text"] == "Did you give someone credit in front of others today?"
    assert (
        credit["definition_change"] == "reworded between versions; the answers are counted together"
    )
    # The range change splits the question, even inside Ben's week 10.
    assert focus_old["definition"]["min"] == 1 and focus_new["definition"]["max"] == 10
    assert focus_new["definition_change"] == "range 1-5 -> 0-10 in 1.2.0"
    assert focus_old["cohort"]["answered"] == len(given("focus", old_focus))
    assert focus_old["cohort"]["mean"] == pytest.approx(mean(given("focus", old_focus)), abs=1e-3)
    assert focus_new["cohort"]["mean"] == pytest.approx(mean(given("focus", new_focus)), abs=1e-3)
    ben_10_old = given("focus", lambda c, w, d: c == "ben" and w == 10 and d < 3)
    ben_10_new = given("focus", lambda c, w, d: c == "ben" and w == 10 and d >= 3)
    assert focus_old["client_weeks"]["Ben"][label(10)]["answered"] == len(ben_10_old)
    assert focus_new["client_weeks"]["Ben"][label(10)]["answered"] == len(ben_10_new)
    # The prompt added in 1.2.0: answered from week 9 (Ben from Thursday of week 10).
    assert hours["weeks"][label(8)] is None
    assert hours["cohort"]["answered"] == len(given("hours", lambda c, w, d: True))
    assert hours["target"]["direction"] == "at-most"
    assert hours["cohort"]["met"] is (mean(given("hours", lambda c, w, d: True)) <= 9)


def test_report_csv_md_and_table_show_the_same_figures(
    cohort: tuple[Path, list[Path]], run: Run
) -> None:
    _, sent = cohort
    share5 = mean(given("share", in_week(5)))
    rows = list(csv.DictReader(io.StringIO(report(run, sent, "--format", "csv"), newline="")))
    found = {(r["range"], r["client"], r["prompt"], r["versions"]): r for r in rows}
    everyone = found[(label(5), "everyone", "share", "1.0.0 1.1.0 1.2.0")]
    assert float(everyone["mean"]) == pytest.approx(share5, abs=1e-3)
    assert everyone["direction"] == "at-least" and everyone["met"] == (
        "yes" if share5 >= 70 else "no"
    )
    cai = found[(label(1), "cai", "share", "1.0.0 1.1.0 1.2.0")]
    assert (cai["days_written"], cai["days"]) == (str(len(days_of("cai", 1))), "7")
    assert found[(label(3), "eli", "share", "1.0.0 1.1.0 1.2.0")]["answered"] == "0"
    alls = found[("all", "everyone", "focus", "1.2.0")]
    assert float(alls["mean"]) == pytest.approx(mean(given("focus", new_focus)), abs=1e-3)

    md = report(run, sent, "--format", "md")
    assert md.startswith("# Cohort report: 2026-W02 to 2026-W13 (12 ranges)\n")
    assert "5 client(s): Ana, Ben, cai, dee, eli." in md
    assert "## How focused were you? (version 1.2.0; range 1-5 -> 0-10 in 1.2.0)" in md
    cell = f"{number(share5)}% {'✓' if share5 >= 70 else '✗'}"
    weekly = md.split("| Week by week |", 1)[1]
    everyone = next(line for line in weekly.splitlines() if line.startswith("| everyone |"))
    assert everyone.split(" | ")[5] == cell, "week 5's column holds everyone's week-5 figure"
    assert f"| eli | {len(days_of('eli', 1))}/7 | {len(days_of('eli', 2))}/7 | — |" in md

    table = run(["report", *map(str, sent)], env={"COLUMNS": "160"}).stdout
    assert "Days answered" in table and "┃ W05 " in table and "range 1-5 -> 0-10 in 1.2.0" in table
    assert cell in table


def test_one_clients_weeks_over_time(cohort: tuple[Path, list[Path]], run: Run) -> None:
    _, sent = cohort
    data = json.loads(report(run, sent, "--client", "eli", "--format", "json"))
    assert data["clients"] == ["eli"]
    share = data["prompts"][0]
    for week in (1, 2, 5):
        values = given("share", lambda c, w, d, week=week: c == "eli" and w == week)
        assert share["weeks"][label(week)]["mean"] == pytest.approx(mean(values), abs=1e-3)
    assert share["weeks"][label(3)] is None


def test_the_report_page_in_a_real_browser(
    cohort: tuple[Path, list[Path]], run: Run, tmp_path: Path
) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium and poppler-utils (.ci/run does)")
        pytest.skip("needs Debian's chromium and poppler-utils")
    _, sent = cohort
    page = tmp_path / "cohort.html"
    result = run(["report", *map(str, sent), "--format", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")
    pdf = tmp_path / "cohort.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert "Cohort report: 2026-W02 to 2026-W13 (12 ranges)" in flat
    assert text.index("at a glance") < text.index("Days answered")
    share12 = mean(given("share", in_week(12)))
    assert f"{number(share12)}%" in flat
    assert "≥ 70%" in flat and "≤ 9h" in flat, "target lines are labelled with their direction"
    assert "range 1-5 -> 0-10 in 1.2.0" in flat
    if os.environ.get("REFLECT_SCREENSHOT"):
        shutil.copy(page, Path(os.environ["REFLECT_SCREENSHOT"]).with_suffix(".html"))
