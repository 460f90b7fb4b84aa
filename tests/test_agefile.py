"""age files opened without pyrage (reflect.journal.agefile): exactly what age and pyrage read.

The opener must give the bytes age gives for every file age reads, and None
(so that pyrage decides, and says why) for every file age refuses: each
case here is written byte by byte and handed to the `age` tool too.
"""

import binascii
import hmac
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect.journal import agefile, crypt

AGE = shutil.which("age")
BASE64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


@pytest.fixture(scope="module")
def age_tool() -> str:
    assert AGE, "the age tool is needed: apt-get install age"
    return AGE


@dataclass(frozen=True)
class Key:
    secret: str
    recipient: str

    @property
    def opener(self) -> agefile.X25519Opener:
        return agefile.X25519Opener(self.secret, self.recipient)


def new_key() -> Key:
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    return Key(str(identity), str(identity.to_public()))


KEY = new_key()
OTHER = new_key()


def pyrage_open(blob: bytes, key: Key = KEY) -> bytes | None:
    import pyrage

    try:
        return bytes(pyrage.decrypt(blob, [pyrage.x25519.Identity.from_str(key.secret)]))
    except pyrage.DecryptError:
        return None


def pyrage_seal(data: bytes, *keys: Key) -> bytes:
    import pyrage

    recipients = [pyrage.x25519.Recipient.from_str(key.recipient) for key in keys or (KEY,)]
    return bytes(pyrage.encrypt(data, recipients))


def age_open(age: str, blob: bytes, tmp_path: Path, key: Key = KEY) -> bytes | None:
    """What `age -d` gives for the file, None when it refuses it."""
    identity = tmp_path / "age-identity.txt"
    identity.write_text(f"{key.secret}\n", encoding="utf-8")
    read = subprocess.run(
        [age, "-d", "-i", str(identity)], input=blob, capture_output=True, check=False
    )
    return read.stdout if read.returncode == 0 else None


def public_of(key: Key) -> bytes:
    return agefile.bech32_bytes("age", key.recipient)


@dataclass
class Written:
    """An age file built here piece by piece, so that a test can bend any one piece."""

    plaintext: bytes
    recipients: list[Key] = field(default_factory=lambda: [KEY])
    file_key: bytes = field(default_factory=lambda: os.urandom(16))
    extra: list[bytes] = field(default_factory=list)  # whole stanzas, after the X25519 ones
    share_text: "bytes | None" = None  # the first X25519 stanza's share, written so
    bend_share: bool = False  # the first share with an unused bit of its last character set
    arguments_after: bytes = b""  # more on the first X25519 arrow line
    chunks: "list[bytes] | None" = None  # the payload's chunks, the last flagged as last

    def stanza(self, key: Key) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.x25519 import (
            X25519PrivateKey,
            X25519PublicKey,
        )
        from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

        ephemeral = X25519PrivateKey.generate()
        share = ephemeral.public_key().public_bytes_raw()
        secret = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_of(key)))
        wrap = agefile.hkdf(secret, share + public_of(key), b"age-encryption.org/v1/X25519")
        body = ChaCha20Poly1305(wrap).encrypt(bytes(12), self.file_key, None)
        first = key is self.recipients[0]
        share_text = self.share_text if first and self.share_text else agefile.b64(share).encode()
        if first and self.bend_share:
            # The same 32 bytes: the last character's two low bits are not part of them.
            last = BASE64.index(share_text[-1:])
            share_text = share_text[:-1] + BASE64[last ^ 1 : (last ^ 1) + 1]
        arrow = b"-> X25519 " + share_text + (self.arguments_after if first else b"")
        return arrow + b"\n" + body_lines(body)

    def blob(self) -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

        header = agefile.VERSION_LINE
        header += b"".join(self.stanza(key) for key in self.recipients) + b"".join(self.extra)
        header += b"---"
        mac = agefile.hmac_sha256(agefile.hkdf(self.file_key, b"", b"header"), header)
        start = os.urandom(16)
        aead = ChaCha20Poly1305(agefile.hkdf(self.file_key, start, b"payload"))
        data = self.plaintext
        chunks = self.chunks
        if chunks is None:
            size = agefile.CHUNK
            chunks = [data[i : i + size] for i in range(0, len(data), size)] or [b""]
        sealed = b"".join(
            aead.encrypt(agefile.nonce(i, i == len(chunks) - 1), chunk, None)
            for i, chunk in enumerate(chunks)
        )
        return header + b" " + agefile.b64(mac).encode() + b"\n" + start + sealed


def body_lines(body: bytes) -> bytes:
    text = agefile.b64(body).encode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    if not lines or len(lines[-1]) == 64:
        lines.append(b"")
    return b"".join(line + b"\n" for line in lines)


def test_hmac_and_hkdf_are_the_standard_ones() -> None:
    for key in (b"", b"k", bytes(range(32)), bytes(64)):
        for message in (b"", b"header", os.urandom(1000)):
            assert agefile.hmac_sha256(key, message) == hmac.digest(key, message, "sha256")
    # RFC 5869, test case 1 (the first 32 bytes of its OKM).
    ikm = bytes.fromhex("0b" * 22)
    salt = bytes.fromhex("000102030405060708090a0b0c")
    info = bytes.fromhex("f0f1f2f3f4f5f6f7f8f9")
    assert agefile.hkdf(ikm, salt, info).hex() == (
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
    )


def test_a_key_pair_is_read_from_its_bech32_text_and_a_bent_one_refused() -> None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    raw = agefile.bech32_bytes("age-secret-key-", KEY.secret)
    assert len(raw) == 32
    public = X25519PrivateKey.from_private_bytes(raw).public_key().public_bytes_raw()
    assert public == public_of(KEY)
    assert agefile.bech32_bytes("age", KEY.recipient.upper()) == public
    last = KEY.recipient[-1]
    bent = KEY.recipient[:-1] + ("q" if last != "q" else "p")
    for text in (bent, KEY.recipient.replace("age1", "agf1"), KEY.recipient[:5] + "B" + "x"):
        with pytest.raises(agefile.Unreadable):
            agefile.bech32_bytes("age", text)
    with pytest.raises(agefile.Unreadable):
        agefile.X25519Opener(KEY.secret, OTHER.recipient)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.integers(0, 3).map(lambda n: (bytes(range(256)) * 800)[: agefile.CHUNK * n + n]),
        st.sampled_from([b"", bytes(agefile.CHUNK), bytes(agefile.CHUNK * 2)]),
    ),
    others=st.integers(0, 2),
)
def test_whatever_pyrage_writes_opens_to_what_pyrage_reads(data: bytes, others: int) -> None:
    keys = [new_key() for _ in range(others)]
    blob = pyrage_seal(data, *keys, KEY)
    assert KEY.opener.open(blob) == data
    assert pyrage_open(blob) == data


MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10_000), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.integers(0, 10_000), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.integers(0, 255)),
    st.tuples(st.just("delete"), st.integers(0, 10_000), st.just(0)),
)


def mutate(blob: bytes, how: tuple[str, int, int]) -> bytes:
    kind, at, value = how
    # Most mutations land in the header, where the parsing is.
    at = at % (len(blob) + 1) if at > 400 else min(at, len(blob))
    if kind == "flip" and at < len(blob):
        return blob[:at] + bytes([blob[at] ^ value]) + blob[at + 1 :]
    if kind == "cut":
        return blob[:at]
    if kind == "insert":
        return blob[:at] + bytes([value]) + blob[at:]
    return blob[:at] + blob[at + 1 :]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.binary(max_size=600), how=MUTATIONS, second=st.one_of(st.none(), MUTATIONS))
def test_a_bent_file_is_opened_only_when_pyrage_opens_it_the_same(
    data: bytes, how: tuple[str, int, int], second: tuple[str, int, int] | None
) -> None:
    blob = mutate(pyrage_seal(data), how)
    if second is not None:
        blob = mutate(blob, second)
    opened = KEY.opener.open(blob)
    if opened is not None:
        assert pyrage_open(blob) == opened


# Two and three chunks, the last full, short, or one byte long.
LONG = [agefile.CHUNK * 2, agefile.CHUNK + 1, agefile.CHUNK * 2 + 700]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    size=st.sampled_from(LONG),
    kind=st.sampled_from(["flip", "cut", "insert", "delete"]),
    back=st.integers(1, 3 * (agefile.CHUNK + agefile.TAG)),
    value=st.integers(1, 255),
)
def test_a_bent_file_of_several_chunks_is_opened_only_when_pyrage_opens_it_the_same(
    size: int, kind: str, back: int, value: int
) -> None:
    """The chunks are decrypted into one buffer: a payload cut or bent anywhere (inside a
    tag, at a chunk's edge) is refused as pyrage refuses it, never read short."""
    data = (bytes(range(256)) * (size // 256 + 1))[:size]
    blob = pyrage_seal(data)
    at = max(0, len(blob) - back)
    bent = mutate(blob, (kind, at, value))
    opened = KEY.opener.open(bent)
    if bent == blob:
        assert opened == data
    elif opened is not None:
        assert pyrage_open(bent) == opened


def cases() -> dict[str, Written]:
    """Files age reads, and files it refuses, each bent in one place."""
    forty_eight = b"-> grease-stanza a\n" + body_lines(bytes(48))
    scrypt = b"-> scrypt " + agefile.b64(bytes(16)).encode() + b" 10\n" + body_lines(bytes(32))
    return {
        "plain": Written(b"a day\n"),
        "empty": Written(b""),
        "one full chunk": Written(os.urandom(agefile.CHUNK)),
        "two chunks": Written(os.urandom(agefile.CHUNK + 5)),
        "another key's stanza first": Written(b"day\n", recipients=[OTHER, KEY]),
        "an unknown stanza after": Written(b"day\n", extra=[b"-> x-y !@#$ z\n" + body_lines(b"")]),
        "a body of 64 columns and an empty line": Written(b"day\n", extra=[forty_eight]),
        "a body of 64 columns with no line after": Written(
            b"day\n", extra=[b"-> grease-stanza a\n" + agefile.b64(bytes(48)).encode() + b"\n"]
        ),
        "a passphrase stanza beside it": Written(b"day\n", extra=[scrypt]),
        "a share in non-canonical base64": Written(b"day\n", bend_share=True),
        "an X25519 stanza with two arguments": Written(b"day\n", arguments_after=b" more"),
        "a space closing the arrow line": Written(b"day\n", arguments_after=b" "),
        "an empty last chunk after a full one": Written(b"", chunks=[bytes(agefile.CHUNK), b""]),
        "a low-order share": Written(b"day\n", share_text=agefile.b64(bytes(32)).encode()),
    }


def test_the_opener_agrees_with_the_age_tool_on_every_case(age_tool: str, tmp_path: Path) -> None:
    verdicts = {}
    for name, written in cases().items():
        blob = written.blob()
        by_age = age_open(age_tool, blob, tmp_path)
        opened = KEY.opener.open(blob)
        # What reflect reads: the opener's bytes, or else pyrage's verdict.
        try:
            read: bytes | None = crypt.JournalKey(KEY.secret, KEY.recipient).open(blob, name)
        except crypt.ReflectError:
            read = None
        verdicts[name] = (by_age is not None, opened is not None, read is not None)
        for text in (by_age, opened, read):
            assert text is None or text == written.plaintext, name
    # (age reads it, the opener reads it, reflect reads it)
    assert verdicts == {
        "plain": (True, True, True),
        "empty": (True, True, True),
        "one full chunk": (True, True, True),
        "two chunks": (True, True, True),
        "another key's stanza first": (True, True, True),
        "an unknown stanza after": (True, True, True),
        "a body of 64 columns and an empty line": (True, True, True),
        # pyrage reads this one, which age refuses; reflect refuses it too.
        "a body of 64 columns with no line after": (False, False, False),
        # age reads this one with an X25519 identity; pyrage refuses it, as c2sp.org/age has
        # it (a passphrase stanza must be alone), and so reflect did before the opener.
        "a passphrase stanza beside it": (True, False, False),
        "a share in non-canonical base64": (False, False, False),
        "an X25519 stanza with two arguments": (False, False, False),
        "a space closing the arrow line": (False, False, False),
        "an empty last chunk after a full one": (False, False, False),
        "a low-order share": (False, False, False),
    }


def armored(blob: bytes) -> bytes:
    """The file as `age -a` writes it: base64 in lines of 64 columns between two marks."""
    text = binascii.b2a_base64(blob, newline=False)
    lines = b"".join(text[i : i + 64] + b"\n" for i in range(0, len(text), 64))
    return b"-----BEGIN AGE ENCRYPTED FILE-----\n" + lines + b"-----END AGE ENCRYPTED FILE-----\n"


def test_an_armored_file_is_read_as_age_reads_it(age_tool: str, tmp_path: Path) -> None:
    key = crypt.JournalKey(KEY.secret, KEY.recipient)
    for name, readable in (("plain", True), ("a body of 64 columns with no line after", False)):
        written = cases()[name]
        blob = armored(written.blob())
        assert age_open(age_tool, blob, tmp_path) == (written.plaintext if readable else None)
        if readable:
            assert key.open(blob, name) == written.plaintext
        else:
            with pytest.raises(crypt.ReflectError, match="cannot be decrypted"):
                key.open(blob, name)


def test_files_the_age_tool_writes_open_as_age_reads_them(age_tool: str, tmp_path: Path) -> None:
    for data in (b"", b"one line\n", os.urandom(agefile.CHUNK + 100)):
        written = subprocess.run(
            [age_tool, "-r", KEY.recipient, "-r", OTHER.recipient],
            input=data,
            capture_output=True,
            check=True,
        ).stdout
        assert KEY.opener.open(written) == data
        assert OTHER.opener.open(written) == data
        assert new_key().opener.open(written) is None


def test_a_journal_key_opens_its_files_without_pyrage_and_falls_back_to_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pyrage

    key = crypt.JournalKey(KEY.secret, KEY.recipient)
    blob = key.seal(b"a day\n")
    calls: list[int] = []
    real = pyrage.decrypt

    def counted(data: bytes, identities: list[object]) -> bytes:
        calls.append(len(data))
        return bytes(real(data, identities))

    monkeypatch.setattr(pyrage, "decrypt", counted)
    assert key.open(blob, "day.md.age") == b"a day\n"
    assert calls == []
    # A damaged file is left to pyrage, which says why it cannot be read.
    with pytest.raises(crypt.ReflectError, match=r"day\.md\.age: cannot be decrypted"):
        key.open(blob[:-1], "day.md.age")
    assert calls == [len(blob) - 1]
