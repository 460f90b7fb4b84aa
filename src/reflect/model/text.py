"""Making untrusted text (packs, imported entries) safe to show: no control sequences reach the terminal."""

import math
import re
import unicodedata

# C0 and C1 controls except tab and newline, DEL, and the Unicode bidi and
# invisible formatting characters that can reorder or hide what is shown.
# The zero-width joiner and non-joiner (U+200C, U+200D) stay: emoji such as
# a family and Persian and Indic words are spelled with them.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


# Whole terminal escape sequences (CSI such as colours or clear-screen, OSC such
# as clipboard writes), so no "[2J" is left behind when the ESC itself goes.
_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")


def clean(text: str) -> str:
    """Remove escape sequences, control and bidi-override characters; keep tabs and newlines.

    The one cleaning of untrusted text on its way out, whatever the sink.
    """
    if text.isascii() and text.isprintable():
        return text  # printable ASCII holds none of them (the common case, checked fast)
    if "\x1b" in text:
        text = _SEQUENCE.sub("", text)
    return _UNSAFE.sub("", text)


_UNSAFE_OR_SPACE = re.compile(f"{_UNSAFE.pattern[:-1]}\\s]")


def spaced(text: str) -> str:
    """Each control, bidi or whitespace character replaced by one space: positions keep."""
    if text.isascii() and text.isprintable():
        return text  # its one whitespace character is the space
    return _UNSAFE_OR_SPACE.sub(" ", text)


def clean_line(text: str) -> str:
    """`clean`, then fold every run of whitespace (newlines included) into one space."""
    return " ".join(clean(text).split())


def fold(text: str) -> str:
    """Case- and accent-insensitive form of text, for matching."""
    if text.isascii():
        return text.lower()  # what casefold and NFKD make of ASCII, only faster
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tag_key(tag: str) -> str:
    """What makes two tags the same tag: case aside (as Obsidian), and é typed either way.

    Accents and other letters count: `e` is not `é`.
    """
    if tag.isascii():
        return tag.lower()
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", tag).casefold())


def has_unsafe(text: str) -> bool:
    """Whether `clean` would change the text."""
    return _UNSAFE.search(text) is not None


def shorten(text: str, width: int) -> str:
    """One line of at most `width` characters, cut with "…" when it is longer."""
    return text if len(text) <= width else text[: width - 1] + "…"


def not_utf8(exc: UnicodeDecodeError, fix: str = "convert it to UTF-8 in an editor") -> str:
    """What is wrong with text that is not UTF-8, and how to mend it: one wording everywhere.

    `fix` replaces the advice where the text has another way back (kept bytes, an import).
    """
    return f"is not UTF-8 text (bad byte at offset {exc.start}); {fix}"


def clean_tree(data: object) -> object:
    """`clean` every string in a structure of dicts and lists bound for JSON output.

    A number JSON cannot hold (a hand-written .inf or .nan) becomes its name
    as a string, so every JSON reflect writes is valid JSON.
    """
    if isinstance(data, str):
        return clean(data)
    if isinstance(data, float) and not math.isfinite(data):
        return str(data)
    if isinstance(data, dict):
        return {clean(k) if isinstance(k, str) else k: clean_tree(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [clean_tree(item) for item in data]
    return data
