"""Loading packs: every built-in pack validates, and each kind of mistake is named precisely."""

from pathlib import Path

import pytest

from reflect.errors import PackError
from reflect.packs.library import builtin_dir, load_pack, parse_pack

from .conftest import DATA

BUILTIN = sorted(builtin_dir().glob("*.toml"))

HEAD = 'id = "p"\nname = "P"\nversion = "1.0.0"\n'


def problems(text: str) -> list[str]:
    with pytest.raises(PackError) as caught:
        parse_pack(text, "pack.toml")
    return [p.line_text() for p in caught.value.problems]


def test_the_six_builtin_packs_are_there() -> None:
    names = {p.stem for p in BUILTIN}
    assert names == {
        "growth-mindset",
        "servant-leadership",
        "co-creator",
        "partnership",
        "collaboration",
        "daily",
    }


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_builtin_packs_validate(path: Path) -> None:
    pack = load_pack(path)
    assert pack.id == path.stem
    types = {p.type for p in pack.prompts}
    if pack.id != "daily":
        assert 6 <= len(pack.prompts) <= 12
        assert len(types) >= 3, "mixed types"


def test_the_test_pack_loads() -> None:
    pack = load_pack(DATA / "demo.toml")
    assert [p.id for p in pack.prompts][:2] == ["mood", "threatened"]


def prompt(body: str, schedule: str = "") -> str:
    """A pack with one [[prompts]] table (at line 4, or 6 with a schedule) and `body` in it."""
    return HEAD + schedule + "[[prompts]]\nid = 'a'\ntext = 'A?'\n" + body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD + "descripton = 'x'\n[[prompts]]\nid='a'\ntext='A?'\ntype='text'\n",
            "pack.toml:4: descripton: unknown key; did you mean `description`?",
        ),
        (
            'id = "Bad Id"\nname = "P"\nversion = "1.0.0"\n[[prompts]]\nid="a"\ntext="A"\ntype="text"\n',
            'pack.toml:1: id: must be a lower-case id: letters, digits and "-", like "my-pack", '
            "found 'Bad Id'",
        ),
        (
            'id = "p"\nname = "P"\nversion = "one"\n[[prompts]]\nid="a"\ntext="A"\ntype="text"\n',
            """pack.toml:3: version: must be a version MAJOR.MINOR.PATCH, like "1.0.0", found 'one'""",
        ),
        (
            prompt("type = 'slider'\n"),
            "pack.toml:7: prompts[0].type: is 'slider'; "
            "expected one of text, yes-no, scale, choice, number",
        ),
        (
            prompt(""),
            "pack.toml:4: prompts[0].type: type is missing; "
            "expected one of text, yes-no, scale, choice, number",
        ),
        (
            prompt("type = 'scale'\nmin = 5\nmax = 1\n"),
            "pack.toml:9: prompts[0].max: is 1, but it must be greater than min (5)",
        ),
        (
            prompt("type = 'scale'\nmin = 0\nmax = 10\ntarget = 11\n"),
            "pack.toml:10: prompts[0].target: is 11, outside the range 0-10",
        ),
        (
            prompt("type = 'number'\nmin = 0\ntarget = -1\n"),
            "pack.toml:9: prompts[0].target: is -1, outside the range 0-…",
        ),
        (
            prompt("type = 'scale'\nmin = 0\nmax = 10\nstep = 3\n"),
            "pack.toml:10: prompts[0].step: 3 does not divide the range 0-10 into equal steps",
        ),
        (
            prompt("type = 'scale'\nmin = 0\nmax = 10\nstep = 0\n"),
            "pack.toml:10: prompts[0].step: is 0, but it must be greater than 0",
        ),
        (
            prompt("type = 'choice'\nchoices = []\n"),
            "pack.toml:8: prompts[0].choices: needs at least two choices",
        ),
        (
            prompt("type = 'choice'\nchoices = ['x', 'X']\n"),
            "pack.toml:8: prompts[0].choices[1]: 'X' is listed twice",
        ),
        (
            prompt("type = 'yes-no'\nfollow_up = {when = 'maybe', text = 'Why?'}\n"),
            "pack.toml:8: prompts[0].follow_up.when: is 'maybe'; "
            'a yes-no prompt takes "yes", "no" or "any"',
        ),
        (
            prompt("type = 'scale'\nmin = 1\nmax = 5\nfollow_up = {when = '< 1', text = 'Why?'}\n"),
            "pack.toml:10: prompts[0].follow_up.when: is '< 1', which no answer in the range can meet",
        ),
        (
            prompt(
                "type = 'choice'\nchoices = ['a', 'b']\nfollow_up = {when = 'c', text = 'Why?'}\n"
            ),
            "pack.toml:9: prompts[0].follow_up.when: is 'c', which is not one of the choices",
        ),
        (
            prompt("type = 'text'\nfollow_up = {when = 'yes', text = 'Why?'}\n"),
            "pack.toml:8: prompts[0].follow_up.when: is 'yes'; "
            'a text prompt\'s follow-up can only be "any"',
        ),
        (
            prompt("type = 'yes-no'\non = 'friday'\n"),
            "pack.toml:8: prompts[0].on: is 'friday'; "
            "expected mon, tue, wed, thu, fri, sat or sun (did you mean `fri`?)",
        ),
        (
            prompt("type = 'yes-no'\n") + "[[prompts]]\nid = 'a'\ntext = 'B'\ntype = 'text'\n",
            "pack.toml:9: prompts[1].id: id 'a' is already used by prompts[0]; "
            "ids must be unique in a pack",
        ),
        (
            prompt("type = 'text'\n", schedule="[schedule]\nper_day = '2'\n"),
            "pack.toml:5: schedule.per_day: expected a whole number (without quotes), found '2'",
        ),
        (
            prompt("type = 'text'\npin = 'yes'\n"),
            "pack.toml:8: prompts[0].pin: expected true or false (without quotes), found 'yes'",
        ),
        (
            prompt("type = 'text'\npin = 1\n"),
            "pack.toml:8: prompts[0].pin: expected true or false (without quotes), found 1",
        ),
        (
            prompt("type = 'yesno'\n"),
            "pack.toml:7: prompts[0].type: is 'yesno'; expected one of text, yes-no, scale, "
            "choice, number (did you mean `yes-no`?)",
        ),
        (
            prompt("type = 'yes-no'\non = 'Thursday'\n"),
            "pack.toml:8: prompts[0].on: is 'Thursday'; "
            "expected mon, tue, wed, thu, fri, sat or sun (did you mean `thu`?)",
        ),
        (
            prompt("type = 'yes-no'\ntarget = 3\n"),
            "pack.toml:8: prompts[0].target: a yes-no prompt takes no `target`; "
            "it belongs to scale and number prompts",
        ),
        (
            prompt("type = 'scale'\nmin = 1\nmax = 5\nchoices = ['a', 'b']\n"),
            "pack.toml:10: prompts[0].choices: a scale prompt takes no `choices`; "
            "it belongs to choice prompts",
        ),
        (
            prompt("type = 'scale'\nmin = 1\nmax = 5\ntarget = { at_least = 3, at_most = 4 }\n"),
            "pack.toml:10: prompts[0].target: a target takes exactly one of at_least, at_most "
            "or about, found at_least and at_most",
        ),
        (
            prompt("type = 'scale'\nmin = 1\nmax = 5\ntarget = { at_most = 9 }\n"),
            "pack.toml:10: prompts[0].target: is 9, outside the range 1-5",
        ),
        (
            prompt("type = 'scale'\nmin = 1\nmax = '5'\n"),
            "pack.toml:9: prompts[0].max: expected a number, found '5'",
        ),
        (
            'id = "p"\nname = \n',
            'pack.toml:2:8: not valid TOML: Invalid value (text needs quotes, like text = "...")',
        ),
        (HEAD, "pack.toml: prompts: required key is missing"),
    ],
)
def test_each_mistake_is_named(text: str, expected: str) -> None:
    assert expected in problems(text)


def test_every_problem_is_reported_at_once() -> None:
    text = (
        'id = "Bad"\nname = "P"\nversion = "1"\nauthr = "me"\n'
        "[[prompts]]\nid='a'\ntext='A'\ntype='slider'\n"
        "[[prompts]]\nid='b'\ntext='B'\ntype='yes-no'\nfolow_up={when='yes', text='x'}\n"
    )
    found = problems(text)
    assert [line.split(": ")[0] for line in found] == [
        "pack.toml:1",
        "pack.toml:3",
        "pack.toml:4",
        "pack.toml:8",
        "pack.toml:13",
    ]
    assert "did you mean `follow_up`?" in found[-1]
    assert "did you mean `author`?" in found[2]


def test_the_summary_message_is_one_line() -> None:
    with pytest.raises(PackError) as caught:
        parse_pack('id = "X"\nname = 1\n', "pack.toml")
    message = str(caught.value)
    assert "\n" not in message
    assert "more problem(s)" in message


def test_a_pack_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_bytes(b"id = '\xff'\n")
    with pytest.raises(PackError, match="is not UTF-8 text"):
        load_pack(path)


def test_unicode_prompts_load() -> None:
    text = (
        HEAD
        + "[[prompts]]\nid='a'\ntext='¿Sentiste que el éxito de alguien te amenazaba? 今日は 🙂 שלום'\ntype='yes-no'\n"
    )
    pack = parse_pack(text, "pack.toml")
    assert pack.prompts[0].text.endswith("שלום")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'id = "a"\nid = "b"\n',
            "p.toml:2:9: not valid TOML: Cannot overwrite a value (a key is set twice in the same table)",
        ),
        (
            "name = hello\n",
            'p.toml:1:8: not valid TOML: Invalid value (text needs quotes, like text = "...")',
        ),
        (
            'text = "abc\n',
            "p.toml:1:12: not valid TOML: Illegal character '\\n' (a string is missing its closing quote)",
        ),
    ],
)
def test_toml_syntax_errors_say_what_usually_causes_them(text: str, expected: str) -> None:
    with pytest.raises(PackError) as caught:
        parse_pack(text, "p.toml")
    assert str(caught.value) == expected


def test_builtin_dir_of_an_install_reached_through_a_symlink_is_the_path_as_imported(
    tmp_path: Path,
) -> None:
    """Installed as a wheel (the packs inside the package) under a symlinked folder, the
    built-in packs are where importlib.resources and the quick path's cache say they are:
    the path as imported, not the symlink's target."""
    import os
    import shutil
    import subprocess
    import sys

    import reflect

    real = tmp_path / "real"
    shutil.copytree(Path(reflect.__file__).parent, real / "reflect")
    shutil.copytree(builtin_dir(), real / "reflect" / "prompts")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    code = (
        "import importlib.resources as r\n"
        "from reflect.daily.kept import builtin_folder\n"
        "from reflect.packs.library import builtin_dir\n"
        "print(builtin_dir())\n"
        "print(builtin_folder())\n"
        "print(r.files('reflect').joinpath('prompts'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(link)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert done.stderr == ""
    expected = str(link / "reflect" / "prompts")
    assert done.stdout.splitlines() == [expected, expected, expected]
