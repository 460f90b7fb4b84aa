"""Day One attachments: named by the md5 of the bytes copied, streamed, never over another file."""

import hashlib
import io
import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from reflect.daily import importer
from reflect.daily.importer import Attachment, Media, SourceEntry
from reflect.journal.files import COPY_CHUNK
from reflect.journal.home import Home

from .conftest import Run

CLAIMED = "d49f26062a1b1f1670726f9612b0aefe"


def _export(tmp_path: Path, name: str, uuid: str, photo: bytes, md5: str = CLAIMED) -> Path:
    """A Day One zip with one entry and one photo, its file named by `md5` as the export says."""
    entry = {
        "uuid": uuid,
        "creationDate": "2026-11-20T10:00:00Z",
        "timeZone": "UTC",
        "text": f"{name}\n\n![](dayone-moment://{uuid})",
        "photos": [{"identifier": uuid, "md5": md5, "type": "jpeg"}],
    }
    archive = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("Journal.json", json.dumps({"entries": [entry]}))
        zipped.writestr(f"photos/{md5}.jpeg", photo)
    return archive


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def test_two_files_claiming_one_md5_are_both_kept(home: Home, run: Run, tmp_path: Path) -> None:
    first_photo, second_photo = b"the harbour" * 100, b"a different photo" * 100
    first = _export(tmp_path, "first", "A1", first_photo, md5=_md5(first_photo))
    second = _export(tmp_path, "second", "B2", second_photo, md5=_md5(first_photo))
    assert run(["import", "dayone", str(first)]).exit_code == 0
    result = run(["import", "dayone", str(second)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Imported 1 entry on 1 day (0 new) from {second}.",
        "Copied 1 attachment into attachments/.",
        "Note: 1 attachment does not match the md5 the export gives; named by the md5 of "
        "their own bytes.",
        "Skipped nothing.",
    ]
    folder = home.attachments_dir / "2026"
    assert (folder / f"{_md5(first_photo)}.jpeg").read_bytes() == first_photo
    assert (folder / f"{_md5(second_photo)}.jpeg").read_bytes() == second_photo
    assert (folder / f"{_md5(second_photo)}.jpeg").stat().st_mode & 0o777 == 0o600
    day = (home.root / "entries" / "2026" / "2026-11-20.md").read_text(encoding="utf-8")
    assert f"![photo](../../attachments/2026/{_md5(first_photo)}.jpeg)" in day
    assert f"![photo](../../attachments/2026/{_md5(second_photo)}.jpeg)" in day
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_the_same_bytes_are_one_file_whatever_md5_the_export_claims(
    home: Home, run: Run, tmp_path: Path
) -> None:
    photo = b"one photo" * 50
    first = _export(tmp_path, "first", "A1", photo, md5=_md5(photo))
    second = _export(tmp_path, "second", "B2", photo, md5="0" * 32)
    run(["import", "dayone", str(first)])
    result = run(["import", "dayone", str(second), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["imported"]["attachments"] == 0
    assert data["notes"] == [
        "1 attachment does not match the md5 the export gives; named by the md5 of their own bytes"
    ]
    assert [p.name for p in (home.attachments_dir / "2026").iterdir()] == [f"{_md5(photo)}.jpeg"]


def test_a_different_file_under_the_same_md5_is_never_written_over(
    home: Home, tmp_path: Path
) -> None:
    # An md5 collision, or a file put there by hand: the one there stays.
    photo = b"new bytes" * 10
    folder = home.attachments_dir / "2026"
    folder.mkdir(parents=True)
    (folder / f"{_md5(photo)}.jpeg").write_bytes(b"already here")
    media = Media(["photos/x.jpeg"], lambda member: io.BytesIO(photo))
    name, new, matched = importer._store(
        media, Attachment("photo", "A1", f"{_md5(photo)}.jpeg", "photos/x.jpeg"), folder
    )
    sha = hashlib.sha256(photo).hexdigest()
    assert (name, new, matched) == (f"{_md5(photo)}-{sha[:16]}.jpeg", True, True)
    assert (folder / f"{_md5(photo)}.jpeg").read_bytes() == b"already here"
    assert (folder / name).read_bytes() == photo


class _Spy(io.BytesIO):
    """A member's stream that records how much each read asks for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)


def test_an_attachment_is_copied_in_bounded_chunks(home: Home, tmp_path: Path) -> None:
    photo = bytes(range(256)) * (16 * 4096)  # 16 MB
    spy = _Spy(photo)
    media = Media(["photos/x.jpeg"], lambda member: spy)
    item = SourceEntry(
        "dayone:A1",
        importer.dt.datetime(2026, 11, 20, 10),
        "",
        "walk",
        attachments=(Attachment("photo", "A1", f"{_md5(photo)}.jpeg", "photos/x.jpeg"),),
    )
    tracemalloc.start()
    try:
        report = importer.ImportReport()
        importer._copy_attachments(home, item.when.date(), item, media, report)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (report.attachments, report.mismatched, report.not_copied) == (1, 0, [])
    assert all(0 < size <= COPY_CHUNK for size in spy.asked)
    assert len(spy.asked) >= len(photo) // COPY_CHUNK
    assert peak < 4 * COPY_CHUNK <= len(photo) // 4
    assert (home.attachments_dir / "2026" / f"{_md5(photo)}.jpeg").read_bytes() == photo


def test_an_attachment_over_the_limit_is_not_kept_and_leaves_no_temp_file(
    home: Home, run: Run, tmp_path: Path, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(importer, "MAX_ATTACHMENT_BYTES", 100)
    archive = _export(tmp_path, "big", "A1", b"x" * 101, md5=_md5(b"x" * 101))
    result = run(["import", "dayone", str(archive)])
    assert result.exit_code == 1, result.output
    assert "Not kept: 1 photo(s) that could not be copied." in result.stdout
    assert result.stderr == "reflect: could not copy photos/{}.jpeg: larger than 0 MB\n".format(
        _md5(b"x" * 101)
    )
    assert list((home.attachments_dir / "2026").iterdir()) == []


def test_an_encrypted_journal_keeps_its_attachments_encrypted(
    home: Home, run: Run, tmp_path: Path
) -> None:
    """Photos copied before `reflect encrypt` are encrypted by it; those imported after are
    written encrypted; `reflect decrypt` gives back the very bytes the links name."""
    from reflect.journal import crypt

    from .test_crypt import make_identity

    before, after = b"PLAIN-PHOTO-BEFORE" * 40, b"PLAIN-PHOTO-AFTER" * 40
    assert run(["import", "dayone", str(_export(tmp_path, "c1", "C1", before))]).exit_code == 0
    keys = tmp_path / "keys"
    keys.mkdir()
    result = run(["encrypt", "--identity", str(make_identity(keys))])
    assert result.exit_code == 0, result.output
    crypt.begin_command(None)
    result = run(["import", "dayone", str(_export(tmp_path, "c2", "C2", after))])
    assert result.exit_code == 0, result.output
    folder = home.attachments_dir / "2026"
    names = [f"{_md5(before)}.jpeg", f"{_md5(after)}.jpeg"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.age" for n in names)
    for path in home.root.rglob("*"):
        if path.is_file():
            assert b"PLAIN-PHOTO" not in path.read_bytes(), path
    assert run(["doctor"]).stdout.count("plain text") == 0
    result = run(["decrypt"])
    assert result.exit_code == 0, result.output
    assert (folder / names[0]).read_bytes() == before
    assert (folder / names[1]).read_bytes() == after
    day = (home.root / "entries" / "2026" / "2026-11-20.md").read_text(encoding="utf-8")
    assert all(f"![photo](../../attachments/2026/{n})" in day for n in names)


def test_a_member_file_name_cannot_write_markdown_or_a_page(
    home: Home, run: Run, tmp_path: Path
) -> None:
    """The extension of a file in the zip is held to the export's own rule; else `type` is used."""
    cases = {"jp g) ![x](evil": "jpeg", "jpeg)\n\n# injected heading\n": "jpeg", "html": "jpeg",
             "md": "jpeg", "PNG": "PNG", "": "jpeg"}  # fmt: skip
    for number, (ext, kept) in enumerate(cases.items()):
        photo = f"photo {number}".encode() * 20
        md5 = _md5(photo)
        entry = {"uuid": f"E{number}", "creationDate": "2026-11-20T10:00:00Z", "timeZone": "UTC",
                 "text": f"hi ![](dayone-moment://E{number})",
                 "photos": [{"identifier": f"E{number}", "md5": md5, "type": "jpeg"}]}  # fmt: skip
        archive = tmp_path / f"ext{number}.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("Journal.json", json.dumps({"entries": [entry]}))
            zipped.writestr(f"photos/{md5}.{ext}" if ext else f"photos/{md5}", photo)
        result = run(["import", "dayone", str(archive)])
        assert result.exit_code == 0, result.output
        day = (home.root / "entries" / "2026" / "2026-11-20.md").read_text(encoding="utf-8")
        assert f"![photo](../../attachments/2026/{md5}.{kept.lower()})" in day
        assert (home.attachments_dir / "2026" / f"{md5}.{kept.lower()}").read_bytes() == photo
    day = (home.root / "entries" / "2026" / "2026-11-20.md").read_text(encoding="utf-8")
    assert "injected" not in day and "evil" not in day
    assert sorted(p.suffix for p in (home.attachments_dir / "2026").iterdir()) == [
        ".jpeg", ".jpeg", ".jpeg", ".jpeg", ".jpeg", ".png"]  # fmt: skip


def test_a_failed_copy_says_why_exits_1_and_the_next_import_retries_it(
    home: Home, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    photo = b"a photo for a full disk" * 30
    archive = _export(tmp_path, "full", "F1", photo, md5=_md5(photo))
    real = importer.stream_to_temp

    def full(*args: object, **kwargs: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(importer, "stream_to_temp", full)
    result = run(["import", "dayone", str(archive)])
    assert result.exit_code == 1, result.output
    member = f"photos/{_md5(photo)}.jpeg"
    assert result.stderr == f"reflect: could not copy {member}: No space left on device\n"
    assert (
        f"Could not copy 1 attachment ({member}: No space left on device); the note says so."
        in result.stdout
    )
    path = home.root / "entries" / "2026" / "2026-11-20.md"
    waiting = f"(a photo that could not be copied: {_md5(photo)}.jpeg)"
    assert waiting in path.read_text(encoding="utf-8")
    assert "not in the export" not in path.read_text(encoding="utf-8")

    monkeypatch.setattr(importer, "stream_to_temp", real)
    result = run(["import", "dayone", str(archive), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["imported"]["attachments"] == 1
    assert data["skipped"]["why"] == {"already imported": 1}
    assert data["not_copied"] == []
    day = path.read_text(encoding="utf-8")
    assert waiting not in day
    assert day.count(f"![photo](../../attachments/2026/{_md5(photo)}.jpeg)") == 1
    assert (home.attachments_dir / "2026" / f"{_md5(photo)}.jpeg").read_bytes() == photo


def test_an_unzipped_export_s_symbolic_links_are_not_followed(
    home: Home, run: Run, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"SECRET KEY")
    export = tmp_path / "export"
    (export / "photos").mkdir(parents=True)
    (export / "photos" / f"{_md5(b'SECRET KEY')}.jpeg").symlink_to(secret)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / f"{'e' * 32}.mp4").write_bytes(b"SECRET VIDEO")
    (export / "videos").symlink_to(tmp_path / "elsewhere")
    entry = {"uuid": "L1", "creationDate": "2026-11-20T10:00:00Z", "timeZone": "UTC",
             "text": "links ![](dayone-moment://P1)",
             "photos": [{"identifier": "P1", "md5": _md5(b"SECRET KEY"), "type": "jpeg"}],
             "videos": [{"identifier": "V1", "md5": "e" * 32, "type": "mp4"}]}  # fmt: skip
    (export / "Journal.json").write_text(json.dumps({"entries": [entry]}), encoding="utf-8")
    result = run(["import", "dayone", str(export / "Journal.json"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["not_kept"] == {
        "photo(s) whose file is a symbolic link (not followed)": 1,
        "video(s) whose file is a symbolic link (not followed)": 1,
    }
    assert not home.attachments_dir.exists() or list(home.attachments_dir.rglob("*.*")) == []
    day = (home.root / "entries" / "2026" / "2026-11-20.md").read_text(encoding="utf-8")
    assert "links (a photo whose file in the export is a symbolic link)" in day
    assert "(a video whose file in the export is a symbolic link)" in day


def test_a_zip_with_two_files_of_one_name_is_refused(home: Home, run: Run, tmp_path: Path) -> None:
    import warnings

    first, second = b"FIRST-PHOTO" * 10, b"SECOND-PHOTO" * 10
    archive = _export(tmp_path, "twice", "A1", first, md5=_md5(first))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it writes
        with zipfile.ZipFile(archive, "a") as zipped:
            zipped.writestr(f"photos/{_md5(first)}.jpeg", second)
    result = run(["import", "dayone", str(archive)])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"reflect: {archive}: holds two files named photos/{_md5(first)}.jpeg; a Day One "
        "export never does, so which one is meant cannot be told. Export again\n"
    )
    assert not home.attachments_dir.exists()
    assert not (home.root / "entries").exists() or list((home.root / "entries").rglob("*.md")) == []


def test_links_to_attachments_the_export_does_not_list_are_counted_by_kind(
    home: Home, run: Run, tmp_path: Path
) -> None:
    text = "unlisted ![](dayone-moment://NOPE) and dayone-moment:/video/NOPE2 and dayone-moment:/video/N3"
    entry = {"uuid": "U1", "creationDate": "2026-11-20T10:00:00Z", "timeZone": "UTC", "text": text}
    export = tmp_path / "Journal.json"
    export.write_text(json.dumps({"entries": [entry]}), encoding="utf-8")
    result = run(["import", "dayone", str(export), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["not_kept"] == {
        "video(s) linked in the text but not listed by the export": 2,
        "photo(s) linked in the text but not listed by the export": 1,
    }
    day = (home.root / "entries" / "2026" / "2026-11-20.md").read_text(encoding="utf-8")
    assert day.count("(an attachment the export does not list)") == 3
