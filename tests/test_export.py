"""`reflect export` and `reflect report`: a sample week in every format, checked by hand."""

import csv
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import hypothesis
import pytest
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reflect.journal.home import Home

from .conftest import DATA, Build, Run, run_in, without_index

W48 = "2026-W48"
SECRETS = ("SECRET-PROSE", "SECRET-FOLLOWUP", "SECRET-NOTE", "secret-tag")


def answer(run: Run, day: str, *answers: str) -> None:
    args = ["today", "--date", day, "--no-input"]
    for given in answers:
        args += ["--answer", given]
    result = run(args)
    assert result.exit_code == 0, result.output


def sample_week(home: Home) -> None:
    """A sample week (2026-W48) and one day of the week before, in the demo pack."""
    run = run_in(home)
    answer(run, "2026-11-16", "mood=5", "share=50")
    answer(run, "2026-11-23", "mood=4", "threatened=y", "share=60", "where=meeting", "hours=6",
           "gratitude=Tea with a friend SECRET-PROSE")  # fmt: skip
    answer(run, "2026-11-23", "threatened/follow-up=SECRET-FOLLOWUP <script>alert(1)</script>")
    answer(run, "2026-11-24", "mood=2", "threatened=n", "share=80", "where=chat")
    answer(run, "2026-11-26", "mood=3", "share=70", "where=meeting", "hours=8")
    note = run(["write", 'SECRET-NOTE, with "quotes"\nand a second line', "--date", "2026-11-26",
                "--tag", "secret-tag"])  # fmt: skip
    assert note.exit_code == 0
    without_index(home)


@pytest.fixture
def week(demo: Home, built_once: Callable[[Build], Home]) -> Home:
    """`sample_week`, written once per process and copied for each test."""
    return built_once(sample_week)


def export(run: Run, *args: str) -> str:
    result = run(["export", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8")


EXPECTED_TABLE = """\
| Question | This period | Target | Change |
| --- | --- | --- | --- |
| How was your mood today? | mean 3.0 (2-4), 3 day(s) |  | ▼ 2.0 |
| Did someone's success feel threatening today? | yes on 1 of 2 days (50%) |  |  |
| What share of today did you spend partnering? | mean 70% (60-80%), 3 day(s) | met: at least 70% (mean 70%, on target) | ▲ 20% |
| Where did the best conversation happen? | mostly meeting (2 of 3 days) |  |  |
| How many hours of focused work? | mean 7.0h (6-8h), 2 day(s) |  |  |
| One line of gratitude | 1 day(s), 5 words |  |  |"""


def test_markdown_review(week: Home, run: Run) -> None:
    text = export(run, "--week", W48)
    assert text.startswith(
        "# Review of 2026-W48\n\nMonday 23 November 2026 to Sunday 29 November 2026. "
        "Days written: 3 of 7.\n\n## Demo pack (version 1.0.0)\n\n"
    )
    assert EXPECTED_TABLE in text
    assert (
        "- ✓ What share of today did you spend partnering?: "
        "met: at least 70% (mean 70%, on target)" in text
    )
    assert (
        "### How was your mood today?\n\n- Mon 23 Nov: 4\n- Tue 24 Nov: 2\n- Thu 26 Nov: 3" in text
    )
    assert (
        "*Whose, and what was the pang about?*\n\n- Mon 23 Nov: SECRET-FOLLOWUP \\<script>" in text
    )
    assert "## Notes\n\n### Thu 26 Nov\n\nSECRET-NOTE" in text
    assert "Tags: secret-tag (1)" in text
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag in ("h1", "h2")
    ]
    assert headings == ["Review of 2026-W48", "Demo pack (version 1.0.0)", "Notes"]
    assert sum(1 for t in tokens if t.type == "table_open") == 1
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 7
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in html and "&lt;script&gt;" in html


MOOD = "How was your mood today?"


def test_json_review_keys_and_numbers(week: Home, run: Run) -> None:
    data = json.loads(export(run, "--week", W48, "--format", "json"))
    assert set(data) == {"format", "kind", "generator", "client", "range", "previous_weeks",
                         "shared", "contains", "left_out", "days_written", "packs",
                         "left_out_answers", "notes", "tags", "skipped_files"}  # fmt: skip
    assert data["left_out_answers"] == [] and data["skipped_files"] == []
    assert data["format"] == 2 and data["kind"] == "reflect-summary"
    assert data["client"] is None and data["previous_weeks"] == 4
    assert data["range"] == {
        "start": "2026-11-23",
        "end": "2026-11-29",
        "label": "2026-W48",
        "days": 7,
    }
    (pack,) = data["packs"]
    assert set(pack) == {"id", "name", "versions", "retired", "prompts"}
    assert pack["versions"] == ["1.0.0"]
    prompts = {p["id"]: p for p in pack["prompts"]}
    assert set(prompts["share"]) == {"id", "text", "type", "unit", "target", "retired", "earlier",
                                     "versions", "definition", "summary", "change", "met",
                                     "weeks", "days", "follow_up", "follow_ups"}  # fmt: skip
    assert prompts["share"]["target"] == {"value": 70.0, "direction": "at-least", "within": 0.0}
    assert prompts["share"]["definition"] == {
        "type": "scale",
        "text": "What share of today did you spend partnering?",
        "unit": "%",
        "min": 0.0,
        "max": 100.0,
        "step": 10.0,
        "choices": [],
        "target": {"value": 70.0, "direction": "at-least", "within": 0.0},
    }
    assert (prompts["share"]["earlier"], prompts["share"]["versions"]) == (None, ["1.0.0"])
    assert prompts["share"]["summary"] == {
        "answered": 3,
        "mean": 70.0,
        "min": 60,
        "max": 80,
        "distance": 0.0,
        "met": True,
    }
    assert prompts["share"]["change"] == {"from": "2026-W47", "to": "2026-W48", "delta": 20.0}
    assert prompts["threatened"]["summary"] == {"answered": 2, "yes": 1, "share": 0.5}
    assert prompts["where"]["summary"]["counts"] == {"meeting": 2, "chat": 1}
    assert prompts["mood"]["days"] == [
        {"date": "2026-11-23", "value": 4, "text": None, "version": "1.0.0", "question": MOOD},
        {"date": "2026-11-24", "value": 2, "text": None, "version": "1.0.0", "question": MOOD},
        {"date": "2026-11-26", "value": 3, "text": None, "version": "1.0.0", "question": MOOD},
    ]
    assert [w["label"] for w in prompts["mood"]["weeks"]] == [
        "2026-W44",
        "2026-W45",
        "2026-W46",
        "2026-W47",
        "2026-W48",
    ]
    assert data["notes"][0]["text"] == 'SECRET-NOTE, with "quotes"\nand a second line'


HEADER = "date,time,pack,pack_version,prompt,question,type,number,yes,choice,text,counted\r\n"


def test_csv_review_is_tidy_quoted_and_safe(week: Home, run: Run) -> None:
    answer(run, "2026-11-25", "gratitude==SUM(A1:A9)")
    text = export(run, "--week", W48, "--format", "csv")
    assert text.startswith(HEADER)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    # Each answer's time is when it was given (its `given` line): set by the clock here.
    times = [row[1] for row in rows[1:-1]]
    assert any(times) and all(not t or re.fullmatch(r"\d\d:\d\d:\d\d", t) for t in times), times
    rows = [[row[0], "", *row[2:]] if 0 < i < len(rows) - 1 else row for i, row in enumerate(rows)]
    day = ["2026-11-23", "", "demo", "1.0.0"]
    mood, threatened = "How was your mood today?", "Did someone's success feel threatening today?"
    assert [*day, "mood", mood, "scale", "4", "", "", "", "TRUE"] in rows
    assert [row[0] for row in rows[1:-1]] == sorted(row[0] for row in rows[1:-1])
    assert [*day, "threatened", threatened, "yes-no", "1", "1", "", "", "TRUE"] in rows
    where = "Where did the best conversation happen?"
    assert [*day, "where", where, "choice", "", "", "meeting", "", "TRUE"] in rows
    assert ["2026-11-24", "", "demo", "1.0.0", "threatened", threatened, "yes-no", "0", "0",
            "", "", "TRUE"] in rows  # fmt: skip
    gratitude = ["gratitude", "One line of gratitude", "text", "", "", "", "'=SUM(A1:A9)", "TRUE"]
    assert ["2026-11-25", "", "demo", "1.0.0", *gratitude] in rows
    note = rows[-1]
    assert note[:7] == ["2026-11-26", note[1], "", "", "note", "", "note"]
    assert note[10:] == ['SECRET-NOTE, with "quotes"\nand a second line', "FALSE"]
    assert '"SECRET-NOTE, with ""quotes""\nand a second line",FALSE\r\n' in text
    assert [
        *day,
        "threatened/follow-up",
        "Whose, and what was the pang about?",
        "text",
        "",
        "",
        "",
        "SECRET-FOLLOWUP <script>alert(1)</script>",
        "TRUE",
    ] in rows
    assert len(rows) == 1 + 15 + 1 + 1  # header, answers, the follow-up, the note


@pytest.mark.slow
def test_csv_reads_typed_in_pandas(week: Home, run: Run, tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    out = tmp_path / "week.csv"
    result = run(["export", "--week", W48, "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pandas.read_csv(out)
    assert str(table["number"].dtype) == "float64"
    assert pandas.to_datetime(table["time"].dropna(), format="%H:%M:%S").notna().all()
    assert table.groupby("prompt")["number"].mean()["mood"] == 3.0
    assert table.groupby("prompt")["number"].mean()["threatened"] == 0.5
    # Every typed column reads typed as it is, notes' rows and empty cells included.
    assert str(table["counted"].dtype) == "bool"
    assert str(table["yes"].dtype) == "float64"
    assert table["yes"].mean() == 0.5
    assert table[table["type"] == "yes-no"]["yes"].tolist() == [1.0, 0.0]
    assert not table[table["type"] == "note"]["counted"].any()


def test_excel_gets_a_byte_order_mark(week: Home, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "week.csv"
    result = run(["export", "--week", W48, "--excel", "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    assert raw.count(b"\xef\xbb\xbf") == 1
    refused = run(["export", "--week", W48, "--excel"])
    assert refused.exit_code == 2
    assert refused.stderr == "reflect: --excel is for csv; this summary is md: add --format csv\n"
    piped = run(["export", "--week", W48, "--excel", "--format", "csv", "-o", "-"])
    assert piped.exit_code == 0, piped.output
    assert piped.stdout_bytes.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    clash = run(["export", "--week", W48, "--excel", "--format", "json"])
    assert clash.stderr == "reflect: --excel is for csv; this summary is json: drop --excel\n"


def test_the_format_follows_the_output_file(week: Home, run: Run, tmp_path: Path) -> None:
    for suffix, start in (
        (".html", "<!doctype html>"),
        (".json", "{"),
        (".csv", "date,"),
        (".md", "# "),
    ):
        out = tmp_path / f"review{suffix}"
        result = run(["export", "--week", W48, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8").lower().startswith(start), suffix
    clash = run(["export", "--week", W48, "--format", "md", "-o", str(tmp_path / "r.html")])
    assert clash.exit_code == 2
    assert clash.stderr == (
        f"reflect: -o {tmp_path / 'r.html'} reads as html but --format is md: "
        "drop --format, or name the file r.md\n"
    )
    assert not (tmp_path / "r.html").exists()


def test_dash_is_stdout(
    week: Home, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(["export", "--week", W48, "--format", "csv", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8").startswith(HEADER)
    assert result.stderr == ""
    assert not (tmp_path / "-").exists()
    page = run(["export", "--week", W48, "--format", "html", "-o", "-"])
    assert page.exit_code == 0, page.output
    assert page.stdout.lower().startswith("<!doctype html>")


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_a_shared_export_never_holds_private_words(
    week: Home, run: Run, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"shared.{fmt}"
    result = run(
        ["export", "--week", W48, "--format", fmt, "--share", "--pack", "demo", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in text, secret
    assert str(week.root) not in text and "entries/" not in text
    assert "Tea with a friend" not in text
    if fmt in ("md", "html"):
        assert (
            "Shared summary: the answers and statistics of Demo pack, for 2026-W48 only "
            "(7 days, 2026-11-23 to 2026-11-29). Left out: prose answers and follow-ups, free "
            "notes, tags, file names, answers to any other pack, any day outside the range "
            "(earlier weeks: --with-previous N)." in text
        )
        assert "2026-W47" not in text, "nothing from the week before"
    if fmt == "json":
        data = json.loads(text)
        assert data["shared"] is True and data["notes"] == [] and data["tags"] == []
        assert data["left_out"] == [
            "prose answers and follow-ups",
            "free notes",
            "tags",
            "file names",
            "answers to any other pack",
            "any day outside the range (earlier weeks: --with-previous N)",
        ]
        assert data["contains"] == ["2026-W48 only (7 days, 2026-11-23 to 2026-11-29)"]
        assert data["previous_weeks"] == 0
        assert all(p["weeks"] == [] and p["change"] is None for p in data["packs"][0]["prompts"])
    assert out.stat().st_mode & 0o777 == 0o600


def test_share_with_text_includes_prose_and_says_so(week: Home, run: Run) -> None:
    text = export(run, "--week", W48, "--share", "--pack", "demo", "--include-text")
    assert "SECRET-PROSE" in text and "SECRET-NOTE" in text
    assert "secret-tag" not in text
    assert "Left out: tags, file names, answers to any other pack, any day outside" in text


def test_a_shared_summary_holds_earlier_weeks_only_when_asked(week: Home, run: Run) -> None:
    args = ["--week", W48, "--share", "--pack", "demo", "--format", "json", "--name", "Alex"]
    data = json.loads(export(run, *args, "--with-previous", "1"))
    assert data["client"] == "Alex" and data["previous_weeks"] == 1
    assert data["contains"][1] == "the level of each question in the 1 week(s) before"
    assert not any("outside the range" in x for x in data["left_out"])
    share = {p["id"]: p for p in data["packs"][0]["prompts"]}["share"]
    assert share["weeks"] == [
        {"label": "2026-W47", "level": 50.0},
        {"label": "2026-W48", "level": 70.0},
    ]
    assert share["days"][0]["date"] == "2026-11-23", "days before the range are never listed"
    md = export(run, "--week", W48, "--share", "--pack", "demo", "--with-previous", "1")
    assert "Shared summary: the answers and statistics of Demo pack, for 2026-W48 only" in md
    assert "the level of each question in the 1 week(s) before." in md


def test_share_needs_packs(week: Home, run: Run) -> None:
    result = run(["export", "--share"])
    assert result.exit_code == 2
    assert (
        result.stderr
        == "reflect: --share needs --pack for each pack your coach should see, e.g. --pack partnership\n"
    )


def test_html_needs_a_file_and_ranges_are_checked(week: Home, run: Run) -> None:
    assert run(["export", "--format", "html"]).exit_code == 2
    both = run(["export", "--week", W48, "--from", "2026-11-01", "--to", "2026-11-07"])
    assert both.exit_code == 2 and "cannot be used together" in both.stderr
    half = run(["export", "--from", "2026-11-01"])
    assert half.exit_code == 2 and "--from and --to go together" in half.stderr
    bad = run(["export", "--week", "2025-W53"])
    assert bad.exit_code == 2 and "2025 has 52 ISO weeks, not 53" in bad.stderr


def test_week_53_of_2026_and_week_1_of_2027(demo: Home, run: Run) -> None:
    answer(run, "2026-12-28", "mood=2")
    answer(run, "2027-01-03", "mood=4")
    answer(run, "2027-01-04", "mood=5")
    w53 = json.loads(export(run, "--week", "2026-W53", "--format", "json"))
    assert w53["range"] == {
        "start": "2026-12-28",
        "end": "2027-01-03",
        "label": "2026-W53",
        "days": 7,
    }
    mood = w53["packs"][0]["prompts"][0]
    assert mood["summary"]["mean"] == 3.0 and [d["date"] for d in mood["days"]] == [
        "2026-12-28",
        "2027-01-03",
    ]
    w01 = json.loads(export(run, "--week", "2027-W01", "--format", "json"))
    assert w01["range"]["start"] == "2027-01-04"
    assert w01["packs"][0]["prompts"][0]["change"] == {
        "from": "2026-W53",
        "to": "2027-W01",
        "delta": 2.0,
    }


def test_an_empty_week(demo: Home, run: Run) -> None:
    text = export(run, "--week", W48)
    assert "Days written: 0 of 7." in text and "Nothing was answered in this range." in text
    data = json.loads(export(run, "--week", W48, "--format", "json"))
    assert data["packs"] == [] and data["days_written"] == 0
    assert export(run, "--week", W48, "--format", "csv") == HEADER


def test_a_week_with_one_day(demo: Home, run: Run) -> None:
    answer(run, "2026-11-25", "mood=4", "threatened=yes")
    text = export(run, "--week", W48)
    assert "Days written: 1 of 7." in text
    assert "| How was your mood today? | mean 4.0, 1 day(s) |  |  |" in text
    assert (
        "| Did someone's success feel threatening today? | yes on 1 of 1 days (100%) |  |  |"
        in text
    )


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
def test_the_html_page_renders_in_a_real_browser(week: Home, run: Run, tmp_path: Path) -> None:
    browser = chromium()
    if browser is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium and poppler-utils (.ci/run does)")
        pytest.skip(
            "needs Debian's chromium and poppler-utils: apt-get install chromium poppler-utils"
        )
    page = tmp_path / "review.html"
    assert run(["export", "--week", W48, "--format", "html", "-o", str(page)]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "")
    pdf = tmp_path / "review.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    if os.environ.get("REFLECT_SCREENSHOT"):
        shot = Path(os.environ["REFLECT_SCREENSHOT"])
        shutil.copy(page, shot.with_suffix(".html"))
        shutil.copy(pdf, shot.with_suffix(".pdf"))
    assert "Review of 2026-W48" in text
    assert "Days written: 3 of 7." in text
    assert "mean 70% (60-" in text
    assert "<script>alert(1)</script>" in text, "the entry's markup shows as text"
    assert "day by day" in text and "week by week" in text
    # The page opens with the week's headline; charts carry their range, target and values.
    assert text.index("This week at a glance") < text.index("Demo pack")
    flat = " ".join(text.split())
    assert "met: at least 70% (mean 70%, on target)" in flat
    assert "▲ 20% since 2026-W47" in flat
    assert "≥ 70%" in text, "the target line is labelled with its direction"
    assert "100%" in text and "0%" in text, "the axis shows the question's range"
    assert "80%" in text.split("week by week")[0], "each bar's value is printed"


# -- a coach's report -------------------------------------------------------------------


def client_export(folder: Path, name: str, answers: list[tuple[str, list[str]]]) -> None:
    """A client's journal in `folder`, answered through the command line, and its shared week."""
    home = Home(folder / f"home-{name}").ensure()
    shutil.copy(DATA / "demo.toml", home.packs_dir / "demo.toml")
    home.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
    run = run_in(home)
    for day, given in answers:
        answer(run, day, *given, "gratitude=private words of " + name)
    out = folder / "coach" / f"{name}.json"
    out.parent.mkdir(exist_ok=True)
    result = run(
        ["export", "--week", W48, "--format", "json", "--share", "--pack", "demo", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output


def three_clients(home: Home) -> None:
    """Three clients' shared weeks, beside the (empty) journal `built_once` copies."""
    folder = home.root.parent
    client_export(folder, "client-a", [("2026-11-23", ["mood=4", "threatened=y", "share=60"]), ("2026-11-24", ["mood=2", "threatened=n", "share=80"])])  # fmt: skip
    client_export(folder, "client-b", [("2026-11-25", ["mood=5", "threatened=y", "share=90"])])
    client_export(folder, "client-c", [("2026-11-26", ["mood=3"])])


@pytest.fixture
def clients(
    demo: Home,
    built_once: Callable[[Build], Home],
    journal_templates: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> list[Path]:
    """The shared weeks of `three_clients`, made once per process and copied into the test's folder."""
    built_once(three_clients)
    made = journal_templates[f"{__name__}.three_clients"].parent / "coach"
    shutil.copytree(made, tmp_path / "coach")
    monkeypatch.setenv("REFLECT_HOME", str(tmp_path / "no-journal-here"))
    return [tmp_path / "coach" / f"client-{name}.json" for name in "abc"]


def test_report_pools_clients_and_counts_who_did_not_answer(
    clients: list[Path], run: Run, tmp_path: Path
) -> None:
    result = run(["report", *map(str, clients), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"format", "kind", "ranges", "clients", "files", "notes", "packs",
                         "days", "prompts"}  # fmt: skip
    assert data["format"] == 4 and data["kind"] == "reflect-report"
    assert [sorted(f) for f in data["files"]] == [["client", "label", "path"]] * 3
    assert data["clients"] == ["client-a", "client-b", "client-c"] and data["ranges"] == [
        "2026-W48"
    ]
    assert data["days"]["client-a"] == {"2026-W48": {"written": 2, "days": 7}}
    prompts = {p["id"]: p for p in data["prompts"]}
    assert set(prompts["mood"]) == {"pack", "id", "text", "type", "unit", "target", "versions",
                                    "definition_change", "definition", "clients", "cohort", "weeks",
                                    "client_weeks"}  # fmt: skip
    assert (
        prompts["mood"]["cohort"]["mean"] == 3.5
    )  # (4 + 2 + 5 + 3) / 4 answers, not a mean of means
    assert prompts["threatened"]["clients"]["client-c"] is None
    assert prompts["threatened"]["cohort"] == {"answered": 3, "yes": 2, "share": 0.6667}
    assert (
        prompts["share"]["cohort"]["mean"] == pytest.approx(76.6667)
        and prompts["share"]["cohort"]["met"] is True
    )
    assert "private words" not in result.stdout
    assert not (tmp_path / "no-journal-here").exists(), "a coach needs no journal"
    md = run(["report", *map(str, clients), "--format", "md"]).stdout
    assert "| client-c | did not answer |" in md
    assert "| everyone | yes on 2 of 3 days (67%) |" in md
    assert (
        "| client-a | mean 70% (60-80%), 2 day(s) | met: at least 70% (mean 70%, on target) |" in md
    )
    assert "| client-a | 2/7 |" in md
    table = run(["report", *map(str, clients)]).stdout
    assert "did not answer" in table and "everyone" in table


def test_report_reads_what_it_can_and_names_what_it_cannot(
    clients: list[Path], run: Run, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    data = json.loads(clients[0].read_text(encoding="utf-8"))
    data["packs"][0]["versions"] = ["1.1.0"]
    for prompt in data["packs"][0]["prompts"]:
        prompt["versions"] = ["1.1.0"]
    other.write_text(json.dumps(data), encoding="utf-8")
    mixed = run(["report", str(clients[1]), str(other), "--format", "json"])
    assert mixed.exit_code == 0, "a new pack version never stops a report"
    pooled = json.loads(mixed.stdout)
    assert pooled["packs"] == {"demo": ["1.0.0", "1.1.0"]}
    mood = [p for p in pooled["prompts"] if p["id"] == "mood"]
    assert len(mood) == 1 and mood[0]["versions"] == ["1.0.0", "1.1.0"]
    assert mood[0]["cohort"]["answered"] == 3
    mood_data = next(p for p in data["packs"][0]["prompts"] if p["id"] == "mood")
    mood_data["summary"]["mean"] = float("nan")
    other.write_text(json.dumps(data), encoding="utf-8")
    assert run(["report", str(other)]).stderr == (
        f"reflect: {other}: damaged summary for 'mood' (expected a number, found 'nan')\n"
    )
    data["format"] = 3
    other.write_text(json.dumps(data), encoding="utf-8")
    assert run(["report", str(other)]).stderr == (
        f"reflect: {other}: written by a newer reflect (summary format 3, this one reads 2); "
        "upgrade reflect to read it\n"
    )
    data["format"] = 0
    other.write_text(json.dumps(data), encoding="utf-8")
    assert (
        "summary format 0, this reflect reads formats 1 and 2" in run(["report", str(other)]).stderr
    )
    other.write_text('{"kind": "something"}', encoding="utf-8")
    assert "not a reflect summary" in run(["report", str(other)]).stderr
    other.write_text("not json", encoding="utf-8")
    assert run(["report", str(other)]).exit_code == 1
    data["format"], data["shared"] = 2, False
    other.write_text(json.dumps(data), encoding="utf-8")
    assert "a private summary, not a shared one" in run(["report", str(other)]).stderr
    assert "no such file" in run(["report", str(tmp_path / "missing.json")]).stderr


def test_report_keeps_definitions_apart(clients: list[Path], run: Run, tmp_path: Path) -> None:
    data = json.loads(clients[0].read_text(encoding="utf-8"))
    (pack,) = data["packs"]
    pack["versions"] = ["2.0.0"]
    mood = next(p for p in pack["prompts"] if p["id"] == "mood")
    mood["definition"] = {"type": "scale", "min": 1, "max": 10, "unit": "", "target": None}
    mood["versions"] = ["2.0.0"]
    other = tmp_path / "client-d.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    result = run(["report", str(clients[1]), str(other), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [p for p in json.loads(result.stdout)["prompts"] if p["id"] == "mood"]
    assert [(r["versions"], r["definition_change"], r["cohort"]["answered"]) for r in rows] == [
        (["1.0.0"], None, 1),
        (["2.0.0"], "range 1-5 -> 1-10 in 2.0.0", 2),
    ]


def test_report_names_clients_by_folder_and_says_what_it_cannot_tell_apart(
    clients: list[Path], run: Run, tmp_path: Path
) -> None:
    for client in clients:
        folder = tmp_path / "mail" / client.stem
        folder.mkdir(parents=True)
        shutil.copy(client, folder / "weekly-summary.json")
    same = sorted((tmp_path / "mail").glob("*/weekly-summary.json"))
    result = run(["report", *map(str, same), str(same[0]), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["clients"] == ["client-a", "client-b", "client-c"]
    assert (
        result.stderr
        == f"reflect: note: {same[0]} is given twice (as {same[0]}); it is read once\n"
    )
    clash = run(["report", str(clients[0]), str(same[1])])
    assert clash.exit_code == 0, "a different summary under another folder is another client"
    data = json.loads(clients[0].read_text(encoding="utf-8"))
    twins = []
    for n, folder in enumerate(("home", "work")):
        data["days_written"], data["client"] = n + 1, "Alex"
        twin = tmp_path / folder / "summary.json"
        twin.parent.mkdir()
        twin.write_text(json.dumps(data), encoding="utf-8")
        twins.append(twin)
    refused = run(["report", *map(str, twins)])
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"reflect: cannot tell {twins[0]} and {twins[1]} apart: both are Alex's summary of "
        "2026-W48; give only the one to read\n"
    )
    shutil.copy(twins[0], twins[1])
    same = run(["report", *map(str, twins), "--format", "json"])
    assert same.exit_code == 0
    assert same.stderr == (
        f"reflect: note: {twins[1]} holds the same summary as {twins[0]}; it is read once\n"
    )


def test_report_reads_format_1_summaries(clients: list[Path], run: Run, tmp_path: Path) -> None:
    data = json.loads(clients[0].read_text(encoding="utf-8"))
    data["format"] = 1
    for key in ("client", "previous_weeks", "contains"):
        del data[key]
    for prompt in data["packs"][0]["prompts"]:
        for key in ("definition", "earlier", "versions"):
            del prompt[key]
        target = prompt.get("target")
        prompt["target"] = target["value"] if target else None
    old = tmp_path / "old" / "client-a.json"
    old.parent.mkdir()
    old.write_text(json.dumps(data), encoding="utf-8")
    result = run(["report", str(old), str(clients[1]), "--format", "json"])
    assert result.exit_code == 0, result.output
    mood = [p for p in json.loads(result.stdout)["prompts"] if p["id"] == "mood"]
    assert len(mood) == 1 and mood[0]["cohort"]["mean"] == round((4 + 2 + 5) / 3, 4)


def test_an_unknown_pack_is_named_even_beside_a_known_one(week: Home, run: Run) -> None:
    result = run(["export", "--week", W48, "--pack", "daily", "--pack", "nope"])
    assert result.exit_code == 1
    assert (
        result.stderr == "reflect: no pack with id 'nope'; `reflect packs list` shows the packs\n"
    )


def test_a_definition_names_what_changed() -> None:
    from reflect.export.review import Definition

    old = Definition("scale", "Focus?", "", 1, 5, 1)
    assert Definition("scale", "How focused?", "", 0, 10, 1).changes_from(old) == [
        "range 1-5 -> 0-10",
        "reworded",
    ]
    assert Definition("scale", "Focus?", "", 1, 5, 0.5).changes_from(old) == ["step 1 -> 0.5"]
    assert Definition("yes-no", "Focus?").changes_from(old) == ["type scale -> yes-no"]
    assert Definition("scale", "Focus?", "h", 1, 5, 1).shape == old.shape, (
        "a unit is no new question"
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


@hypothesis.settings(deadline=None)
@hypothesis.given(value=json_values)
def test_export_json_text_reads_back_as_the_cleaned_data(value: object) -> None:
    from reflect.export.json_text import json_text
    from reflect.model.text import clean_tree

    assert json.loads(json_text(value)) == clean_tree(value)


def test_export_json_is_handed_on_in_pieces_as_it_is_made() -> None:
    from reflect.export.json_text import json_text, write_json

    days = [
        {"date": f"2026-01-{n % 28 + 1:02}", "value": n, "text": "x" * 100} for n in range(5000)
    ]
    data = {"packs": [{"id": "daily", "days": days}], "notes": []}
    pieces: list[str] = []
    write_json(data, pieces.append)
    assert "".join(pieces) == json_text(data)
    # The whole text is some 700 KB, handed on in pieces of a few thousand items.
    assert len(pieces) > 4
    assert max(len(piece) for piece in pieces) < 250_000


def test_a_range_too_long_for_the_html_chart_is_refused_before_any_reading(
    week: Home, run: Run, tmp_path: Path
) -> None:
    (week.entries_dir / "2026" / "2026-11-24.md").write_text("---\ndate: [\n---\n", "utf-8")
    result = run(
        ["export", "--from", "1900-01-01", "--to", "2026-11-29", "--format", "html",
         "-o", str(tmp_path / "r.html")]
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "reflect: an html summary charts every week, and 1900-01-01 to 2026-11-29 is 6,626 "
        "weeks, more than 1,500: choose a shorter range, or --format md, csv or json, which "
        "take any range\n"
    )


@pytest.mark.slow  # reads 127 years of days; the html refusal above keeps its range check fast
def test_any_range_exports_as_json(week: Home, run: Run) -> None:
    result = run(["export", "--from", "1900-01-01", "--to", "2026-11-29", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["range"]["start"], data["range"]["end"]) == ("1900-01-01", "2026-11-29")
    year = run(["export", "--from", "2026-01-01", "--to", "2026-11-29", "--format", "json"])
    assert data["days_written"] == json.loads(year.stdout)["days_written"] == 4


def test_report_never_writes_over_a_summary_it_reads(run: Run, tmp_path: Path) -> None:
    summary = tmp_path / "in.json"
    summary.write_text('{"format": 2}', encoding="utf-8")
    link = tmp_path / "out.md"
    link.symlink_to(summary)
    for target in (summary, link):
        result = run(["report", str(summary), "--format", "md", "-o", str(target)])
        assert result.exit_code == 2, result.output
        assert "is one of the summaries to read" in result.stderr
    assert summary.read_text(encoding="utf-8") == '{"format": 2}'


def test_with_previous_has_a_bound(run: Run) -> None:
    result = run(["export", "--with-previous", "100000", "--format", "json"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_export_never_writes_into_the_journal_home(run: Run, tmp_path: Path) -> None:
    assert run(["today", "--no-input", "--answer", "daily/mood=3"]).exit_code == 0
    home = Path(os.environ["REFLECT_HOME"])
    config = home / "config.toml"
    before = config.read_bytes()
    result = run(["export", "-o", str(config)])
    assert result.exit_code == 2, result.output
    assert "inside the journal home" in result.stderr
    assert config.read_bytes() == before


@pytest.mark.parametrize(
    ("written", "cell"),
    [
        # Plainly harmless prose stays as written: a list item, a negative number.
        ("- a list item", "- a list item"),
        ("+ more sleep", "+ more sleep"),
        ("-3", "-3"),
        ("-2.5", "-2.5"),
        # What a spreadsheet would compute, or read as other than written.
        ("+1", "'+1"),
        ("@home", "'@home"),
        ("-2+3", "'-2+3"),
        ("+1+1", "'+1+1"),
        ("+A1*1000", "'+A1*1000"),
        ("-A1+A2", "'-A1+A2"),
        ("- A1+A2", "'- A1+A2"),
        ("-'file:///etc/passwd'#$Sheet1.A1", "'-'file:///etc/passwd'#$Sheet1.A1"),
        ("- a walk (HYPERLINK)", "'- a walk (HYPERLINK)"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-3\n=cmd|x", "'-3\n=cmd|x"),
        # Always `=`; `+ - @` with a call, a DDE link or a sheet.
        ("=1+1", "'=1+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ('+HYPERLINK("http://x")', '\'+HYPERLINK("http://x")'),
        ("\t=cmd|x", "'\t=cmd|x"),
        ("\r-A1!B2", "'\r-A1!B2"),
        # A cell is evaluated from its start only: later lines of a note are text.
        ("Talked it over.\n=cmd|' /C calc'!A0", "Talked it over.\n=cmd|' /C calc'!A0"),
    ],
)
def test_only_what_a_spreadsheet_would_run_is_neutralised(written: str, cell: str) -> None:
    from reflect.export.table import safe_cell

    assert safe_cell(written) == cell


def test_a_negative_number_stays_a_number() -> None:
    from reflect.export.table import typed_cells

    assert typed_cells("number", -3, None) == ("-3", "", "", "")
    assert typed_cells("number", -2.5, "- fewer than hoped") == (
        "-2.5",
        "",
        "",
        "- fewer than hoped",
    )


def test_csv_keeps_harmless_prose_as_written(week: Home, run: Run) -> None:
    answer(run, "2026-11-25", "gratitude=- a walk")
    note = run(["write", "@home +1", "--date", "2026-11-25"])
    assert note.exit_code == 0, note.output
    rows = list(csv.reader(io.StringIO(export(run, "--week", W48, "--format", "csv"), newline="")))
    # The time column (index 1) is when the answer was given: the test's clock, not pinned here.
    assert ["2026-11-25", "demo", "1.0.0", "gratitude", "One line of gratitude", "text",
            "", "", "", "- a walk", "TRUE"] in [r[:1] + r[2:] for r in rows]  # fmt: skip
    assert [row[10] for row in rows if row[0] == "2026-11-25" and row[4] == "note"] == ["'@home +1"]


def test_pack_leaves_out_notes_unless_include_text(week: Home, run: Run) -> None:
    """Free notes belong to no pack: --pack keeps them out, --include-text brings them back."""
    everything = export(run, "--week", W48, "--format", "csv")
    assert "SECRET-NOTE" in everything
    only = export(run, "--week", W48, "--format", "csv", "--pack", "demo")
    assert "SECRET-NOTE" not in only
    assert ",note," not in only
    asked = export(run, "--week", W48, "--format", "json", "--pack", "demo", "--include-text")
    assert json.loads(asked)["notes"][0]["text"].startswith("SECRET-NOTE")


def test_report_format_follows_the_output_file_as_export_does(
    clients: list[Path], run: Run, tmp_path: Path
) -> None:
    for suffix, start in ((".html", "<!doctype html>"), (".json", "{"), (".csv", "range,"),
                          (".md", "# ")):  # fmt: skip
        out = tmp_path / f"cohort{suffix}"
        result = run(["report", *map(str, clients), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert result.stderr == f"Wrote {out}\n"
        assert out.read_text(encoding="utf-8").lower().startswith(start), suffix
    clash = run(["report", *map(str, clients), "--format", "md", "-o", str(tmp_path / "r.html")])
    assert clash.exit_code == 2
    assert clash.stderr == (
        f"reflect: -o {tmp_path / 'r.html'} reads as html but --format is md: drop --format, "
        "or name the file r.md\n"
    )
    table = run(["report", *map(str, clients), "--format", "table", "-o", str(tmp_path / "r.md")])
    assert table.exit_code == 2
    assert table.stderr == (
        f"reflect: -o {tmp_path / 'r.md'} reads as md but --format is table: drop --format\n"
    )
    unknown = run(["report", *map(str, clients), "-o", str(tmp_path / "cohort.txt")])
    assert unknown.exit_code == 2
    assert "name the file .md, .html, .json or .csv, or add --format" in unknown.stderr
    stdout = run(["report", *map(str, clients), "--format", "json", "-o", "-"])
    assert stdout.exit_code == 0, stdout.output
    assert json.loads(stdout.stdout)["kind"] == "reflect-report"
    assert not Path("-").exists()


def test_export_takes_since_and_until_as_the_other_commands_do(demo: Home, run: Run) -> None:
    """`reflect export --since` answered "No such option ... Possible options: --name"."""
    args = ["export", "--format", "json"]
    named = run([*args, "--from", "2026-11-20", "--to", "2026-11-26"])
    assert named.exit_code == 0, named.output
    alias = run([*args, "--since", "2026-11-20", "--until", "2026-11-26"])
    assert alias.exit_code == 0, alias.output
    assert json.loads(alias.stdout)["range"] == json.loads(named.stdout)["range"]
    assert json.loads(alias.stdout)["range"]["start"] == "2026-11-20"


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_dev_stdout_is_stdout(week: Home, run: Run, name: str) -> None:
    result = run(["export", "--week", W48, "--format", "csv", "-o", name])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8").startswith(HEADER)
    assert result.stderr == ""


def test_a_named_descriptor_is_written_to_not_replaced(tmp_path: Path) -> None:
    """`-o /dev/fd/N` where the shell opened N with `>>` appends; a pipe gets the bytes."""
    import os

    from reflect.journal.files import write_atomic

    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    log.chmod(0o644)
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    try:
        write_atomic(Path(f"/dev/fd/{fd}"), "the summary\n", make_folder=False)
    finally:
        os.close(fd)
    assert log.read_text(encoding="utf-8") == "earlier line\nthe summary\n"
    assert log.stat().st_mode & 0o777 == 0o644
    read, write = os.pipe()
    try:
        write_atomic(Path(f"/proc/self/fd/{write}"), "piped\n", make_folder=False)
        assert os.read(read, 100) == b"piped\n"
    finally:
        os.close(read)
        os.close(write)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("r.txt", "-o r.txt: the extension .txt names no format; name the file .md, .html, .json or .csv, "
                  "or add --format"),
        ("r.json.gz", "-o r.json.gz: the extension .gz names no format; name the file .md, .html, .json or "
                      ".csv, or add --format"),
        ("r.", "-o r.: no extension; name the file .md, .html, .json or .csv, or add --format"),
        ("r.csv/", "-o r.csv/ names a folder: give a file name, such as r.csv/review.md"),
        ("", "-o needs a file name, such as review.md, or - for stdout"),
    ],
)  # fmt: skip
def test_an_output_name_that_says_no_format_is_refused(
    week: Home, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, message: str
) -> None:
    """One rule with `report`: the extension names the format, or --format does."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = run(["export", "--week", W48, "-o", name])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"reflect: {message}\n"
    assert list(folder.iterdir()) == []
    if name.endswith(("txt", "gz", ".")):
        given = run(["export", "--week", W48, "--format", "csv", "-o", name])
        assert given.exit_code == 0, given.output
        assert (folder / name).read_bytes().decode("utf-8").startswith(HEADER)


def test_a_follow_up_no_longer_asked_is_kept_and_not_counted(demo: Home, run: Run) -> None:
    """threatened=y asked its follow-up; changed to n, the words stay, marked, not counted."""
    answer(run, "2026-11-24", "threatened=y", "threatened/follow-up=Sam's launch")
    answer(run, "2026-11-24", "threatened=n")
    span = ["--from", "2026-11-24", "--to", "2026-11-24"]
    rows = list(csv.reader(io.StringIO(export(run, *span, "--format", "csv"))))
    follow = [row for row in rows if row[4] == "threatened/follow-up"]
    assert [(row[10], row[11]) for row in follow] == [("Sam's launch", "FALSE")]
    data = json.loads(export(run, *span, "--format", "json"))
    prompt = next(p for pack in data["packs"] for p in pack["prompts"] if p["id"] == "threatened")
    assert [(f["text"], f["asked"]) for f in prompt["follow_ups"]] == [("Sam's launch", False)]
    markdown = export(run, *span, "--format", "md")
    assert "Sam's launch (no longer asked: the answer changed since; not counted)" in markdown
    answer(run, "2026-11-24", "threatened=y")
    again = json.loads(export(run, *span, "--format", "json"))
    prompt = next(p for pack in again["packs"] for p in pack["prompts"] if p["id"] == "threatened")
    assert [f["asked"] for f in prompt["follow_ups"]] == [True]


@pytest.mark.parametrize(
    ("found", "said"), [(None, "None"), (0, "0"), ("2", "'2'"), (True, "True"), (1.5, "1.5")]
)
def test_report_refuses_a_format_no_reflect_writes_without_sending_for_a_newer_one(
    clients: list[Path], run: Run, tmp_path: Path, found: object, said: str
) -> None:
    # A newer reflect reads no format 0, "2" or true either: the summary has to be made again.
    data = json.loads(clients[0].read_text(encoding="utf-8"))
    if found is None:
        del data["format"]
    else:
        data["format"] = found
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    result = run(["report", str(other)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"reflect: {other}: summary format {said}, this reflect reads formats 1 and 2; "
        "not a summary reflect wrote: ask for `reflect export --share --format json` again\n"
    )
