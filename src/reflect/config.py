"""Where the journal lives and the settings kept in its config.toml."""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reflect.diagnose import validation_problems
from reflect.errors import ConfigError
from reflect.fsutil import ensure_private_dir, write_atomic
from reflect.models import Slug, Weekday

DEFAULT_PACKS = ("daily", "growth-mindset", "partnership")
CONFIG_FORMAT = 1


class Config(BaseModel):
    """config.toml: which packs are enabled, and personal settings."""

    model_config = ConfigDict(extra="forbid")

    format: int = CONFIG_FORMAT
    packs: list[Slug] = Field(default_factory=lambda: list(DEFAULT_PACKS))
    editor: str | None = Field(default=None, description="command to edit text; else $VISUAL, $EDITOR")
    week_start: Weekday = "mon"


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


def resolve_home(option: Path | None) -> Path:
    """REFLECT_HOME when set, else --home, else the platform's user data folder."""
    env = os.environ.get("REFLECT_HOME")
    if env:
        return Path(env).expanduser()
    if option is not None:
        return option.expanduser()
    return default_home_path()


def load_config(home: Home) -> Config:
    path = home.config_path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the settings ({exc}); check the file") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}; fix it or delete it") from exc
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(str(path), exc)
        raise ConfigError("; ".join(p.line_text() for p in problems)) from exc


def save_config(home: Home, config: Config) -> None:
    import tomli_w

    data = config.model_dump(exclude_none=True)
    write_atomic(home.config_path, tomli_w.dumps(data))


def ensure_config(home: Home) -> Config:
    """Load config.toml, writing the default one on first use."""
    config = load_config(home)
    if not home.config_path.exists():
        save_config(home, config)
    return config
