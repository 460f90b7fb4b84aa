"""`reflect packs`: list, enable and disable prompt packs."""

from typing import Annotated

import typer

from reflect.cli.app import JsonOption, echo_json, home_of, packs_app


@packs_app.command("list")
def packs_list(ctx: typer.Context, *, json_out: JsonOption = False) -> None:
    """List every pack, built-in or installed, and whether it is enabled.

    Example: reflect packs list --json
    """
    from reflect.config import load_config
    from reflect.packs import all_packs

    home = home_of(ctx)
    enabled = load_config(home).packs
    packs = sorted(all_packs(home).values(), key=lambda info: info.pack.id)
    if json_out:
        echo_json(
            [
                {
                    "id": i.pack.id,
                    "name": i.pack.name,
                    "version": i.pack.version,
                    "prompts": len(i.pack.prompts),
                    "enabled": i.pack.id in enabled,
                    "source": i.source,
                    "path": str(i.path),
                }
                for i in packs
            ]
        )
        return
    from reflect.render import console
    from reflect.render.packs import packs_table

    console().print(packs_table(packs, enabled))


@packs_app.command("enable")
def packs_enable(
    ctx: typer.Context, pack_id: Annotated[str, typer.Argument(metavar="ID", help="The pack's id.")]
) -> None:
    """Ask a pack's questions from now on.

    Example: reflect packs enable servant-leadership
    """
    from reflect.packs import set_enabled

    changed = set_enabled(home_of(ctx).ensure(), pack_id, True)
    typer.echo(f"{pack_id} {'enabled' if changed else 'was already enabled'}")


@packs_app.command("disable")
def packs_disable(
    ctx: typer.Context, pack_id: Annotated[str, typer.Argument(metavar="ID", help="The pack's id.")]
) -> None:
    """Stop asking a pack's questions; answers already given stay in the journal.

    Example: reflect packs disable partnership
    """
    from reflect.packs import set_enabled

    changed = set_enabled(home_of(ctx).ensure(), pack_id, False)
    typer.echo(f"{pack_id} {'disabled' if changed else 'was already disabled'}")
