"""Asking a day's questions: interactively, one by one, saving after every answer; or from --answer.

Which questions to ask is decided by `schedule`; this module only asks and saves.
"""

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from reflect.errors import AnswerError, Hint, ReflectError, UsageError
from reflect.journal import crypt
from reflect.journal.drafts import Draft, Edit, EditKind, now
from reflect.journal.entry import Entry
from reflect.journal.home import Home
from reflect.journal.save import restore, save
from reflect.journal.store import entry_path, read_entry
from reflect.model import dates
from reflect.model.front import FOLLOW_UP, answer_key
from reflect.model.pack import (
    AnswerValue,
    AnyPrompt,
    Pack,
    TextPrompt,
    format_value,
    heading_for,
    split_key,
    tag_problem,
    unknown_pack,
    unknown_prompt,
)
from reflect.model.sections import NO_OTHER_WORDS, QuestionWords
from reflect.model.text import clean_line, shorten
from reflect.packs.library import Wordings, own_wordings, shared_wordings, wordings
from reflect.packs.schedule import Asked
from reflect.packs.versions import pack_versions

QUIT = ":q"
EDIT = ":e"


class Terminal(Protocol):
    """What a session needs from the terminal; tests pass a scripted one."""

    def ask(self, prompt: str) -> str:
        """Read one line; EOFError when input ends, KeyboardInterrupt on Ctrl-C."""
        ...

    def say(self, text: str) -> None: ...

    def edit(self, initial: str) -> str | None:
        """Let the person write in their editor; None when they gave up."""
        ...


@dataclass
class SessionResult:
    day: dt.date
    answered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    stopped: bool = False
    all_answered: bool = False


def _save_value(
    home: Home, day: dt.date, pack: Pack, prompt: AnyPrompt, value: AnswerValue
) -> None:
    tags, at = tuple(prompt.tags), now().isoformat()
    save(home, day, [Edit("answer", pack.id, pack.version, prompt.id, value, tags=tags, at=at)])


def prose_edit(
    pack: Pack,
    prompt: AnyPrompt,
    text: str,
    *,
    add: bool,
    follow_up: bool = False,
    words: QuestionWords = NO_OTHER_WORDS,
    was: str | None = None,
) -> Edit:
    """The edit that saves prose answering a prompt (or its follow-up), tied to its id.

    `was` is the text a rewrite started from: what another terminal saved
    meanwhile is merged in, not overwritten.
    """
    kind: EditKind = "add-prose" if add else "prose"
    asked = prompt.follow_up.text if follow_up and prompt.follow_up else prompt.text
    return Edit(
        kind,
        pack.id,
        pack.version,
        prompt.id,
        heading=heading_for(asked),
        text=text,
        tags=tuple(prompt.tags),
        follow_up=follow_up,
        at=now().isoformat(),
        headings=words.older,
        shared=words.shared,
        was=was,
    )


class Session:
    """One sitting: asks each question by its type, with follow-ups, saving as it goes."""

    def __init__(
        self,
        home: Home,
        day: dt.date,
        asked: list[Asked],
        terminal: Terminal,
        *,
        revisit: bool = False,
    ) -> None:
        self.home = home
        self.day = day
        self.asked = asked
        self.term = terminal
        self.revisit = revisit
        self.result = SessionResult(day)
        self._wordings: dict[str, Wordings] = {}

    def _words(self, item: Asked, existing: Entry | None, *, follow_up: bool) -> QuestionWords:
        """The wordings the question alone has had (format 1 days keep prose under them),
        and those another question had too (prose under them is nobody's)."""
        found = self._wordings.get(item.pack.id)
        if found is None:
            found = self._wordings[item.pack.id] = wordings(self.home, item.pack)
        key = f"{item.prompt.id}/{FOLLOW_UP}" if follow_up else item.prompt.id
        return split_wordings(self.home, found, key, item.pack.id, existing)

    def run(self) -> SessionResult:
        """Ask the questions still open (every one with `revisit`), in the schedule's order."""
        existing = read_entry(self.home, self.day)
        numbered = list(enumerate(self.asked, 1))
        shared = (
            pack_versions(self.home).shared_wordings(existing.front.pack_ids())
            if existing is not None
            else frozenset()
        )
        todo = [
            (n, item)
            for n, item in numbered
            if self.revisit or not answered(item, existing, shared)
        ]
        if not todo:
            self.result.all_answered = True
            self.term.say(
                f"All {len(self.asked)} question(s) for {self._when()} are answered. "
                "`reflect today --revisit` goes through them again."
            )
            return self.result
        self.term.say(self._intro(existing, len(todo)))
        try:
            for number, item in todo:
                self.term.say("")
                self.term.say(f"[{number}/{len(self.asked)}] {clean_line(item.prompt.text)}")
                if not self._ask(item, existing):
                    self.result.stopped = True
                    break
                existing = read_entry(self.home, self.day)
        except EOFError:
            self.result.stopped = True
        return self.result

    def _when(self) -> str:
        return "today" if self.day == dates.today() else f"{self.day:%A %d %B %Y}"

    def _intro(self, existing: Entry | None, open_count: int) -> str:
        lines = [f"{len(self.asked)} question(s) for {self._when()}."]
        done = len(self.asked) - open_count
        if done:
            lines[0] += (
                f" {done} answered already; asking the {open_count} still open "
                "(`reflect today --revisit` goes through all)."
            )
        elif existing is not None and not existing.is_empty() and self.revisit:
            lines.append(
                "You have answered some already: Enter keeps an answer, or type a new one."
            )
        lines.append(f"Enter skips a question, {QUIT} stops (answers so far are kept).")
        return "\n".join(lines)

    def _ask(self, item: Asked, existing: Entry | None) -> bool:
        """Ask one question (and its follow-up); False when the person wants to stop."""
        prompt = item.prompt
        if isinstance(prompt, TextPrompt):
            return self._ask_text(item, existing)
        current = existing.answer(item.pack.id, prompt.id) if existing else None
        hint = prompt.describe()
        if current is not None:
            hint += f"; now {format_value(prompt, current)}, Enter keeps it"
        self.term.say(f"  ({hint})")
        while True:
            raw = self.term.ask("> ").strip()
            if raw == QUIT:
                return False
            if not raw:
                if current is None:
                    self.result.skipped.append(item.key)
                else:
                    self._follow_up(item, current, existing)
                return True
            try:
                value = prompt.parse(raw)
            except ValueError as exc:
                self.term.say(f"  {exc}")
                continue
            _save_value(self.home, self.day, item.pack, prompt, value)
            self.result.answered.append(item.key)
            return self._follow_up(item, value, existing)

    def _follow_up(self, item: Asked, value: AnswerValue, existing: Entry | None) -> bool:
        follow = item.prompt.follow_up
        if follow is None or not item.prompt.follow_up_applies(value):
            return True
        self.term.say(f"  {heading_for(follow.text)}")
        return self._write_prose(item, existing, answered=False)

    def _ask_text(self, item: Asked, existing: Entry | None) -> bool:
        self.term.say(f"  (one line, {EDIT} to write in your editor, Enter to skip)")
        return self._write_prose(item, existing, answered=True)

    def _write_prose(self, item: Asked, existing: Entry | None, *, answered: bool) -> bool:
        follow_up = not answered
        key = answer_key(item.pack.id, item.prompt.id, follow_up=follow_up)
        words = self._words(item, existing, follow_up=follow_up)
        before = (existing.prose_for(key, words.older) if existing else None) or ""
        # Words given under another version of the pack stay labelled with it:
        # what is typed now answers the question as it is asked now, so it
        # replaces them (after they were shown); `:e` rewrites them instead.
        older = (
            existing is not None
            and bool(before)
            and existing.front.version_of(key) not in (None, item.pack.version)
        )
        if before:
            self.term.say(f"  You wrote: {_preview(before)}")
            if older:
                assert existing is not None
                self.term.say(
                    f"  (answered under version {existing.front.version_of(key)}: a line typed "
                    f"now replaces it; {EDIT} rewrites it in your editor)"
                )
            else:
                self.term.say("  (anything you type now is added below it)")
        typed = self._type_prose(before)
        if typed is None:
            return False
        text, replace = typed
        if older and text.strip() and not replace:
            replace = True
        if not text.strip():
            if answered and not before:
                self.result.skipped.append(item.key)
            return True
        edit = prose_edit(
            item.pack,
            item.prompt,
            text,
            add=not replace,
            follow_up=follow_up,
            words=words,
            was=before if replace else None,
        )
        save(self.home, self.day, [edit])
        if answered:
            self.result.answered.append(item.key)
        return True

    def _type_prose(self, before: str) -> tuple[str, bool] | None:
        """What the person wrote, and whether it replaces the old text; None means stop."""
        while True:
            raw = self.term.ask("> ")
            if raw.strip() == QUIT:
                return None
            if raw.strip() != EDIT:
                return raw, False
            try:
                edited = self.term.edit(before)
            except ReflectError as exc:
                self.term.say(f"  {exc}; type your answer here instead")
                continue
            if edited is None:
                self.term.say("  the editor exited with an error; nothing saved from it")
                return "", False
            if edited.strip() == before.strip():
                self.term.say("  (nothing changed)")
                return "", False
            return edited, True


def split_wordings(
    home: Home, found: Wordings, key: str, pack_id: str, entry: Entry | None
) -> QuestionWords:
    """The wordings of `key` (`PROMPT`, `PROMPT/follow-up`) that answer it on this day, and
    those that are nobody's: another question of its pack had them, or one of another pack
    the day holds (`PackVersions.shared_wordings`, the rule every reader applies). Prose
    under a shared heading is never read or replaced as this answer."""
    day_packs = [*(entry.front.pack_ids() if entry is not None else ()), pack_id]
    across = pack_versions(home).shared_wordings(day_packs)
    own = own_wordings(found, key)
    shared = [*shared_wordings(found, key), *(h for h in own if h in across)]
    return QuestionWords(tuple(h for h in own if h not in across), tuple(shared))


def answered(item: Asked, entry: Entry | None, shared: Collection[str] = ()) -> bool:
    """Whether the day holds an answer to this question (a follow-up left empty does not count);
    prose under a heading in `shared` (`PackVersions.shared_wordings`) is nobody's."""
    return entry is not None and entry.has_answer(item.pack.id, item.prompt, shared)


def _preview(text: str, width: int = 70) -> str:
    return shorten(" ".join(text.split()), width)


# -- answers given on the command line -----------------------------------------


@dataclass(frozen=True)
class Given:
    pack: Pack
    prompt: AnyPrompt
    value: AnswerValue
    follow_up: bool = False


def resolve_answers(packs: list[Pack], answers: list[str]) -> list[Given]:
    """Parse `PACK/PROMPT=VALUE` (or `PROMPT=VALUE` when unambiguous) against the packs.

    `PACK/PROMPT/follow-up=TEXT` answers a question's follow-up. Every answer
    is checked before anything is written: one bad answer and nothing is saved.
    """
    given: list[Given] = []
    for raw in answers:
        key, sep, value = raw.partition("=")
        if not sep or not key.strip():
            raise AnswerError(f"--answer {raw!r}: expected PACK/PROMPT=VALUE, e.g. daily/mood=4")
        if key.strip().endswith(f"/{FOLLOW_UP}") and not _names_a_prompt(packs, key.strip()):
            given.append(_follow_up_answer(packs, key.strip(), value))
            continue
        pack, prompt = _find_prompt(packs, key.strip())
        if isinstance(prompt, TextPrompt) and not value.strip():
            raise AnswerError(f"--answer {key.strip()}: the answer is empty; give some text")
        try:
            parsed = prompt.parse(value)
        except ValueError as exc:
            raise AnswerError(f"--answer {key.strip()}: {exc}") from None
        given.append(Given(pack, prompt, parsed))
    return given


def _names_a_prompt(packs: list[Pack], key: str) -> bool:
    """A prompt whose own id is `follow-up` is answered as itself, not as a follow-up."""
    pack_id, _, prompt_id = key.rpartition("/")
    return any(pack.id == pack_id and pack.prompt(prompt_id) is not None for pack in packs)


def _follow_up_answer(packs: list[Pack], key: str, value: str) -> Given:
    pack, prompt = _find_prompt(packs, key.removesuffix(f"/{FOLLOW_UP}"))
    if prompt.follow_up is None:
        raise AnswerError(f"--answer {key}: {pack.id}/{prompt.id} has no follow-up question")
    if not value.strip():
        raise AnswerError(f"--answer {key}: the answer is empty; give some text")
    return Given(pack, prompt, value, follow_up=True)


def _find_prompt(packs: list[Pack], key: str) -> tuple[Pack, AnyPrompt]:
    if "/" in key:
        pack_id, prompt_id = split_key(key, "--answer")
        found = next((pack for pack in packs if pack.id == pack_id), None)
        if found is None:
            raise unknown_pack(pack_id, which="enabled")
        prompt = found.prompt(prompt_id)
        if prompt is None:
            raise unknown_prompt(pack_id, prompt_id)
        return found, prompt
    matches = [(pack, p) for pack in packs if (p := pack.prompt(key)) is not None]
    if not matches:
        raise AnswerError(f"no enabled pack has a prompt {key!r}", hint=Hint("prompt"))
    if len(matches) > 1:
        names = ", ".join(f"{pack.id}/{key}" for pack, _ in matches)
        raise AnswerError(f"{key!r} is in several packs: say which ({names})")
    return matches[0]


def _check_follow_ups(home: Home, day: dt.date, given: list[Given]) -> None:
    """A follow-up is answered only when its question's answer asks it (`when` in the pack).

    The answer looked at is the one given in the same command, else the
    day's own; neither, or one that does not meet the condition, is refused.
    """
    follow_ups = [item for item in given if item.follow_up]
    if not follow_ups:
        return
    entry: Entry | None = None
    locked = False
    try:
        entry = read_entry(home, day)
    except crypt.LockedError:
        locked = True
    except ReflectError:
        entry = None
    for item in follow_ups:
        pack, prompt = item.pack, item.prompt
        assert prompt.follow_up is not None
        key = f"{pack.id}/{prompt.id}"
        values = [
            g.value for g in given if not g.follow_up and g.pack is pack and g.prompt is prompt
        ]
        value: AnswerValue | None = values[-1] if values else None
        if value is None and entry is not None:
            if isinstance(prompt, TextPrompt):
                words = split_wordings(home, wordings(home, pack), prompt.id, pack.id, entry)
                value = entry.prose_for(answer_key(pack.id, prompt.id), words.older)
            else:
                value = entry.answer(pack.id, prompt.id)
        when = prompt.follow_up.when.strip()
        if value is None and locked:
            # The day's answer cannot be read: the text is kept in a draft encrypted to the
            # journal's key (save.py), offered back once the journal opens, never dropped.
            continue
        if value is None:
            raise AnswerError(
                f"--answer {key}/{FOLLOW_UP}: asked only when {key} is answered {when!r}, and "
                f"{day} has no answer to it; give it too (--answer {key}=...)"
            )
        if not prompt.follow_up_applies(value):
            shown = shorten(clean_line(format_value(prompt, value)), 40)
            raise AnswerError(
                f"--answer {key}/{FOLLOW_UP}: asked only when {key} is {when!r}, and the "
                f"answer is {shown!r}"
            )


def restore_draft(home: Home, draft: Draft, packs: list[Pack]) -> Entry:
    """Replay a recovery draft, its follow-ups checked as `save_answers` checks them.

    A follow-up given while the journal was locked could not be checked
    against the day's answer; one that answer does not ask is refused now,
    and the draft stays. A pack no longer enabled is not checked.
    """
    by_id = {pack.id: pack for pack in packs}
    given: list[Given] = []
    for edit in draft.edits:
        pack = by_id.get(edit.pack)
        prompt = pack.prompt(edit.prompt) if pack is not None and edit.prompt else None
        if pack is None or prompt is None or (edit.follow_up and prompt.follow_up is None):
            continue
        if edit.kind == "answer" and edit.value is not None:
            given.append(Given(pack, prompt, edit.value))
        elif edit.kind in ("prose", "add-prose"):
            given.append(Given(pack, prompt, edit.text, follow_up=edit.follow_up))
    _check_follow_ups(home, draft.day, given)
    return restore(home, draft)


def save_answers(home: Home, day: dt.date, given: list[Given]) -> Entry:
    """Save answers given on the command line, all at once; a follow-up only when it is asked.

    An answer replaces the day's answer to its question, text as well as
    values, and is labelled with the version and time it is given now.
    """
    _check_follow_ups(home, day, given)
    edits = []
    try:
        existing = (
            read_entry(home, day)
            if any(isinstance(g.prompt, TextPrompt) or g.follow_up for g in given)
            else None
        )
    except crypt.LockedError:
        existing = None  # the journal is locked: `save` keeps the answers in a draft

    for item in given:
        pack, prompt, tags = item.pack, item.prompt, tuple(item.prompt.tags)
        if isinstance(prompt, TextPrompt) or item.follow_up:
            key = f"{prompt.id}/{FOLLOW_UP}" if item.follow_up else prompt.id
            edits.append(
                prose_edit(
                    pack,
                    prompt,
                    str(item.value),
                    add=False,
                    follow_up=item.follow_up,
                    words=split_wordings(home, wordings(home, pack), key, pack.id, existing),
                )
            )
        else:
            at = now().isoformat()
            edits.append(
                Edit("answer", pack.id, pack.version, prompt.id, item.value, tags=tags, at=at)
            )
    return save(home, day, edits)


def note_time(day: dt.date, given: str | None, now: dt.datetime | None = None) -> str:
    """A note's HH:MM: the one given, now for a note of today, else none (never an invented one)."""
    if given is not None:
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", given.strip())
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise UsageError(f"--time {given!r} is not a time of day: use HH:MM, e.g. 21:30")
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    now = now or dt.datetime.now()
    return f"{now:%H:%M}" if day == now.date() else ""


def remember_write(home: Home, day: dt.date, entry: Entry, config: list[int] | None) -> None:
    """Keep what lets the next `reflect write` skip the full command line (daily/quick.py).

    `config` is config.toml's key as `ensure_config` read it without complaint.
    """
    from reflect.daily.quick import remember
    from reflect.journal.entry import written_head

    path = entry_path(home, day)
    if path.name.endswith(".md"):
        remember(str(home.root), config, str(path), written_head(entry))


def add_note(
    home: Home, day: dt.date, text: str, tags: list[str], *, time: str | None = None
) -> Entry:
    """A free note in the day's entry, under a heading with its time (see `note_time`); the entry."""
    from reflect.journal.prose import normalize_prose

    if not normalize_prose(text):
        raise AnswerError("the note is empty; nothing saved")
    for tag in tags:
        problem = tag_problem(tag)
        if problem is not None:
            raise AnswerError(problem)
    at = note_time(day, time)
    return save(home, day, [Edit("note", text=text, time=at, tags=tuple(tags))])
