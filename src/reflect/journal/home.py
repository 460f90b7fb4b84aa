"""`Home`, the journal's folder and the files in it, and which folder is the journal (`resolve_home`).

Kept free of heavy imports: every command starts here.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from reflect.journal.files import ensure_private_dir
from reflect.journal.home_root import chosen_home


@dataclass(frozen=True)
class Home:
    """A journal home: one folder holding everything a person owns."""

    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / "config.toml"

    @property
    def packs_dir(self) -> Path:
        return self.root / "packs"

    @property
    def entries_dir(self) -> Path:
        return self.root / "entries"

    @property
    def attachments_dir(self) -> Path:
        """Photos, video and audio brought in with imported entries, by year."""
        return self.root / "attachments"

    @property
    def cache_dir(self) -> Path:
        """Rebuilt at will from the entries; never the source of truth."""
        return self.root / ".cache"

    @property
    def lock_path(self) -> Path:
        return self.root / ".reflect.lock"

    def ensure(self) -> "Home":
        """Create the folders on first use, private to the user."""
        for folder in (self.root, self.entries_dir, self.packs_dir):
            ensure_private_dir(folder)
        return self


def default_home_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("reflect", appauthor=False)


def state_recovery_dir() -> Path:
    """Where recovery drafts go when the journal home cannot take them: the user's state folder."""
    from platformdirs import user_state_path

    return user_state_path("reflect", appauthor=False) / "recovery"


def resolve_home(option: Path | None) -> Path:
    """REFLECT_HOME when set, else --home, else the platform's user data folder."""
    chosen = chosen_home(None if option is None else os.fspath(option))
    return default_home_path() if chosen is None else Path(chosen).expanduser()
