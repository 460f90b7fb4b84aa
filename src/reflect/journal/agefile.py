"""age files (c2sp.org/age) read with `cryptography`: the header, the payload, and the X25519
recipient type that every file of an encrypted journal is written to.

pyrage spends about 0.2 ms of CPU on a journal file, four times the one
X25519 agreement each file needs; a search or trends without an index opens
every file. `X25519Opener` opens a file only when its header is exactly one
that c2sp.org/age allows and every check passes (the stanza, the header's
MAC, each chunk's tag); for anything else it gives None and the caller asks
pyrage, which decrypts the file or says why not. So a file is never read
here that age refuses, and a damaged one is reported in pyrage's words;
`header_refused` keeps from pyrage the headers it reads and age does not.
"""

import binascii
import hashlib
import hmac
import re
from typing import Any

# At the top, not in each function: an import statement costs microseconds a file.
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

VERSION_LINE = b"age-encryption.org/v1\n"
CHUNK = 64 * 1024
TAG = 16
_X25519_LABEL = b"age-encryption.org/v1/X25519"
_BASE64 = re.compile(rb"[A-Za-z0-9+/]*")
# A header as c2sp.org/age has it: the version line; one or more stanzas, each an arrow line
# (its type and arguments, visible ASCII, one space apart) and a body in base64 wrapped at 64
# columns whose last line is shorter (maybe empty); then `---` and the header's MAC.
_HEADER = re.compile(
    rb"age-encryption\.org/v1\n"
    rb"((?:-> [\x21-\x7e]+(?: [\x21-\x7e]+)*\n(?:[A-Za-z0-9+/]{64}\n)*[A-Za-z0-9+/]{0,63}\n)+)"
    rb"--- ([A-Za-z0-9+/]{43})\n"
)
_STANZA = re.compile(rb"-> ([^\n]*)\n((?:[A-Za-z0-9+/]{64}\n)*[A-Za-z0-9+/]{0,63})\n")
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_ZERO_NONCE = bytes(12)
_ONLY_CHUNK = bytes(11) + b"\x01"
_INNER = bytes(byte ^ 0x36 for byte in range(256))
_OUTER = bytes(byte ^ 0x5C for byte in range(256))


_ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
_ARMOR_END = b"-----END AGE ENCRYPTED FILE-----"


def header_refused(blob: bytes) -> bool:
    """Whether age refuses the file for its header's shape alone, armored (`age -a`) or not.

    pyrage reads some headers c2sp.org/age forbids (a stanza's body of a
    multiple of 48 bytes with no short line to end it): such a file is
    refused here, so that reflect never reads what `age -d` refuses.
    Anything else is left to the opener and pyrage.
    """
    if blob.lstrip().startswith(_ARMOR_BEGIN):
        inside = blob.lstrip()[len(_ARMOR_BEGIN) :].split(_ARMOR_END, 1)[0]
        try:
            blob = binascii.a2b_base64(b"".join(inside.split()))
        except binascii.Error:
            return False
    return blob.startswith(VERSION_LINE) and _HEADER.match(blob) is None


class Unreadable(ValueError):
    """Not an age file of the shape asked for, or a damaged one."""


def b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii").rstrip("=")


def unb64(text: bytes, size: int | None, what: str) -> bytes:
    """Canonical unpadded base64 (of exactly `size` bytes when given), as age requires."""
    if not _BASE64.fullmatch(text):
        raise Unreadable(f"{what} is not base64")
    try:
        data = binascii.a2b_base64(text + b"=" * (-len(text) % 4), strict_mode=True)
    except binascii.Error:
        raise Unreadable(f"{what} is not base64") from None
    if size is not None and len(data) != size:
        raise Unreadable(f"{what} is not {size} bytes in canonical base64")
    # The same bytes with other bits in the last character's unused ones, which age refuses.
    if binascii.b2a_base64(data, newline=False).rstrip(b"=") != text:
        raise Unreadable(f"{what} is not canonical base64")
    return data


def hmac_sha256(key: bytes, message: bytes) -> bytes:
    """HMAC-SHA-256 (RFC 2104) with a key of at most 64 bytes, what `hmac.digest` gives.

    Written out because OpenSSL's one-shot HMAC looks its digest up on each
    call, which costs as much as these two hashes, and a file needs seven.
    """
    padded = key.ljust(64, b"\0")
    inner = hashlib.sha256(padded.translate(_INNER) + message).digest()
    return hashlib.sha256(padded.translate(_OUTER) + inner).digest()


def hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA-256 (RFC 5869) to 32 bytes: one block of Expand after Extract."""
    return hmac_sha256(hmac_sha256(salt, ikm), info + b"\x01")


def nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def split_mac(rest: bytes) -> tuple[bytes, bytes]:
    """The header's MAC and the payload, from what follows `---`."""
    line, newline, payload = rest.partition(b"\n")
    if not newline or not line.startswith(b" "):
        raise Unreadable("its header does not end in a MAC")
    return unb64(line[1:], 32, "the header's MAC"), payload


def open_payload(
    file_key: bytes, header: bytes, mac: bytes, payload: bytes | memoryview
) -> bytes | bytearray:
    """The plaintext: the header's MAC checked, then every chunk's tag.

    A file of more than one chunk (the index, not an entry) is decrypted
    chunk by chunk into one buffer, its pieces views of `payload`: no copy
    of the whole is made on the way (each is tens of milliseconds at 20 MB).
    """
    if not hmac.compare_digest(hmac_sha256(hkdf(file_key, b"", b"header"), header), mac):
        raise Unreadable("its header was changed")
    if len(payload) < 16 + TAG:
        raise Unreadable("it is cut short")
    aead = ChaCha20Poly1305(hkdf(file_key, bytes(payload[:16]), b"payload"))
    sealed = memoryview(payload)[16:]
    try:
        if len(sealed) <= CHUNK + TAG:  # most files: one chunk, the last
            return aead.decrypt(_ONLY_CHUNK, sealed, None)
        count = -(-len(sealed) // (CHUNK + TAG))
        last_size = len(sealed) - (count - 1) * (CHUNK + TAG)
        if last_size < TAG:
            raise Unreadable("its contents were changed or cut short")
        plain = bytearray(len(sealed) - count * TAG)
        into = memoryview(plain)
        for index in range(count):
            start = index * (CHUNK + TAG)
            piece = sealed[start : start + CHUNK + TAG]
            last = index == count - 1
            aead.decrypt_into(
                nonce(index, last),
                piece,
                None,
                into[index * CHUNK : index * CHUNK + len(piece) - TAG],
            )
            if last and len(piece) == TAG:
                raise Unreadable("it ends in an empty chunk")
    except InvalidTag:
        raise Unreadable("its contents were changed or cut short") from None
    return plain


def bech32_bytes(hrp: str, text: str) -> bytes:
    """The bytes a Bech32 string (BIP 173, as age writes its keys) holds under `hrp`."""
    lowered = text.lower()
    if text not in (lowered, text.upper()) or not lowered.startswith(hrp + "1"):
        raise Unreadable(f"not a Bech32 string of {hrp}")
    try:
        values = [_BECH32.index(char) for char in lowered[len(hrp) + 1 :]]
    except ValueError:
        raise Unreadable(f"not a Bech32 string of {hrp}") from None
    check = 1
    for value in [ord(char) >> 5 for char in hrp] + [0] + [ord(char) & 31 for char in hrp] + values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(_BECH32_GENERATOR):
            if top >> bit & 1:
                check ^= generator
    if check != 1 or len(values) < 6:
        raise Unreadable(f"the Bech32 checksum of {hrp} does not match")
    bits = 0
    count = 0
    data = bytearray()
    for value in values[:-6]:
        bits = bits << 5 | value
        count += 5
        if count >= 8:
            count -= 8
            data.append(bits >> count & 0xFF)
    if count >= 5 or bits & ((1 << count) - 1):
        raise Unreadable(f"the Bech32 padding of {hrp} is not zero")
    return bytes(data)


class X25519Opener:
    """Opens age files encrypted to one X25519 identity (`AGE-SECRET-KEY-1...`)."""

    def __init__(self, secret: str, recipient: str) -> None:
        """Unreadable unless `recipient` (`age1...`) is the public half of `secret`."""
        self._key = X25519PrivateKey.from_private_bytes(bech32_bytes("age-secret-key-", secret))
        self._public = self._key.public_key().public_bytes_raw()
        if self._public != bech32_bytes("age", recipient):
            raise Unreadable("the recipient is not this identity's")

    def open(self, blob: bytes) -> bytes | bytearray | None:
        """The plaintext, or None when this is not a file opened here (pyrage decides)."""
        header = _HEADER.match(blob)
        if header is None:
            return None
        try:
            file_key = self._file_key(_STANZA.findall(header[1]))
            if file_key is None:
                return None
            mac = unb64(header[2], 32, "the header's MAC")
            payload = memoryview(blob)[header.end() :]
            return open_payload(file_key, blob[: header.start(2) - 1], mac, payload)
        except Unreadable:
            return None

    def _file_key(self, stanzas: list[tuple[bytes, bytes]]) -> bytes | None:
        """The file key the first X25519 stanza for this identity wraps, as age unwraps it.

        Every stanza's body must be canonical base64, and a passphrase
        stanza must be alone (age refuses the file otherwise); the X25519
        stanzas are tried in order, and age stops at a malformed one.
        """
        file_key = None
        for line, lines in stanzas:
            body = unb64(lines.replace(b"\n", b""), None, "a stanza's body")
            arguments = line.split(b" ")
            if arguments[0] == b"scrypt":
                return None
            if file_key is not None or arguments[0] != b"X25519":
                continue
            if len(arguments) != 2 or len(body) != 32:
                return None
            share = unb64(arguments[1], 32, "the X25519 share")
            secret = self._agree(X25519PublicKey.from_public_bytes(share))
            if secret is None:
                return None
            wrap = ChaCha20Poly1305(hkdf(secret, share + self._public, _X25519_LABEL))
            try:
                file_key = wrap.decrypt(_ZERO_NONCE, body, None)
            except InvalidTag:
                continue  # wrapped for another identity
        return file_key

    def _agree(self, share: Any) -> bytes | None:
        """The shared secret; None when it is all zeros (a low-order share), which age refuses."""
        try:
            secret: bytes = self._key.exchange(share)
        except ValueError:
            return None
        return None if secret == bytes(32) else secret
