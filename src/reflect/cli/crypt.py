"""`reflect encrypt`, `reflect decrypt` and `reflect status`: the journal encrypted at rest."""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from reflect.cli.common import JsonOption, echo_json, home_of

if TYPE_CHECKING:
    from reflect.journal.crypt import Protection

app = typer.Typer(rich_markup_mode=None)

IdentityOption = Annotated[
    Path | None,
    typer.Option(
        "--identity",
        "-i",
        help="Protect the key with this age identity file or SSH key instead of a passphrase.",
        show_default=False,
    ),
]


@app.command()
def encrypt(
    ctx: typer.Context,
    *,
    identity: IdentityOption = None,
    rotate: Annotated[
        bool,
        typer.Option(
            "--rotate", help="Change the passphrase (or identity) of an encrypted journal."
        ),
    ] = False,
) -> None:
    """Encrypt the journal with age: entries, drafts and the cache; resumes a stopped run.

    The passphrase is asked twice at the terminal (or read from
    REFLECT_PASSPHRASE, for scripts; with --rotate the new one from
    REFLECT_NEW_PASSPHRASE). See docs/privacy.md.

    Example: reflect encrypt
    """
    from reflect.journal import convert, crypt

    home = home_of(ctx)
    state = crypt.read_state(home.root)
    if rotate:
        if state is None:
            raise crypt.LockedError("the journal is not encrypted: `reflect encrypt` encrypts it")
        crypt.unlock(home.root)
        new = _protection(identity, "new passphrase", env=crypt.NEW_PASSPHRASE_ENV)
        convert.change_key(home, new)
        typer.echo(
            f"The journal's key is now protected by {new.describe()}; no entry was rewritten."
        )
        return
    if state is None:
        from reflect.sync.repo import refuse_second_key

        refuse_second_key(home)
    if state is not None:
        protection = None
    elif crypt.key_path(home.root).exists():
        # A first run stopped after writing key.age: its passphrase opens it again (asked once).
        protection = _protection(identity, "passphrase", env=crypt.PASSPHRASE_ENV, confirm=False)
    else:
        protection = _protection(identity, "passphrase", env=crypt.PASSPHRASE_ENV)
    try:
        done = convert.encrypt_home(home, protection)
    except KeyboardInterrupt:
        _stopped_midway("encrypt")
    if done.already:
        typer.echo(f"The journal at {home.root} is already encrypted.")
        return
    resumed = " (finishing an earlier run)" if done.resumed else ""
    typer.echo(f"Encrypted {done.files} file(s) in {home.root}{resumed}.")
    typer.echo(
        f"The key is {crypt.key_path(home.root)}; keep it in your backups with the entries. "
        "Without the passphrase or identity nothing can be read: see docs/privacy.md.",
        err=True,
    )


@app.command()
def decrypt(ctx: typer.Context) -> None:
    """Turn an encrypted journal back into plain markdown; resumes a stopped run.

    Example: reflect decrypt
    """
    from reflect.journal import convert

    home = home_of(ctx)
    try:
        done = convert.decrypt_home(home)
    except KeyboardInterrupt:
        _stopped_midway("decrypt")
    if done.already:
        typer.echo(f"The journal at {home.root} is not encrypted.")
        return
    resumed = " (finishing an earlier run)" if done.resumed else ""
    typer.echo(f"Decrypted {done.files} file(s) in {home.root}{resumed}; it is plain text again.")


def _stopped_midway(command: str) -> NoReturn:
    """Ctrl-C in a conversion: every day still reads, in one form; the same command finishes it."""
    typer.echo(
        f"reflect: stopped; every day still reads, each in one form: `reflect {command}` "
        "again finishes, `reflect doctor` says what is left",
        err=True,
    )
    raise typer.Exit(130)


@app.command()
def status(ctx: typer.Context, *, json_out: JsonOption = False) -> None:
    """Say whether the journal is encrypted and what unlocks it, without asking for anything.

    Example: reflect status
    """
    from reflect.journal.crypt import describe

    home = home_of(ctx)
    info = describe(home.root)
    if json_out:
        echo_json(info.as_dict())
        return
    for line in info.lines():
        typer.echo(line)


def _protection(
    identity: Path | None, what: str, *, env: str, confirm: bool = True
) -> "Protection":
    from reflect.journal import crypt

    if identity is not None:
        # Absolute: encryption.toml names it, and the journal opens from any folder.
        path = Path(os.path.abspath(identity.expanduser()))
        crypt.identity_recipient(path)  # fails now, before anything is written
        return crypt.Protection(identity=path)
    if not confirm:
        return crypt.Protection(passphrase=_earlier_passphrase(env))
    return crypt.Protection(passphrase=_new_passphrase(what, env))


def _given_passphrase(env: str, refusal: str) -> str | None:
    """A passphrase from `env`; else None to ask at the terminal, or `refusal` when there is none."""
    from reflect.journal import crypt

    given = os.environ.get(env)
    if given:
        return given
    if not sys.stdin.isatty():
        raise crypt.LockedError(refusal)
    return None


def _earlier_passphrase(env: str) -> str:
    """The passphrase chosen by an encryption that stopped, to open the key.age it left."""
    given = _given_passphrase(
        env,
        f"key.age is left by an encryption that stopped: give its passphrase in a "
        f"terminal or with {env}, or use --identity FILE",
    )
    if given:
        return given
    answer: str = typer.prompt(
        "Passphrase chosen when this encryption began", hide_input=True, err=True
    )
    return answer


def _new_passphrase(what: str, env: str) -> str:
    """A passphrase chosen at the terminal (typed twice), or from `env` for scripts.

    A rotation reads REFLECT_NEW_PASSPHRASE, never REFLECT_PASSPHRASE: that
    one opens the key, so taking it as the new one would change nothing.
    """
    from reflect.journal import crypt

    given = _given_passphrase(
        env,
        f"a {what} is needed: run this in a terminal, or set {env} "
        "(for scripts), or use --identity FILE",
    )
    if given:
        problem = _weak(given)
        if problem:
            raise crypt.LockedError(f"{env}: {problem}; nothing changed")
        return given
    for _ in range(crypt.ATTEMPTS):
        first = typer.prompt(f"Choose a {what}", hide_input=True, err=True)
        problem = _weak(first)
        if problem:
            typer.echo(f"reflect: {problem}", err=True)
            continue
        again = typer.prompt("Type it again", hide_input=True, err=True)
        if again == first:
            return str(first)
        typer.echo("reflect: the two did not match; try again", err=True)
    raise crypt.LockedError(f"no {what} chosen; nothing changed")


def _weak(phrase: str) -> str | None:
    """What is wrong with a passphrase chosen for the journal, or None."""
    if "\n" in phrase or "\r" in phrase:
        return "a passphrase is one line: it has a line break"
    if len(phrase.strip()) < 8:
        return "use at least 8 characters; a few words are best"
    return None
