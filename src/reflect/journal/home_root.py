"""Which journal home a light path opens, named as the full command line names it.

The order is `chosen_home`'s, which `home.resolve_home` takes too (REFLECT_HOME,
else --home, else the platform's user data folder), worked out with the standard library only
(platformdirs only when neither is set, as the full command line) so the
light readers and writers stay light; a path pathlib would print differently
is left to the full command line.
"""

import os


def chosen_home(home_option: str | None) -> str | None:
    """The home a person chose: REFLECT_HOME when set, else --home; None for the platform's folder.

    The one place that orders the two, for the light paths and `home.resolve_home` alike.
    """
    return os.environ.get("REFLECT_HOME") or home_option


def journal_root(home_option: str | None) -> str | None:
    """The journal home as the full command line names it, or None when that needs pathlib."""
    chosen = chosen_home(home_option)
    if chosen is not None:
        return chosen if _plain(chosen) else None
    from platformdirs import user_data_path

    return str(user_data_path("reflect", appauthor=False))


def _plain(path: str) -> bool:
    """Whether pathlib would print the path as it is written (then no pathlib is needed)."""
    return not (
        not path
        or path.startswith(("~", "./", "//"))
        or path.endswith(("/", "/."))
        or "//" in path
        or "/./" in path
        or path == "."
    )
