"""`reflect packs`: a coach's whole round: new, validate, preview, add, upgrade, remove, schema."""

import datetime as dt
import json
from pathlib import Path

import pytest

from reflect.daily.session import resolve_answers, save_answers
from reflect.journal.home import Home
from reflect.packs.library import load_pack, pack_schema

from .conftest import DATA, Run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def coach(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A coach's working folder, with a fresh starting pack in it."""
    folder = tmp_path / "coach"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_new_writes_a_valid_pack_of_every_type(coach: Path, run: Run) -> None:
    result = run(["packs", "new", "team-habits"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Wrote team-habits.toml. Check it with `reflect packs validate team-habits.toml`.\n"
    )
    pack = load_pack(coach / "team-habits.toml")
    assert pack.id == "team-habits"
    assert {p.type for p in pack.prompts} == {"text", "yes-no", "scale", "choice", "number"}
    again = run(["packs", "new", "team-habits"])
    assert again.exit_code == 1
    assert again.stderr == (
        "reflect: team-habits.toml already exists; choose another name with -o\n"
    )
    bad = run(["packs", "new", "Team Habits"])
    assert bad.exit_code == 1 and "is not a pack id" in bad.stderr


def test_validate_good_and_bad_files(coach: Path, run: Run) -> None:
    run(["packs", "new", "good"])
    (coach / "bad.toml").write_text(
        'id = "bad"\nname = "B"\nversion = "1.0.0"\nauthr = "x"\n'
        "[[prompts]]\nid = 'a'\ntext = 'A?'\ntype = 'scale'\nmin = 5\nmax = 1\n",
        encoding="utf-8",
    )
    ok = run(["packs", "validate", "good.toml"])
    assert ok.exit_code == 0
    assert ok.stdout == (
        "good.toml: ok: good 1.0.0, 5 prompt(s), 1 pinned, 1 on a weekday, 2 rotating a day\n"
    )
    assert ok.stderr == ""
    both = run(["packs", "validate", "good.toml", "bad.toml"])
    assert both.exit_code == 1
    assert both.stdout.splitlines()[1:] == [
        "bad.toml:4: authr: unknown key; did you mean `author`?",
        "bad.toml:10: prompts[0].max: is 1, but it must be greater than min (5)",
    ]
    assert both.stderr == "reflect: 2 problem(s) in 1 of 2 file(s)\n"
    document = json.loads(run(["packs", "validate", "good.toml", "bad.toml", "--json"]).stdout)
    assert document["format"] == 2
    data = document["files"]
    assert [set(d) for d in data] == [
        {"path", "ok", "pack", "problems", "warnings"},
        {"path", "ok", "problems", "warnings"},
    ]
    assert data[0]["pack"] == {"id": "good", "version": "1.0.0", "prompts": 5}
    assert data[1]["problems"][0] == {
        "path": "bad.toml",
        "line": 4,
        "column": None,
        "field": "authr",
        "message": "unknown key; did you mean `author`?",
    }


def test_validate_a_missing_file(run: Run) -> None:
    result = run(["packs", "validate", "nope.toml"])
    assert result.exit_code == 1
    assert result.stdout == "nope.toml: cannot read: No such file or directory\n"


@pytest.mark.parametrize("path", sorted((ROOT / "prompts").glob("*.toml")), ids=lambda p: p.stem)
def test_every_builtin_pack_passes_validate(run: Run, path: Path) -> None:
    result = run(["packs", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: ok: {path.stem} ")


def test_preview_shows_the_rotation(coach: Path, run: Run) -> None:
    run(["packs", "new", "habits"])
    result = run(["packs", "preview", "habits.toml", "--from", "2026-11-26", "--days", "2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Thu 2026-11-26"
    assert any("helping-share" in line and "pinned" in line for line in lines)
    assert "Fri 2026-11-27" in lines
    assert any("week-lesson" in line and "fri" in line for line in lines)
    data = json.loads(
        run(["packs", "preview", "habits.toml", "--from", "2026-11-26", "--json"]).stdout
    )
    assert data["format"] == 2
    assert len(data["days"]) == 7 and set(data["days"][0]) == {"date", "prompts"}
    assert all("helping-share" in day["prompts"] for day in data["days"])


def test_preview_a_builtin_pack_by_id(run: Run) -> None:
    result = run(["packs", "preview", "daily", "--days", "1"])
    assert result.exit_code == 0, result.output
    assert "mood" in result.stdout and "gratitude" in result.stdout


def test_show_a_pack(run: Run) -> None:
    result = run(["packs", "show", "partnership"])
    assert result.exit_code == 0, result.output
    assert "partner-share  scale · every day" in result.stdout
    assert "answer: 0-100%, step 10, target at least 70%" in result.stdout
    assert "weekly-balance  text · fri only" in result.stdout
    data = json.loads(run(["packs", "show", "partnership", "--json"]).stdout)
    assert data["id"] == "partnership" and data["prompts"][0]["id"]
    # The document's own format; the pack file's is pack_format.
    assert list(data)[:4] == ["format", "pack_format", "id", "name"]
    assert data["format"] == 1 and data["pack_format"] == 1


def write_pack(folder: Path, version: str, prompts: str) -> Path:
    path = folder / f"client-{version}.toml"
    path.write_text(
        f'id = "client"\nname = "Client pack"\nversion = "{version}"\n{prompts}', encoding="utf-8"
    )
    return path


V1 = (
    "[[prompts]]\nid = 'credit'\ntext = 'Did you give credit today?'\ntype = 'yes-no'\npin = true\n"
    "[[prompts]]\nid = 'focus'\ntext = 'Focus today?'\ntype = 'text'\npin = true\n"
    "[[prompts]]\nid = 'old'\ntext = 'An old question?'\ntype = 'yes-no'\npin = true\n"
)
V2 = (
    "[[prompts]]\nid = 'credit'\ntext = 'Did you give credit today?'\ntype = 'yes-no'\npin = true\n"
    "[[prompts]]\nid = 'focus'\ntext = 'How focused were you?'\ntype = 'scale'\nmin = 1\nmax = 5\n"
    "pin = true\n"
    "[[prompts]]\nid = 'new'\ntext = 'A new question?'\ntype = 'yes-no'\npin = true\n"
)


def test_install_answer_upgrade_remove(home: Home, tmp_path: Path, run: Run) -> None:
    v1 = write_pack(tmp_path, "1.0.0", V1)
    added = run(["packs", "add", str(v1), "--enable"])
    assert added.exit_code == 0, added.output
    assert added.stdout == "Installed client 1.0.0 (3 prompts)\nclient enabled\n"
    installed = home.packs_dir / "client.toml"
    assert installed.read_text(encoding="utf-8") == v1.read_text(encoding="utf-8")
    assert installed.stat().st_mode & 0o777 == 0o600
    day = dt.date(2026, 11, 26)
    pack = load_pack(installed)
    save_answers(home, day, resolve_answers([pack], ["client/old=yes", "client/focus=Deep work"]))

    again = run(["packs", "add", str(v1)])
    assert again.exit_code == 1
    assert again.stderr == (
        f"reflect: {v1}: version 1.0.0 is not newer than the installed 1.0.0; "
        "raise `version` in the file to upgrade\n"
    )
    same = run(["packs", "add", str(v1), "--upgrade"])
    assert same.exit_code == 1
    assert "version 1.0.0 is not newer than the installed 1.0.0" in same.stderr

    v2 = write_pack(tmp_path, "1.1.0", V2)
    plain = run(["packs", "add", str(v2)])
    assert plain.exit_code == 1
    assert plain.stderr == (
        "reflect: the installed pack 'client' (version 1.0.0) is already there; "
        f"`reflect packs add {v2} --upgrade` replaces it with version 1.1.0\n"
    )
    upgraded = run(["packs", "add", str(v2), "--upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.stdout.splitlines() == [
        "Upgraded client 1.0.0 -> 1.1.0",
        "  focus",
        '    reworded: "Focus today?" -> "How focused were you?"',
        "    retyped: text -> scale (earlier answers are counted apart)",
        "  new",
        '    added: "A new question?"',
        "  old",
        '    removed: "An old question?" (its answers stay, in their own words)',
    ]
    assert (home.packs_dir / ".versions" / "client-1.0.0.toml").is_file()
    shown = json.loads(run(["show", "2026-11-26", "--json"]).stdout)
    # The removed yes/no and the prose of a question since retyped keep their answers.
    assert shown["answers"]["client"] == {"old": True, "focus": "Deep work"}
    assert [(q["prompt"], q["question"], q["shown"], q["in_pack"]) for q in shown["questions"]] == [
        ("old", "An old question?", "yes", False),
        ("focus", "Focus today?", "Deep work", True),
    ]
    assert shown["packs"] == {"client": "1.0.0"}
    people = run(["show", "2026-11-26"])
    assert "An old question?  (retired)" in people.stdout
    assert "True" not in people.stdout

    removed = run(["packs", "remove", "client"])
    assert removed.exit_code == 0
    assert removed.stdout == "Removed client 1.1.0; its answers stay in your entries\n"
    assert not installed.exists()
    listing = json.loads(run(["packs", "list", "--json"]).stdout)["packs"]
    assert "client" not in {p["id"] for p in listing}
    # A tied prose answer stays with its question even when the pack is gone.
    assert json.loads(run(["show", "2026-11-26", "--json"]).stdout)["answers"]["client"] == {
        "old": True,
        "focus": "Deep work",
    }
    builtin = run(["packs", "remove", "daily"])
    assert builtin.exit_code == 1
    assert "is built in and cannot be removed" in builtin.stderr


def test_a_broken_pack_is_refused_and_nothing_installed(
    home: Home, tmp_path: Path, run: Run
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "bad"\n', encoding="utf-8")
    result = run(["packs", "add", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"reflect: {bad}: name: required key is missing")
    assert result.stderr.count("\n") == 1
    assert not (home.packs_dir / "bad.toml").exists()


def test_a_broken_installed_pack_does_not_stop_the_day(demo: Home, run: Run) -> None:
    (demo.packs_dir / "demo.toml").write_text("id = [\n", encoding="utf-8")
    listing = run(["packs", "list"])
    assert listing.exit_code == 0
    assert "skipped a broken pack" in listing.stderr
    result = run(["prompt"])
    assert result.exit_code == 0
    assert "reflect: warning: skipped a broken pack: " in result.stderr
    assert "demo.toml: not valid TOML: Invalid value at the end of the file" in result.stderr


def test_schema_is_generated_from_the_models_and_documented(run: Run) -> None:
    result = run(["packs", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == pack_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) >= {"id", "name", "version", "schedule", "prompts"}
    committed = json.loads((ROOT / "docs" / "pack.schema.json").read_text(encoding="utf-8"))
    assert committed == schema, "regenerate: reflect packs schema > docs/pack.schema.json"


def test_hostile_pack_text_is_shown_as_text(home: Home, tmp_path: Path, run: Run) -> None:
    hostile = tmp_path / "hostile.toml"
    hostile.write_text(
        'id = "hostile"\nname = "[bold red]Boss[/] \\u001b[31mred"\nversion = "1.0.0"\n'
        'description = "[link=http://x.example]click[/link] \\u202eevil"\n'
        "[[prompts]]\nid = 'q'\ntext = 'Q \\u001b]8;;http://x.example\\u0007link?'\ntype = 'yes-no'\n",
        encoding="utf-8",
    )
    run(["packs", "add", str(hostile)])
    for args in (["packs", "show", "hostile"], ["packs", "list"], ["packs", "preview", "hostile"]):
        result = run(args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    shown = run(["packs", "show", "hostile"]).stdout
    assert "[bold red]Boss[/] red" in shown
    assert "[link=http://x.example]click[/link] evil" in shown


def test_unicode_packs_line_up(home: Home, tmp_path: Path, run: Run) -> None:
    path = tmp_path / "unicode.toml"
    path.write_text(
        'id = "unicode"\nname = "日本語のパック 🙂"\nversion = "1.0.0"\n'
        "[[prompts]]\nid = 'q'\ntext = '¿Te inspiró el éxito de alguien hoy? שלום'\ntype = 'yes-no'\n",
        encoding="utf-8",
    )
    run(["packs", "add", str(path)])
    table = run(["packs", "list"], env={"COLUMNS": "100"}).stdout.splitlines()
    row = next(line for line in table if "unicode" in line)
    border = next(line for line in table if line.startswith("┏"))
    from rich.cells import cell_len

    assert cell_len(row) == cell_len(border)
    shown = run(["packs", "show", "unicode"]).stdout
    assert "¿Te inspiró el éxito de alguien hoy? שלום" in shown


def test_limits_keep_a_hostile_file_from_hanging(tmp_path: Path, run: Run) -> None:
    huge = tmp_path / "huge.toml"
    huge.write_text(
        'id = "huge"\ndescription = "' + "x" * (5 * 1024 * 1024) + '"\n', encoding="utf-8"
    )
    result = run(["packs", "validate", str(huge)])
    assert result.exit_code == 1
    assert "is larger than 4 MB; no pack needs that" in result.stdout


def test_the_demo_pack_validates(run: Run) -> None:
    assert run(["packs", "validate", str(DATA / "demo.toml")]).exit_code == 0


def test_validate_warns_about_choice_names_that_are_numbers(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "digits.toml"
    pack.write_text(
        'id = "digits"\nname = "Digits"\nversion = "1.0.0"\n\n[[prompts]]\nid = "level"\n'
        'text = "Which level?"\ntype = "choice"\nchoices = ["0", "1", "2"]\n',
        encoding="utf-8",
    )
    result = run(["packs", "validate", str(pack)])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"{pack}: warning: level: choice name(s) '1', '2' are also choice numbers; "
        "typing one picks the choice with that name, never by position\n"
    )
    data = json.loads(run(["packs", "validate", str(pack), "--json"]).stdout)
    assert data["files"][0]["warnings"] == [result.stderr.split(": warning: ", 1)[1].strip()]


def test_replacing_a_built_in_pack_needs_its_own_flag(home: Home, tmp_path: Path, run: Run) -> None:
    from reflect.packs.library import builtin_dir

    text = (builtin_dir() / "partnership.toml").read_text(encoding="utf-8")
    mine = tmp_path / "partnership.toml"
    mine.write_text(text.replace('version = "1.0.0"', 'version = "2.0.0"'), encoding="utf-8")
    refused = run(["packs", "add", str(mine), "--upgrade"])
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"reflect: {mine} has the id of the built-in pack 'partnership' (Partner when we should, "
        "version 1.0.0); installing it replaces that pack's questions for every day from now "
        "on. If that is what you want, add --upgrade --replace-builtin; otherwise give the pack "
        "another id\n"
    )
    assert not (home.packs_dir / "partnership.toml").exists()
    done = run(["packs", "add", str(mine), "--upgrade", "--replace-builtin"])
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        "Replaced the built-in partnership 1.0.0 (Partner when we should) with 2.0.0\n"
        "  no question changed\n"
    )
