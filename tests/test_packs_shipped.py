"""What the built-in packs ask, read without loading them, is what loading them says."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import reflect.packs.library as library
import reflect.packs.versions as versions_module
from reflect.journal.home import Home
from reflect.packs import shipped
from reflect.packs.versions import pack_versions

BUILT_IN = sorted(p.stem for p in library.builtin_dir().glob("*.toml"))


def _loaded(home: Home, pack_id: str) -> tuple[frozenset[str], frozenset[str]]:
    """`asked` as every kept version, loaded and checked, gives it."""
    from reflect.model.pack import heading_for

    prompts: set[str] = set()
    headings: set[str] = set()
    for pack in pack_versions(home).kept(pack_id).values():
        for prompt in pack.prompts:
            prompts.add(prompt.id)
            headings.add(heading_for(prompt.text))
            if prompt.follow_up is not None:
                headings.add(heading_for(prompt.follow_up.text))
    return frozenset(prompts), frozenset(headings)


def _no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(path: Path) -> None:
        raise AssertionError(f"{path} was loaded")

    monkeypatch.setattr(versions_module, "load_pack", refused)
    monkeypatch.setattr(library, "load_pack", refused)


@pytest.fixture
def validated_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No pack is built from the tables: they are written from the packs validated."""

    def refused(text: str) -> None:
        raise AssertionError("a table was written from a pack built from the tables")

    library._valid.clear()
    monkeypatch.setattr(library, "shipped_pack", refused)


@pytest.mark.usefixtures("validated_only")
def test_the_table_is_that_of_the_built_in_packs_as_they_are() -> None:
    text = Path(shipped.__file__).read_text(encoding="utf-8")
    table = text.split("] = {\n", 1)[1].split("\n}\n", 1)[0] + "\n"
    files = sorted(library.builtin_dir().glob("*.toml"))
    assert table == shipped.table_text(files), (
        "a built-in pack changed: write the table again with `python -m reflect.packs.shipped`"
    )
    assert {entry[0] for entry in shipped.ASKED.values()} == set(BUILT_IN)


@pytest.mark.parametrize("pack_id", BUILT_IN)
def test_a_built_in_pack_as_shipped_is_read_from_the_table(
    home: Home, monkeypatch: pytest.MonkeyPatch, pack_id: str
) -> None:
    expected = _loaded(home, pack_id)
    assert expected[0], "a pack asks something"
    _no_loading(monkeypatch)
    assert pack_versions(home).asked(pack_id) == expected


def test_an_installed_pack_of_a_built_in_id_is_loaded(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.ensure()
    text = (library.builtin_dir() / "daily.toml").read_text(encoding="utf-8")
    changed = text.replace('id = "mood"', 'id = "spirits"').replace(
        "How is your mood right now?", "How are your spirits?"
    )
    assert changed != text
    (home.packs_dir / "daily.toml").write_text(changed, encoding="utf-8")
    prompts, headings = pack_versions(home).asked("daily")
    assert "spirits" in prompts and "mood" not in prompts
    assert any(h.startswith("How are your spirits?") for h in headings)
    assert (prompts, headings) == _loaded(home, "daily")


def test_an_archived_version_is_loaded_with_the_built_in_one(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.ensure()
    text = (library.builtin_dir() / "daily.toml").read_text(encoding="utf-8")
    old = text.replace('version = "1.0.0"', 'version = "0.9.0"').replace(
        'id = "mood"', 'id = "old-mood"'
    )
    assert old != text
    archive = library.archive_dir(home)
    archive.mkdir(parents=True)
    (archive / "daily-0.9.0.toml").write_text(old, encoding="utf-8")
    prompts, headings = pack_versions(home).asked("daily")
    assert {"mood", "old-mood"} <= prompts, "both versions' questions"
    assert (prompts, headings) == _loaded(home, "daily")


def test_a_built_in_file_changed_after_shipping_is_loaded(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = tmp_path / "prompts"
    shutil.copytree(library.builtin_dir(), moved)
    daily = moved / "daily.toml"
    daily.write_text(
        daily.read_text(encoding="utf-8").replace(
            "How is your mood right now?", "How is your mood this evening?"
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(library, "builtin_dir", lambda: moved)
    monkeypatch.setattr(versions_module, "builtin_dir", lambda: moved)
    prompts, headings = pack_versions(home).asked("daily")
    assert any(h.startswith("How is your mood this evening?") for h in headings)
    assert not any(h.startswith("How is your mood right now?") for h in headings)
    assert (prompts, headings) == _loaded(home, "daily")


@pytest.mark.parametrize("pack_id", ["no-such-pack", "../daily", "Daily"])
def test_a_pack_no_file_holds_asks_nothing(home: Home, pack_id: str) -> None:
    assert pack_versions(home).asked(pack_id) == (frozenset(), frozenset())


# -- whole packs: shipped_data.py ---------------------------------------------------------


def _state(value: object) -> object:
    """Everything a model holds, nested: its class, the fields set and every field's value."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        fields = {name: _state(getattr(value, name)) for name in type(value).model_fields}
        return (type(value).__name__, sorted(value.model_fields_set), fields)
    if isinstance(value, list):
        return [_state(each) for each in value]
    return (type(value).__name__, value)


@pytest.mark.usefixtures("validated_only")
def test_the_data_table_is_that_of_the_built_in_packs_as_they_are() -> None:
    from reflect.packs import shipped_data

    files = sorted(library.builtin_dir().glob("*.toml"))
    assert Path(shipped_data.__file__).read_text(encoding="utf-8") == shipped.data_text(files), (
        "a built-in pack changed: write the tables again with `python -m reflect.packs.shipped`"
    )
    assert set(shipped_data.DEFINED) == set(shipped.ASKED)


@pytest.mark.parametrize("pack_id", BUILT_IN)
def test_a_built_in_pack_built_from_the_table_is_the_one_validating_gives(pack_id: str) -> None:
    path = library.builtin_dir() / f"{pack_id}.toml"
    text = path.read_text(encoding="utf-8")
    built = shipped.shipped_pack(text)
    validated = library.validate_pack(text, str(path))
    assert built is not None
    assert built == validated
    assert _state(built) == _state(validated)
    assert built.model_dump() == validated.model_dump()
    assert built.per_day == validated.per_day


def test_a_built_in_pack_as_shipped_is_not_validated_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(text: str, path: str) -> None:
        raise AssertionError(f"{path} was validated")

    library._valid.clear()
    monkeypatch.setattr(library, "validate_pack", refused)
    for pack_id in BUILT_IN:
        assert library.load_pack(library.builtin_dir() / f"{pack_id}.toml").id == pack_id


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text + "\n",
        lambda text: text.replace('version = "1.0.0"', 'version = "1.0.1"', 1),
        lambda text: "\ufeff" + text,
    ],
)
def test_any_other_text_is_validated(change: "Callable[[str], str]") -> None:
    text = (library.builtin_dir() / "daily.toml").read_text(encoding="utf-8")
    assert change(text) != text
    assert shipped.shipped_pack(change(text)) is None
    assert shipped.shipped_pack("\ud800") is None


def test_a_bent_copy_of_a_built_in_pack_is_still_refused(tmp_path: Path) -> None:
    from reflect.errors import PackError

    text = (library.builtin_dir() / "daily.toml").read_text(encoding="utf-8")
    bent = tmp_path / "daily.toml"
    bent.write_text(text.replace('type = "scale"', 'type = "scales"', 1), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        library.load_pack(bent)
    assert str(caught.value) == (
        f"{bent}:14: prompts[0].type: is 'scales'; expected one of text, yes-no, scale, "
        "choice, number (did you mean `scale`?)"
    )
