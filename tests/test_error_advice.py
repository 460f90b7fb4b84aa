"""The library says what went wrong; the command line adds the command or flag to try.

An error raised with a `Hint` gets its advice from cli/common.py's HINTS, in
the one place errors are printed. The library still names reflect's flags
and commands where that is its own knowledge; each such place is listed
here with the reason, so a new one is a decision, not a habit.
"""

import ast
import functools
import re
from pathlib import Path

import pytest

from reflect.cli.common import HINTS, advice
from reflect.errors import Hint, ReflectError
from reflect.journal.home import Home

from .conftest import DATA, Run

SRC = Path(__file__).resolve().parents[1] / "src" / "reflect"
MENTION = re.compile(
    r"(?<![\w-])--[a-z][a-z-]*|\breflect (?:today|write|edit|show|log|search|history|trends"
    r"|calendar|export|report|packs|doctor|migrate|sync|encrypt|decrypt|status|import|prompt)\b"
)

# The option whose value is wrong, named where the value is checked: the
# location of the problem, as Typer's own "Invalid value for --by" is.
OPTION_CHECKED_HERE = "names the option whose value this module checks"
# Text the library writes for a person to read later (a day's file, a report,
# a doctor finding's fix): no error line for the command line to finish.
WRITTEN_OUT = "in text the library writes or reports, not an error the command line prints"

ALLOWED: dict[str, dict[str, str]] = {
    "daily/daylio.py": {
        "--mood": OPTION_CHECKED_HERE,
        "--prompt": OPTION_CHECKED_HERE,
    },
    "daily/edit_entry.py": {"reflect edit": WRITTEN_OUT},
    "daily/external_editor.py": {"--eval": "an editor's own option (emacs --eval), not reflect's"},
    "daily/greeting.py": {
        "reflect packs": "the shell greeting is itself command-line output, printed before Typer loads",
        "reflect show": "the shell greeting is itself command-line output, printed before Typer loads",
        "reflect today": "the shell greeting is itself command-line output, printed before Typer loads",
    },
    "daily/quick_today.py": {
        "--answer": "the quick path reads `today`'s own options before Typer loads",
        "--no-input": "the quick path reads `today`'s own options before Typer loads",
    },
    "daily/importer.py": {
        "--format": "the export format another journal's own command writes (jrnl --format json)",
        "--tz": OPTION_CHECKED_HERE,
        "reflect import": "names the other importer when a file is the other journal's export",
    },
    "daily/session.py": {
        "--answer": OPTION_CHECKED_HERE,
        "--time": OPTION_CHECKED_HERE,
        "--revisit": "the interactive session's own words, said while it runs",
        "reflect today": "the interactive session's own words, said while it runs",
    },
    "doctor/check.py": {
        mention: "doctor's findings carry their fix as data (`fix`), shown by doctor and --json"
        for mention in (
            "--abort",
            "--fix",
            "--home",
            "--all",
            "reflect decrypt",
            "reflect doctor",
            "reflect edit",
            "reflect encrypt",
            "reflect migrate",
            "reflect packs",
            "reflect sync",
            "reflect today",
            "reflect write",
        )
    }
    | {flag: "git's own options (a stale merge driver)" for flag in ("--file", "--get-regexp")},
    "errors.py": {"reflect packs": "a pack error counts its problems; validate lists them all"},
    "export/report.py": {
        "--format": "what a coach asks a client to run, not what this user tries",
        "--share": "what a coach asks a client to run, not what this user tries",
        "reflect export": "what a coach asks a client to run, not what this user tries",
        "--name": OPTION_CHECKED_HERE,
    },
    "export/review.py": {
        "--format": OPTION_CHECKED_HERE,
        "--pack": OPTION_CHECKED_HERE,
        "--share": OPTION_CHECKED_HERE,
        "--with-previous": OPTION_CHECKED_HERE,
    },
    "journal/convert.py": {
        "reflect encrypt": "an encryption stopped midway is finished by running the command again",
        "reflect decrypt": "an encryption stopped midway is finished by running the command again",
        "--identity": "said by a resumed `reflect encrypt` about the key it was first given",
        "reflect doctor": "said by a resumed `reflect encrypt`, beside the --identity it needs",
    },
    "journal/crypt.py": {
        "reflect encrypt": "`reflect status` lines, built here for the status command and --json",
        "reflect decrypt": "`reflect status` lines, built here for the status command and --json",
        "reflect doctor": "also read by doctor itself and the greeting, which print it whole",
        "--identity": "a stopped rotation's status line names the command that finishes it",
        "--rotate": "status and doctor name the rotation that finishes a stopped one",
    },
    "journal/edit_copies.py": {
        "reflect edit": "where a killed edit's text went, said by any command and by doctor, "
        "with the one command that brings it back"
    },
    "journal/frontsplit.py": {"reflect edit": WRITTEN_OUT},
    "journal/save.py": {"reflect today": WRITTEN_OUT},
    "lookback/queries.py": {"--where": OPTION_CHECKED_HERE, "--regex": OPTION_CHECKED_HERE},
    "main.py": {
        "--home": "the fast entry point parses --home itself, before Typer loads",
        "--answer": "the console script picks the quick path by `today`'s own option",
        "--format": "the console script picks the light export by `export`'s own option",
    },
    "model/dates.py": {
        "--week": OPTION_CHECKED_HERE,
        "--month": OPTION_CHECKED_HERE,
        "--since": OPTION_CHECKED_HERE,
        "--until": OPTION_CHECKED_HERE,
    },
    "packs/library.py": {
        "--upgrade": "the one refusal that is about the pair of flags itself",
        "--replace-builtin": "the one refusal that is about the pair of flags itself",
        "reflect prompt": "the kept schedule's note for the fast `reflect prompt` path",
    },
    "render/quick_export.py": {
        flag: "the light export reads `export`'s own options before Typer loads"
        for flag in ("--format", "--from", "--since", "--to", "--until", "--week")
    },
    "render/trends.py": {"--by": "render/ is the command line's drawing", "--json": "ditto"},
    "sync/git.py": {
        flag: "git's own options"
        for flag in (
            "--batch",
            "--diff-filter",
            "--get-regexp",
            "--name-only",
            "--quiet",
            "--short",
            "--verify",
        )
    }
    | {
        "reflect doctor": "git's lock left by a stopped git: doctor names it, and when to delete it"
    },
    "sync/merge.py": {"reflect sync": WRITTEN_OUT},
    "sync/driver.py": {
        "reflect doctor": "a config.toml that does not read stops the merge: which machine's "
        "doctor names the line (the advice the sync's stop carries)",
    },
    "sync/repo.py": {
        **{
            flag: "git's own options"
            for flag in (
                "--abort",
                "--all",
                "--allow-unrelated-histories",
                "--cached",
                "--count",
                "--git-path",
                "--initial-branch",
                "--left-right",
                "--name-only",
                "--name-status",
                "--no-edit",
                "--no-renames",
                "--no-verify",
                "--ours",
                "--porcelain",
                "--quiet",
                "--set-upstream",
                "--template",
                "--theirs",
                "--untracked-files",
                "--verify",
            )
        },
        "reflect doctor": "an unfinished merge: doctor says what is left, beside the git command",
        "reflect edit": "a day sync refuses to commit: the command that fixes that day, by date",
        "--date": "a day sync refuses to commit: the command that fixes that day, by date",
        "reflect sync": "encrypt refused on a remote already encrypted: sync takes that key",
        "reflect decrypt": "two keys for one journal: which machine gives its key up",
        "reflect encrypt": "decrypted on another machine: how to encrypt the journal again",
    },
}


@functools.cache
def modules() -> dict[str, ast.Module]:
    """Every module of the library, parsed once for the tests below."""
    return {
        path.relative_to(SRC).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(SRC.rglob("*.py"))
    }


def mentions() -> dict[str, set[str]]:
    """Each module outside cli/ and the flags and commands its strings name (docstrings aside)."""
    found: dict[str, set[str]] = {}
    for name, tree in modules().items():
        if name.startswith("cli/"):
            continue
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        named = {
            mention
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            for mention in MENTION.findall(node.value)
        }
        if named:
            found[name] = named
    return found


@pytest.mark.slow
def test_the_library_names_cli_flags_only_where_the_allow_list_says_why() -> None:
    found = mentions()
    unexplained = {name: sorted(m - set(ALLOWED.get(name, {}))) for name, m in found.items()}
    assert {k: v for k, v in unexplained.items() if v} == {}, "use a Hint, or add a reason"
    stale = {
        name: sorted(set(allowed) - found.get(name, set())) for name, allowed in ALLOWED.items()
    }
    assert {k: v for k, v in stale.items() if v} == {}, "no longer named: drop from ALLOWED"


@pytest.mark.slow
def test_every_hint_the_library_gives_has_words_and_every_word_is_used() -> None:
    kinds = set()
    for tree in modules().values():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Hint"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                kinds.add(node.args[0].value)
    assert kinds == set(HINTS)


def test_the_hint_is_added_to_the_line_and_kept_out_of_the_message() -> None:
    error = ReflectError("pack 'x' has no prompt 'y'", hint=Hint("packs-show-prompts", pack="x"))
    assert str(error) == "pack 'x' has no prompt 'y'"
    assert advice(error.hint) == "; `reflect packs show x` lists its prompts"
    assert advice(None) == ""


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["today", "--no-input", "--answer", "nope/mood=3"],
            "reflect: no enabled pack with id 'nope'; `reflect packs list` shows the packs\n",
        ),
        (
            ["trends", "--by", "day", "--since", "2000-01-01", "--until", "2026-01-01"],
            "reflect: by day from 2000-01-01 to 2026-01-01 is 9498 periods, more than 1500: "
            "choose a longer --by or a shorter range\n",
        ),
    ],
)
def test_the_command_line_adds_the_advice(run: Run, args: list[str], stderr: str) -> None:
    result = run(args)
    assert result.exit_code in (1, 2)
    assert result.stderr == stderr


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["log", "--pack", "nope"], "no pack with id 'nope'"),
        (["log", "--where", "nope/x=1"], "no pack with id 'nope'"),
        (["history", "nope/x"], "no pack with id 'nope' and no entry answers 'nope/x'"),
        (["today", "--no-input", "--answer", "nope/x=1"], "no enabled pack with id 'nope'"),
        (["trends", "--pack", "nope"], "no pack with id 'nope'"),
        (["import", "daylio", "--prompt", "nope/x", "{daylio}"], "no pack with id 'nope'"),
    ],
)
def test_an_unknown_pack_is_one_error_with_one_exit_code(
    run: Run, args: list[str], stderr: str
) -> None:
    """`log --pack nope` exited 1 and `log --where nope/x=1` 2: every command now says it alike."""
    daylio = str(DATA / "daylio-export.csv")
    result = run([daylio if arg == "{daylio}" else arg for arg in args])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == f"reflect: {stderr}; `reflect packs list` shows the packs\n"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("config.toml", ["packs", "list"]),
        ("encryption.toml", ["status"]),
        ("summary.json", ["report", "{file}"]),
    ],
)
def test_a_file_that_is_not_utf8_is_refused_in_one_wording(
    home: Home, run: Run, name: str, args: list[str]
) -> None:
    home.ensure()
    bad = home.root / name
    bad.write_bytes(b"caf\xe9 = 1\n")
    result = run([str(bad) if arg == "{file}" else arg for arg in args])
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"reflect: {bad}: is not UTF-8 text (bad byte at offset 3); "
        "convert it to UTF-8 in an editor\n"
    )


@pytest.mark.parametrize(
    ("name", "kind", "text", "args"),
    [
        ("config.toml", "config", 'format = 2\npacks = ["daily"]\n', ["packs", "list"]),
        (
            "encryption.toml",
            "encryption",
            'format = 2\nstate = "encrypted"\nrecipient = "age1x"\n',
            ["status"],
        ),
    ],
)
def test_a_settings_file_from_a_newer_reflect_is_refused_not_read(
    home: Home, run: Run, name: str, kind: str, text: str, args: list[str]
) -> None:
    """Any format number was accepted silently; a newer one is refused in the words entries use."""
    home.ensure()
    (home.root / name).write_text(text, encoding="utf-8")
    result = run(args)
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"reflect: {home.root / name}: written by a newer reflect ({kind} format 2, this one "
        "reads 1); upgrade reflect to read it\n"
    )
