"""Every test runs against its own temporary journal home; none touches a real journal."""

# reflect and typer are imported inside the fixtures and helpers that use them: with
# `-n`, the process that hands out the tests loads this file too and runs none of them.
from __future__ import annotations

import datetime as dt
import gc
import itertools
import os
import re
import shutil
import stat
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from typer.testing import Result

    from reflect.journal.home import Home

DATA = Path(__file__).parent / "data"

# Property tests take their example counts from a profile, never from the test:
# `dev` (the default) keeps the inner loop quick, `ci` is thorough. Choose with
# `pytest --hypothesis-profile=ci`, as .ci/run and the README's test command do.
settings.register_profile(
    "dev", max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("dev")


# A run of the fast tier leaves about 17,000 files; pytest deletes a run three runs later, in
# the process that reports. On a disk that discards freed blocks a deletion costs one to four
# milliseconds: up to a minute of someone's run. In memory, where the system offers a place,
# it costs microseconds, and so do the tests' own deletions. `tmp_path_retention_count` keeps
# one run there, not three. `--basetemp` or PYTEST_DEBUG_TEMPROOT still choose.
MEMORY = "/dev/shm"
# A container's /dev/shm is often 64 MB; a whole run keeps a few hundred MB there.
MEMORY_NEEDED = 2 * 2**30


def _free(folder: str) -> int:
    """The bytes an unprivileged writer may still put in `folder`'s file system."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return 0
    return st.f_bavail * st.f_frsize


def pytest_configure(config: pytest.Config) -> None:
    # xdist's `load` hands each worker a quarter of its share at the start, so the longest
    # tests, collected first (see LONGEST), would all queue on one worker; one test at a
    # time, each worker takes the next test when it is free. Only for the whole run (the
    # `ci` profile): handing out tests one by one costs the fast tier a fifth of its time.
    if (
        getattr(config.option, "maxschedchunk", False) is None
        and config.getoption("hypothesis_profile", None) == "ci"
    ):
        config.option.maxschedchunk = 1
    if (
        config.option.basetemp is None
        and "PYTEST_DEBUG_TEMPROOT" not in os.environ
        and os.path.isdir(MEMORY)
        and os.access(MEMORY, os.W_OK | os.X_OK)
        and _free(MEMORY) >= MEMORY_NEEDED
    ):
        os.environ["PYTEST_DEBUG_TEMPROOT"] = MEMORY


# The suite's longest tests at the `ci` profile, by node id, as `--durations` names them:
# they start first, then the other slow ones and property tests (a thousand examples each
# at `ci`), then the rest. With `-n`, one worker runs a long test while the others take
# everything else, instead of all but one waiting at the end for it. A name missing here
# only changes when its test starts.
LONGEST = (
    "tests/test_sync_machine.py::TestTwoMachines",
    "tests/test_export_index.py::test_any_journal_sums_up_the_same_from_the_index",
    "tests/test_index.py::test_any_damage_between_two_commands_hides_nothing_from_a_third",
    "tests/reliability/test_fuzz.py::test_pack_shaped_data",
    "tests/test_fixed_windows.py::test_the_walk_back_through_a_run_finds_what_reading_every_day_finds",
    "tests/reliability/test_fuzz_readers.py",
    "tests/test_index.py::test_any_entry_reads_the_same_from_the_cache",
    "tests/reliability/test_broken_files.py::test_any_truncation_or_flipped_byte",
    "tests/reliability/test_bounds.py::test_memory_stays_bounded_under_hostile_inputs",
    "tests/test_format_machine.py::test_every_answer_survives_any_history",
    "tests/test_search_quick.py::test_any_piped_search_says_what_the_full_command_line_says",
    "tests/reliability/test_crash.py::test_kill_nine_at_random_points_never_damages_the_entry",
    "tests/test_install.py::test_the_wheel_ships_every_builtin_pack",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def start(item: pytest.Item) -> tuple[int, int]:
        named = [i for i, name in enumerate(LONGEST) if item.nodeid.startswith(name)]
        if named:
            return (0, named[0])
        long = item.get_closest_marker("slow") or getattr(
            getattr(item, "obj", None), "is_hypothesis_test", False
        )
        return (1, 0) if long else (2, 0)

    items.sort(key=start)  # stable: within a group, the usual order


def pytest_collection_finish(session: pytest.Session) -> None:
    """Leave what collection built out of the garbage collector's full passes.

    The collected tests, their modules and the imported library live until
    the process ends; without this every full pass walks them all again, a
    cost that grows with the suite.
    """
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True, scope="session")
def cli_built_once() -> Iterator[None]:
    """Build the click command from the Typer app once, as `reflect` does once per process.

    typer's CliRunner builds it again on every invoke (about 12 ms, more
    than most commands take to run); the built command holds no state
    between invocations.
    """
    import typer.testing

    from reflect.cli import app

    built = typer.main.get_command(app)
    build = typer.testing._get_command
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            typer.testing,
            "_get_command",
            lambda typer_app: built if typer_app is app else build(typer_app),
        )
        yield


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passphrase key.age files written by tests cost scrypt N = 2^10, not age's 2^18.

    The cost is written in the file, so opening them is as cheap, here and
    in the reflect processes a test starts; `age` reads them all the same.
    test_crypt.py pins that reflect itself writes 2^18.
    """
    from reflect.journal import passfile

    monkeypatch.setattr(passfile, "WORK_FACTOR", 10)


@pytest.fixture(autouse=True)
def fsync_only_special_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip fsync on regular files and folders; call it on anything else.

    fsync makes a write survive a power cut, which no test in this process
    can observe, and on a shared disk it costs about 9 ms a call: most of the
    fast tier's wall time. It still runs on FIFOs, devices and sockets,
    whose refusals reflect handles. The crash tests run reflect in
    subprocesses, where every fsync is real.
    """
    real = os.fsync

    def fsync(fd: int) -> None:
        kind = os.fstat(fd).st_mode
        if not (stat.S_ISREG(kind) or stat.S_ISDIR(kind)):
            real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


_folders = itertools.count()


@pytest.fixture
def tmp_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new empty folder for the test, named after it, as pytest's own `tmp_path` gives.

    pytest numbers its folders by listing every folder made so far in the process,
    a cost that grows with the suite; a count does the same here. Each process has
    a base folder of its own, so the names never meet.
    """
    name = re.sub(r"\W", "_", request.node.name)[:30]
    path = tmp_path_factory.getbasetemp() / f"{name}-{next(_folders)}"
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    from reflect.journal.home import Home

    root = tmp_path / "journal"
    monkeypatch.setenv("REFLECT_HOME", str(root))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for name in ("VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    return Home(root)


Run = Callable[..., "Result"]


def modules_after_each(codes: Sequence[str], shared: str = "") -> list[list[str]]:
    """The modules loaded once each piece of code has run, each as in a new Python process.

    One process imports `shared` (what every piece imports anyway), then forks a
    child per piece, so the common start-up is paid once: a module a child holds
    is one its code imported, or one of `shared`, which the caller checks too.
    """
    import json
    import subprocess
    import sys

    program = (
        "import json, os, sys\n"
        f"{shared}\n"
        "found = []\n"
        f"for code in {list(codes)!r}:\n"
        "    read, write = os.pipe()\n"
        "    if os.fork() == 0:\n"
        "        exec(code, {'__name__': '__main__'})\n"
        "        sys.stdout.flush()\n"
        "        os.write(write, ' '.join(sorted(sys.modules)).encode())\n"
        "        os._exit(0)\n"
        "    os.close(write)\n"
        "    with os.fdopen(read, 'rb') as pipe:\n"
        "        found.append(pipe.read().decode().split())\n"
        "    os.wait()\n"
        "print(json.dumps(found))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, env=os.environ
    )
    assert result.stderr == "", result.stderr
    found: list[list[str]] = json.loads(result.stdout.splitlines()[-1])
    return found


# What the quick paths (`reflect write`, `reflect today --answer`) must never load.
QUICK_HEAVY = ("typer", "pydantic", "rich", "yaml", "click", "platformdirs", "filelock", "pathlib")


def quick_path_run(*args: str, also: Sequence[str] = ()) -> tuple[list[object], str]:
    """`reflect ARGS` in a new process: its exit code, the reflect modules it loaded and
    those of QUICK_HEAVY and `also` it loaded (json is imported after looking); its stderr."""
    import json
    import sys

    code = (
        "import sys\n"
        f"sys.argv = ['reflect', *{list(args)!r}]\n"
        "from reflect.main import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "mods = sorted(m for m in sys.modules if m == 'reflect' or m.startswith('reflect.'))\n"
        f"heavy = sorted(m for m in {(*QUICK_HEAVY, *also)!r} if m in sys.modules)\n"
        "import json\n"
        "print(json.dumps([code, mods, heavy]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    found: list[object] = json.loads(result.stdout)
    return found, result.stderr


@pytest.fixture
def run() -> Run:
    """Invoke the CLI; an unexpected Python exception fails the test with its traceback."""
    from typer.testing import CliRunner

    from reflect.cli import app

    runner = CliRunner()

    def invoke(args: Sequence[str], input: str | None = None, **kwargs: object) -> Result:
        result = runner.invoke(app, list(args), input=input, prog_name="reflect", **kwargs)  # type: ignore[arg-type]
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


def search_in_process(home: Home, run: Run, query: str) -> tuple[tuple[int, str, str], ...]:
    """(quick path, full command line) of `reflect search QUERY`, each from no index, both in
    this process: reflect/quick_search.py as main.py runs it, into UTF-8 streams that are no
    terminal; the quick path answers, it does not hand over.

    The fast tier's check of what tests/test_search_quick.py checks in new processes.
    """
    import io
    import sys

    from reflect import quick_search
    from reflect.journal import crypt

    streams = [io.TextIOWrapper(io.BytesIO(), encoding="utf-8") for _ in range(2)]
    saved = sys.stdout, sys.stderr, quick_search._searched[:]
    shutil.rmtree(home.cache_dir, ignore_errors=True)
    sys.stdout, sys.stderr = streams
    try:
        quick_search.main([query], None)
    except SystemExit as exc:
        code = exc.code
    else:
        code = "handed over"
    finally:
        sys.stdout, sys.stderr, quick_search._searched[:] = saved
        crypt.begin_command(None)
    assert isinstance(code, int), code
    out, err = (stream.buffer.getvalue().decode() for stream in streams)  # type: ignore[attr-defined]
    shutil.rmtree(home.cache_dir, ignore_errors=True)
    full = run(["search", query])
    crypt.begin_command(None)
    return (code, out, err), (full.exit_code, full.stdout, full.stderr)


def run_in(home: Home) -> Run:
    """Invoke the CLI on another journal than the test's, as `run` does on the test's.

    For journals built once and copied (`built_once`): the state folder is the
    journal's neighbour, not the first test's.
    """
    from typer.testing import CliRunner

    from reflect.cli import app

    runner = CliRunner()
    env = {"REFLECT_HOME": str(home.root), "XDG_STATE_HOME": str(home.root.parent / "state")}

    def invoke(args: Sequence[str], input: str | None = None) -> Result:
        result = runner.invoke(app, list(args), input=input, prog_name="reflect", env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


def without_index(home: Home) -> None:
    """Remove the index commands left, so the journal can be copied (see `built_once`)."""
    shutil.rmtree(home.cache_dir, ignore_errors=True)


@pytest.fixture
def demo(home: Home, run: Run) -> Home:
    """A journal with only the small test pack `demo` installed and enabled."""
    home.ensure()
    shutil.copy(DATA / "demo.toml", home.packs_dir / "demo.toml")
    home.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
    return home


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time in Europe/Berlin, where 2026 has a 23-hour day (29 March) and a 25-hour one (25 October)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare git repository for journals to sync through."""
    path = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(path)], check=True)
    return path


def machine(tmp_path: Path, name: str) -> dict[str, str]:
    """The environment of one machine's journal, for `run(..., env=...)`."""
    return {"REFLECT_HOME": str(tmp_path / name)}


def git(root: Path, *args: str) -> str:
    """What git prints for a journal, as a person with no identity of their own set."""
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@localhost", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def main_at(moment: dt.datetime) -> str:
    """`python -c` code running reflect as its console script does, its clocks at `moment`.

    A test that starts reflect in a new process and then reads the day it wrote
    would otherwise depend on the date it runs on. One line, without double quotes,
    so that it fits in an `sh -c` string too.
    """
    return (
        "import datetime as dt; "
        "from reflect.model import dates; from reflect.journal import drafts; "
        "from reflect.daily import quick, quick_today; "
        f"moment = dt.datetime.fromisoformat({moment.isoformat()!r}); "
        "dates.today = moment.date; drafts.now = moment.astimezone; "
        "quick.clock = moment.timetuple; quick_today.clock = moment.astimezone; "
        "from reflect.main import main; main()"
    )


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def answer(home: Home, day: str, *answers: str) -> None:
    from reflect.daily.session import resolve_answers, save_answers
    from reflect.packs.library import find_pack

    pack = find_pack(home, "demo").pack
    save_answers(home, d(day), resolve_answers([pack], list(answers)))


def write(home: Home, day: str, text: str) -> None:
    """An entry file as a person might leave it after editing by hand."""
    from reflect.journal.store import entry_path

    path = entry_path(home, d(day))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def journal_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Journals built once per test process, by the name of what built them."""
    return {}


Build = Callable[["Home"], object]


@pytest.fixture
def built_once(
    home: Home,
    journal_templates: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[Build], Home]:
    """Give the test its own copy of a journal that `build` writes once per process.

    Writing a journal through the library costs tens of milliseconds a day;
    copying its few files costs about one. Each test still has a journal of
    its own, with nothing shared. Only for journals that hold no index (its
    rows name each file's inode, which a copy changes) and no special files.
    """

    from reflect.journal.home import Home

    def copy(build: Build) -> Home:
        name = f"{build.__module__}.{build.__qualname__}"
        if name not in journal_templates:
            template = Home(tmp_path_factory.mktemp("template") / "journal")
            template.ensure()
            shutil.copy(DATA / "demo.toml", template.packs_dir / "demo.toml")
            template.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
            build(template)
            assert not template.cache_dir.exists(), "a journal with an index is not copied"
            journal_templates[name] = template.root
        shutil.copytree(journal_templates[name], home.root, symlinks=True, dirs_exist_ok=True)
        return home

    return copy


def two_weeks(home: Home) -> None:
    """Two weeks of answers; the expected numbers in the tests are worked out from these lines."""
    from reflect.daily.session import add_note

    # 2026-W46
    answer(home, "2026-11-09", "mood=2", "threatened=y", "share=50", "where=meeting", "hours=6")
    answer(home, "2026-11-09", "gratitude=Tea with the team")
    answer(home, "2026-11-11", "mood=3", "threatened=n", "share=60", "where=chat")
    answer(home, "2026-11-13", "mood=4", "threatened=y", "hours=8", "gratitude=A quiet morning")
    # 2026-W47
    answer(home, "2026-11-16", "mood=5", "threatened=n", "share=80", "where=meeting", "hours=7.5")
    answer(home, "2026-11-17", "mood=4", "threatened=n", "share=70", "where=meeting")
    answer(home, "2026-11-17", "gratitude=Sun")
    answer(home, "2026-11-19", "mood=3", "threatened=y", "where=one-to-one")
    add_note(home, d("2026-11-17"), "Planning went well.", ["team"])
    add_note(home, d("2026-11-19"), "Launch day.", ["team", "launch"])


@pytest.fixture
def fortnight(demo: Home, built_once: Callable[[Build], Home]) -> Home:
    """The demo journal with two weeks of answers (`two_weeks`)."""
    return built_once(two_weeks)
