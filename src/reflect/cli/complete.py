"""Shell completion: what each kind of value completes to, chosen by the option's name.

Typer's completion protocol runs the program with `_REFLECT_COMPLETE` set;
only then is this module imported and its completers attached, so the
start-up path of every other run (`reflect prompt` in a shell greeting)
never pays for it. Attaching by name keeps one table for every command:
a new command with a `--date` or `--pack` option completes without a word.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from reflect.journal.home import Home, resolve_home

Completer = Callable[[Home, str], list[str]]


def _home(ctx: Any) -> Home:
    root = ctx.find_root()
    given = root.params.get("home") if root.params else None
    return Home(resolve_home(Path(given) if given else None))


def days(home: Home, incomplete: str) -> list[str]:
    """today, yesterday, and the days written (newest first) once a digit is typed."""
    from reflect.journal.store import entry_files

    words = ["today", "yesterday"]
    if incomplete[:1].isdigit():
        written = [day.isoformat() for day, _ in entry_files(home)]
        words += reversed(written)
    return words


def weeks(home: Home, incomplete: str) -> list[str]:
    """this, last, and ISO weeks: the last twelve, or every week of a year once it is typed."""
    from reflect.model.dates import today, week_label, weeks_in

    now = today()
    words = ["this", "last"]
    year = incomplete[:4]
    if len(incomplete) >= 4 and year.isdigit() and int(year) >= 1:
        words += [f"{year}-W{week:02d}" for week in range(1, weeks_in(int(year)) + 1)]
    else:
        words += [week_label(now - dt.timedelta(weeks=n)) for n in range(12)]
    return words


def months(home: Home, incomplete: str) -> list[str]:
    """this, last, and the last twelve months."""
    from reflect.model.dates import today

    first = today().replace(day=1)
    found = ["this", "last"]
    for _ in range(12):
        found.append(f"{first:%Y-%m}")
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return found


def pack_ids(home: Home, incomplete: str) -> list[str]:
    from reflect.packs.library import scan_packs

    return sorted(scan_packs(home).packs)


def prompt_keys(home: Home, incomplete: str) -> list[str]:
    """PACK/PROMPT for every question of every readable pack."""
    return _keys(home, follow_ups=False)


def answer_keys(home: Home, incomplete: str) -> list[str]:
    """PACK/PROMPT, and PACK/PROMPT/follow-up where a question has one: what --answer takes."""
    return _keys(home, follow_ups=True)


def _keys(home: Home, *, follow_ups: bool) -> list[str]:
    from reflect.packs.library import readable_packs

    packs, _ = readable_packs(home)
    keys: list[str] = []
    for pack_id in sorted(packs):
        for item in packs[pack_id].prompts:
            keys.append(f"{pack_id}/{item.id}")
            if follow_ups and item.follow_up is not None:
                keys.append(f"{pack_id}/{item.id}/follow-up")
    return keys


# Options by their long name, arguments by their metavar (or name when they have none).
BY_OPTION: dict[str, Completer] = {
    "--date": days,
    "--since": days,
    "--until": days,
    "--from": days,
    "--to": days,
    "--week": weeks,
    "--month": months,
    "--pack": pack_ids,
    # Only --answer takes PACK/PROMPT/follow-up; the others refuse it.
    "--answer": answer_keys,
    "--where": prompt_keys,
    "--prompt": prompt_keys,
}
BY_ARGUMENT: dict[str, Completer] = {
    "DATE": days,
    "ID": pack_ids,
    "ID|FILE": pack_ids,
    "FILE|ID": pack_ids,
    "PACK/PROMPT": prompt_keys,
}


def unreadable_request(instruction: str, env: Mapping[str, str]) -> str | None:
    """Why bash's completion request cannot be read, or None.

    Typer reads COMP_WORDS and COMP_CWORD unchecked: a COMP_CWORD that is no
    number, or either one missing, would end in a traceback.
    """
    if instruction != "complete_bash":
        return None
    words, index = env.get("COMP_WORDS"), env.get("COMP_CWORD")
    if words is None or index is None:
        return "bash completion needs COMP_WORDS and COMP_CWORD, which bash sets"
    if not (index.isascii() and index.isdigit()):
        return f"COMP_CWORD {index!r} is not a word number; bash sets it when completing"
    return None


def completer_for(param: Any) -> Completer | None:
    if getattr(param, "param_type_name", "") == "argument":
        return BY_ARGUMENT.get(param.metavar or (param.name or "").upper())
    for name in param.opts:
        if name in BY_OPTION:
            return BY_OPTION[name]
    return None


def attach(command: Any) -> None:
    """Give every option and argument in the command tree its completer."""
    for param in command.params:
        completer = completer_for(param)
        if completer is not None and param._custom_shell_complete is None:
            param._custom_shell_complete = _adapt(completer)
    for sub in getattr(command, "commands", {}).values():
        attach(sub)


def _adapt(completer: Completer) -> Callable[[Any, Any, str], list[str]]:
    def complete(ctx: Any, param: Any, incomplete: str) -> list[str]:
        try:
            found = completer(_home(ctx), incomplete)
        except Exception:
            # A broken pack or an unreadable folder must never print a traceback into a prompt.
            return []
        return [word for word in dict.fromkeys(found) if word.startswith(incomplete)]

    return complete
