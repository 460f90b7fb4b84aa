"""`reflect packs`: list, show, check, preview, write, install and choose prompt packs."""

from pathlib import Path
from typing import Annotated, Any

import typer

from reflect.cli.common import Group, JsonOption, echo_json, home_of

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Prompt packs: list, show, validate, preview, new, add, remove, enable, disable, schema.",
)
PackId = Annotated[str, typer.Argument(metavar="ID", help="The pack's id.", show_default=False)]


@app.command("list")
def packs_list(ctx: typer.Context, *, json_out: JsonOption = False) -> None:
    """List every pack, built-in or installed, and whether it is enabled.

    Example: reflect packs list --json
    """
    from reflect.journal.config import load_config
    from reflect.packs.library import packs_data, scan_packs

    home = home_of(ctx)
    enabled = load_config(home).packs
    catalogue = scan_packs(home)
    packs = sorted(catalogue.packs.values(), key=lambda info: info.pack.id)
    for error in catalogue.broken:
        typer.echo(f"reflect: warning: skipped a broken pack: {error}", err=True)
    if json_out:
        echo_json(packs_data(packs, enabled))
        return
    from reflect.render import console
    from reflect.render.packs import packs_table

    console().print(packs_table(packs, enabled))


@app.command("show")
def packs_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="ID|FILE", help="A pack id or a pack file.")],
    *,
    json_out: JsonOption = False,
) -> None:
    """Show a pack: its description and every prompt with type, range, schedule and follow-up.

    Example: reflect packs show partnership
    """
    from reflect.packs.library import pack_data, pack_or_file

    pack = pack_or_file(home_of(ctx), name)
    if json_out:
        echo_json(pack_data(pack))
        return
    from reflect.render import console
    from reflect.render.packs import pack_view

    out = console()
    for part in pack_view(pack):
        out.print(part)


@app.command("validate")
def packs_validate(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE", help="Pack files to check, one or more.")
    ],
    *,
    json_out: JsonOption = False,
) -> None:
    """Check pack files without installing them; every problem is listed, exit 1 if any.

    Example: reflect packs validate my-pack.toml
    """
    from reflect.packs.library import check_files, checks_data

    checks = check_files(files)
    if json_out:
        echo_json(checks_data(checks))
    else:
        for check in checks:
            for problem in check.problems:
                typer.echo(problem.line_text())
            for warning in check.warnings:
                typer.echo(f"{check.path}: warning: {warning}", err=True)
            if check.pack is not None:
                pack = check.pack
                typer.echo(
                    f"{check.path}: ok: {pack.id} {pack.version}, {len(pack.prompts)} prompt(s), "
                    f"{_schedule_summary(pack)}"
                )
    failed = [check for check in checks if check.pack is None]
    if failed:
        problems = sum(len(check.problems) for check in failed)
        typer.echo(
            f"reflect: {problems} problem(s) in {len(failed)} of {len(checks)} file(s)", err=True
        )
        raise typer.Exit(1)


def _schedule_summary(pack: Any) -> str:
    pinned = sum(1 for p in pack.prompts if p.pin)
    weekly = sum(1 for p in pack.prompts if p.on and not p.pin)
    return f"{pinned} pinned, {weekly} on a weekday, {pack.per_day} rotating a day"


@app.command("preview")
def packs_preview(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="FILE|ID", help="A pack file or a pack id.")],
    *,
    days: Annotated[int, typer.Option("--days", "-n", min=1, max=366, help="How many days.")] = 7,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help="First day: YYYY-MM-DD, today or yesterday.", show_default="today"
        ),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Show the questions a pack would ask on each of the coming days.

    Example: reflect packs preview my-pack.toml --days 14
    """
    from reflect.model.dates import parse_day
    from reflect.model.text import clean_line
    from reflect.packs.library import pack_or_file
    from reflect.packs.schedule import days_ahead, preview_data

    pack = pack_or_file(home_of(ctx), name)
    first = parse_day(start, option="--from")
    plan = days_ahead([pack], first, days)
    if json_out:
        echo_json(preview_data(plan))
        return
    for day, asked in plan:
        typer.echo(f"{day:%a %Y-%m-%d}")
        for item in asked:
            how = "pinned" if item.prompt.pin else (item.prompt.on or "rotating")
            typer.echo(f"  {item.prompt.id:<24} {how:<8} {clean_line(item.prompt.text)}")


@app.command("new")
def packs_new(
    pack_id: PackId,
    *,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write it.", show_default="ID.toml"),
    ] = None,
) -> None:
    """Write a starting pack: a commented example of every prompt type to edit.

    Example: reflect packs new team-habits -o team-habits.toml
    """
    from reflect.packs.library import new_pack_text

    text = new_pack_text(pack_id)
    target = output or Path(f"{pack_id}.toml")
    from reflect.errors import ReflectError

    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ReflectError(f"{target} already exists; choose another name with -o") from None
    except OSError as exc:
        raise ReflectError(f"cannot write {target}: {exc.strerror or exc}") from None
    typer.echo(f"Wrote {target}. Check it with `reflect packs validate {target}`.", err=True)


@app.command("add")
def packs_add(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The pack file to install.")],
    *,
    enable: Annotated[
        bool, typer.Option("--enable", help="Ask its questions from now on.")
    ] = False,
    upgrade: Annotated[
        bool, typer.Option("--upgrade", help="Replace an installed pack with a newer version.")
    ] = False,
    json_out: JsonOption = False,
    replace_builtin: Annotated[
        bool,
        typer.Option(
            "--replace-builtin", help="With --upgrade: let the file replace a built-in pack."
        ),
    ] = False,
) -> None:
    """Check a pack file and install a copy in your journal; an upgrade lists what changed.

    Example: reflect packs add team-habits.toml --enable
    """
    from reflect.model.text import clean_line
    from reflect.packs.library import install_pack, installed_data

    done = install_pack(
        home_of(ctx), file, upgrade=upgrade, enable=enable, replace_builtin=replace_builtin
    )
    pack = done.pack
    if json_out:
        echo_json(installed_data(done))
        return
    if done.previous is not None and done.previous.source == "built-in":
        from reflect.render.packs import upgrade_lines

        typer.echo(
            f"Replaced the built-in {pack.id} {done.previous.pack.version} "
            f"({clean_line(done.previous.pack.name)}) with {pack.version}"
        )
        for line in upgrade_lines(done.changes) if done.changes else []:
            typer.echo(f"  {line}")
    elif done.changes is not None and done.previous is not None:
        from reflect.render.packs import upgrade_lines

        typer.echo(f"Upgraded {pack.id} {done.previous.pack.version} -> {pack.version}")
        for line in upgrade_lines(done.changes):
            typer.echo(f"  {line}")
    else:
        typer.echo(f"Installed {pack.id} {pack.version} ({len(pack.prompts)} prompts)")
    if done.enabled:
        typer.echo(f"{pack.id} enabled")


@app.command("remove")
def packs_remove(ctx: typer.Context, pack_id: PackId) -> None:
    """Uninstall a pack you added; answers already given stay in the journal.

    Example: reflect packs remove team-habits
    """
    from reflect.packs.library import remove_pack

    info = remove_pack(home_of(ctx), pack_id)
    typer.echo(f"Removed {pack_id} {info.pack.version}; its answers stay in your entries")


@app.command("enable")
def packs_enable(ctx: typer.Context, pack_id: PackId) -> None:
    """Ask a pack's questions from now on.

    Example: reflect packs enable servant-leadership
    """
    from reflect.packs.library import set_enabled

    changed = set_enabled(home_of(ctx).ensure(), pack_id, True)
    typer.echo(f"{pack_id} {'enabled' if changed else 'was already enabled'}")


@app.command("disable")
def packs_disable(ctx: typer.Context, pack_id: PackId) -> None:
    """Stop asking a pack's questions; answers already given stay in the journal.

    Example: reflect packs disable partnership
    """
    from reflect.packs.library import set_enabled

    changed = set_enabled(home_of(ctx).ensure(), pack_id, False)
    typer.echo(f"{pack_id} {'disabled' if changed else 'was already disabled'}")


@app.command("schema")
def packs_schema() -> None:
    """Print the JSON Schema of the pack format, for editors that check TOML against it.

    Example: reflect packs schema > pack.schema.json
    """
    from reflect.packs.library import pack_schema

    echo_json(pack_schema())
