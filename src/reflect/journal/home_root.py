"""Which journal home a light path opens, named as the full command line names it.

The order is `home.resolve_home`'s (REFLECT_HOME, else --home, else the
platform's user data folder), worked out with the standard library only
(platformdirs only when neither is set, as the full command line) so the
light readers and writers stay light; a path pathlib would print differently
is left to the full command line.
"""

import os


def journal_root(home_option: str | None) -> str | None:
    """The journal home as the full command line names it, or None when that needs pathlib."""
    env = os.environ.get("REFLECT_HOME")
    if env:
        return env if _plain(env) else None
    if home_option is not None:
        return home_option if _plain(home_option) else None
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
