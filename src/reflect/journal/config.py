"""The journal's settings: the model of its config.toml, loaded, saved and updated under the lock."""

import tomllib
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reflect.errors import ConfigError, newer_format, newer_than
from reflect.journal.files import journal_lock, read_bounded, write_atomic
from reflect.journal.home import Home
from reflect.model.pack import Slug
from reflect.model.problems import validation_problems
from reflect.model.text import not_utf8

DEFAULT_PACKS = ("daily", "growth-mindset", "partnership")
CONFIG_FORMAT = 1
MAX_CONFIG_BYTES = 1024 * 1024


class Config(BaseModel):
    """config.toml: which packs are enabled, and personal settings."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    format: int = CONFIG_FORMAT
    packs: list[Slug] = Field(default_factory=lambda: list(DEFAULT_PACKS))
    editor: str | None = Field(
        default=None, description="command to edit text; else $VISUAL, $EDITOR"
    )
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=80,
        pattern=r"^[^\n\r]*\S[^\n\r]*$",
        description="your name, as a shared summary gives it to your coach",
    )
    passphrase_command: str | None = Field(
        default=None,
        description="an encrypted journal's passphrase: a command that prints it (a password manager)",
    )
    passphrase_timeout: float | None = Field(
        default=None,
        gt=0,
        le=3600,
        description="seconds passphrase_command may take before it is stopped (default 30)",
    )
    keyring: bool | None = Field(
        default=None,
        description="keep an encrypted journal's passphrase in the OS keyring (opt-in)",
    )


def load_config(home: Home) -> Config:
    path = home.config_path
    try:
        text = read_bounded(path, MAX_CONFIG_BYTES).decode("utf-8")
    except FileNotFoundError:
        return Config()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: {not_utf8(exc)}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the settings ({exc}); check the file") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}; fix it or delete it") from exc
    if (found := newer_than(data, CONFIG_FORMAT)) is not None:
        raise ConfigError(f"{path}: {newer_format('config', found, CONFIG_FORMAT)}")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(str(path), exc, keys=sorted(Config.model_fields))
        raise ConfigError("; ".join(p.line_text() for p in problems)) from exc


def save_config(home: Home, config: Config) -> None:
    import tomli_w

    data = config.model_dump(exclude_none=True)
    write_atomic(home.config_path, tomli_w.dumps(data))


def update_config(home: Home, change: Callable[[Config], Config | None]) -> Config:
    """Read config.toml, change it and write it back under the journal lock.

    Two `reflect packs enable` at once each see the other's change; `change`
    returns None to leave the file as it is.
    """
    with journal_lock(home.lock_path):
        config = load_config(home)
        changed = change(config)
        if changed is not None and changed != config:
            save_config(home, changed)
            return changed
    return config


def ensure_config(home: Home) -> Config:
    """Load config.toml, writing the default one on first use."""
    config = load_config(home)
    if not home.config_path.exists():
        save_config(home, config)
    return config
