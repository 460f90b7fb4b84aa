"""age files encrypted with a passphrase (age's scrypt recipient type), written and read here.

pyrage sets scrypt's work factor by timing the machine at hand, and refuses
a file whose factor is more than 16 times what takes a second there at that
moment: a key.age made on an idle, fast machine could be refused on a busy
or slow one. Here the work factor is fixed when writing (WORK_FACTOR, the
one the `age` tool itself uses) and accepted up to MAX_WORK_FACTOR (the
most `age` accepts) when reading, whatever the machine's load. The files
are plain age (c2sp.org/age): `age -d` reads them with the passphrase, and
so does pyrage. Only small files go through here (the journal's key).
"""

import os
import re

from reflect.journal.agefile import (
    CHUNK,
    VERSION_LINE,
    b64,
    hkdf,
    hmac_sha256,
    nonce,
    open_payload,
    split_mac,
    unb64,
)
from reflect.journal.agefile import Unreadable as _Unreadable

# log2 of scrypt's N: age's own default, about a second on a laptop of the 2020s.
WORK_FACTOR = 18
# The most the `age` tool accepts (N = 2^22 takes 4 GiB of memory).
MAX_WORK_FACTOR = 22
_SALT_LABEL = b"age-encryption.org/v1/scrypt"
_DECIMAL = re.compile(rb"[1-9][0-9]*")
# Not an age file encrypted with a passphrase, or a damaged one.
Unreadable = _Unreadable


class WrongPassphrase(ValueError):
    """The passphrase does not open the file."""


class TooMuchWork(ValueError):
    """The file asks for more scrypt work than age accepts."""

    def __init__(self, log_n: int) -> None:
        super().__init__(
            f"its scrypt work factor is 2^{log_n}, above age's limit 2^{MAX_WORK_FACTOR}"
        )
        self.log_n = log_n


def encrypt(data: bytes, passphrase: str, work_factor: int | None = None) -> bytes:
    """`data` as an age file that the passphrase opens (`age -d` asks for it)."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    log_n = WORK_FACTOR if work_factor is None else work_factor
    file_key = os.urandom(16)
    salt = os.urandom(16)
    wrap = _scrypt(passphrase, salt, log_n)
    body = ChaCha20Poly1305(wrap).encrypt(bytes(12), file_key, None)
    header = VERSION_LINE + f"-> scrypt {b64(salt)} {log_n}\n{b64(body)}\n---".encode()
    mac = hmac_sha256(hkdf(file_key, b"", b"header"), header)
    start = os.urandom(16)
    aead = ChaCha20Poly1305(hkdf(file_key, start, b"payload"))
    chunks = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
    sealed = b"".join(
        aead.encrypt(nonce(i, i == len(chunks) - 1), chunk, None) for i, chunk in enumerate(chunks)
    )
    return header + b" " + b64(mac).encode() + b"\n" + start + sealed


def work_factor(blob: bytes) -> int:
    """The log2 of scrypt's N that a passphrase-encrypted age file asks for."""
    return _header(blob)[1]


def decrypt(blob: bytes, passphrase: str) -> bytes:
    """What a passphrase-encrypted age file holds; WrongPassphrase, TooMuchWork or Unreadable."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    salt, log_n, body, header, rest = _header(blob)
    if log_n > MAX_WORK_FACTOR:
        raise TooMuchWork(log_n)
    try:
        file_key = ChaCha20Poly1305(_scrypt(passphrase, salt, log_n)).decrypt(bytes(12), body, None)
    except InvalidTag:
        raise WrongPassphrase("the passphrase does not open it") from None
    return bytes(open_payload(file_key, header, *split_mac(rest)))


def _header(blob: bytes) -> tuple[bytes, int, bytes, bytes, bytes]:
    """The scrypt stanza's salt, work factor and body, the header up to `---`, and what follows.

    As c2sp.org/age has it: one stanza only, three arguments, canonical
    base64, a work factor with no leading zero, a body of 32 bytes.
    """
    if not blob.startswith(VERSION_LINE):
        raise Unreadable("not an age file")
    lines = blob[len(VERSION_LINE) :].split(b"\n", 3)
    if len(lines) < 4 or not lines[0].startswith(b"-> ") or not lines[2].startswith(b"---"):
        raise Unreadable("not an age file encrypted with a passphrase alone")
    arguments = lines[0][3:].split(b" ")
    if arguments[0] != b"scrypt" or len(arguments) != 3:
        raise Unreadable("not an age file encrypted with a passphrase alone")
    if not _DECIMAL.fullmatch(arguments[2]) or len(arguments[2]) > 2:
        raise Unreadable("its scrypt work factor is not a number age writes")
    salt = unb64(arguments[1], 16, "the scrypt salt")
    body = unb64(lines[1], 32, "the wrapped file key")
    header_end = len(VERSION_LINE) + len(lines[0]) + len(lines[1]) + 2 + 3
    return salt, int(arguments[2]), body, blob[:header_end], blob[header_end:]


def _scrypt(passphrase: str, salt: bytes, log_n: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=_SALT_LABEL + salt, length=32, n=2**log_n, r=8, p=1)
    return kdf.derive(passphrase.encode("utf-8"))
