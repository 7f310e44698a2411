"""Streaming authenticated encryption of backup archives.

AES-256-GCM over fixed-size chunks, in the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015):
each archive has its own key (derived from the passphrase with scrypt, or from a key file with HKDF, and a
random salt), each chunk's nonce is a random prefix, the chunk's index and a last-chunk flag, and the whole
header is the associated data of every chunk. An archive of any size is written and read in constant
memory, and a flipped, dropped, reordered, truncated or appended byte fails authentication.

    header  magic "MOTCUABK", version, kdf, log2(n), r, p (scrypt), log2(chunk), salt[16], prefix[7],
            key check[16]
    chunks  AES-GCM(key, prefix || index (4 bytes) || last (1 byte), plaintext, header): chunk + 16 bytes,
            the last one shorter (possibly empty) and flagged
"""

from __future__ import annotations

import hmac
import os
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"MOTCUABK"
VERSION = 1
KDF_SCRYPT, KDF_KEY_FILE = 1, 2
SCRYPT = (17, 8, 1)  # log2(n), r, p: 128 MiB and about half a second, once per archive
CHUNK_LOG2 = 20  # 1 MiB of plaintext per chunk
TAG = 16
HEADER = struct.Struct(">8sBBBBBB16s7s16s")
MIN_PASSPHRASE = 12
MIN_KEY_FILE = 32


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


class WrongKey(BackupError):
    pass


class Damaged(BackupError):
    pass


@dataclass(frozen=True)
class Secret:
    """What an archive is encrypted with: a passphrase or the contents of a key file."""

    kdf: int
    material: bytes
    label: str

    @classmethod
    def passphrase(cls, text: str) -> Secret:
        if len(text) < MIN_PASSPHRASE:
            raise BackupError(f"the backup passphrase must have at least {MIN_PASSPHRASE} characters")
        return cls(KDF_SCRYPT, unicodedata.normalize("NFC", text).encode(), "passphrase")

    @classmethod
    def key_file(cls, path: str | Path) -> Secret:
        try:
            material = Path(path).read_bytes().strip()
        except OSError as exc:
            raise BackupError(f"cannot read the backup key file {path}: {exc.strerror}") from exc
        if len(material) < MIN_KEY_FILE:
            raise BackupError(
                f"the backup key file {path} holds fewer than {MIN_KEY_FILE} bytes; "
                "make one with `motcua backup --new-key-file PATH`"
            )
        return cls(KDF_KEY_FILE, material, f"key file {path}")


def new_key_file(path: str | Path) -> Path:
    """Write 32 random bytes (hex) to a new file only its owner can read."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(os.urandom(32).hex() + "\n")
    return path


def _keys(secret: Secret, kdf: int, salt: bytes, log2n: int, r: int, p: int) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if kdf == KDF_SCRYPT:
        master = Scrypt(salt=salt, length=32, n=2**log2n, r=r, p=p).derive(secret.material)
    else:
        master = secret.material

    def expand(length: int, info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(master)

    return expand(32, b"motcua-backup v1 key"), expand(16, b"motcua-backup v1 key check")


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= 2**32:
        raise BackupError("archive too large for one key (2**32 chunks)")
    return prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object: what is written goes encrypted to `raw`; `close()` seals the last chunk
    (and leaves `raw` open)."""

    def __init__(self, raw, secret: Secret, *, chunk_log2: int = CHUNK_LOG2):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        log2n, r, p = SCRYPT if secret.kdf == KDF_SCRYPT else (0, 0, 0)
        salt, self.prefix = os.urandom(16), os.urandom(7)
        key, check = _keys(secret, secret.kdf, salt, log2n, r, p)
        self.header = HEADER.pack(
            MAGIC, VERSION, secret.kdf, log2n, r, p, chunk_log2, salt, self.prefix, check
        )
        self.raw, self.aead, self.chunk = raw, AESGCM(key), 1 << chunk_log2
        self.buffer, self.index, self.closed = bytearray(), 0, False
        raw.write(self.header)

    def write(self, data) -> int:
        self.buffer += data
        # A full chunk goes out only once more follows: the last chunk must carry the last-chunk flag.
        while len(self.buffer) > self.chunk:
            self._seal(bytes(self.buffer[: self.chunk]), last=False)
            del self.buffer[: self.chunk]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        self.raw.write(self.aead.encrypt(_nonce(self.prefix, self.index, last), plain, self.header))
        self.index += 1

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self.buffer), last=True)
            self.buffer, self.closed = bytearray(), True


def _read_exactly(raw, size: int) -> bytes:
    parts, missing = [], size
    while missing:
        part = raw.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


class DecryptingReader:
    """A read-only file object over an encrypted archive; raises WrongKey before reading any chunk with
    the wrong secret, and Damaged on the first chunk that fails authentication or when the stream ends
    without its flagged last chunk."""

    def __init__(self, raw, secret: Secret | None):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.header = _read_exactly(raw, HEADER.size)
        if len(self.header) < HEADER.size or not is_encrypted(self.header):
            raise Damaged("not a motcua backup archive (no header)")
        magic, version, kdf, log2n, r, p, chunk_log2, salt, self.prefix, check = HEADER.unpack(self.header)
        if version != VERSION:
            raise BackupError(f"archive format version {version} is not supported by this motcua")
        if kdf not in (KDF_SCRYPT, KDF_KEY_FILE) or not 10 <= chunk_log2 <= 26:
            raise Damaged("the archive header is damaged")
        if kdf == KDF_SCRYPT and not (10 <= log2n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
            raise Damaged("the archive header is damaged (scrypt parameters out of range)")
        wanted = "passphrase" if kdf == KDF_SCRYPT else "key file"
        if secret is None:
            raise WrongKey(
                f"the archive is encrypted with a {wanted}: set MOTCUA_BACKUP_"
                + ("PASSPHRASE" if kdf == KDF_SCRYPT else "KEY_FILE (or --key-file)")
            )
        if secret.kdf != kdf:
            given = "passphrase" if secret.kdf == KDF_SCRYPT else "key file"
            raise WrongKey(f"the archive is encrypted with a {wanted}, but a {given} was given")
        key, expected = _keys(secret, kdf, salt, log2n, r, p)
        if not hmac.compare_digest(check, expected):
            raise WrongKey(f"wrong {wanted} for this archive (or its header is damaged)")
        self.raw, self.aead, self.block = raw, AESGCM(key), (1 << chunk_log2) + TAG
        self.pending = _read_exactly(raw, self.block)
        self.index, self.done = 0, False
        self.plain, self.offset = b"", 0

    def _next_chunk(self) -> bool:
        from cryptography.exceptions import InvalidTag

        if self.done:
            return False
        block, following = self.pending, _read_exactly(self.raw, self.block)
        last = not following
        try:
            self.plain = self.aead.decrypt(_nonce(self.prefix, self.index, last), block, self.header)
        except InvalidTag:
            where = f"chunk {self.index} failed authentication" + (
                ", the last one: cut short?" if last else ""
            )
            raise Damaged(f"the archive is damaged or was altered ({where})") from None
        self.offset, self.pending, self.done = 0, following, last
        self.index += 1
        return True

    def read(self, size: int = -1) -> bytes:
        parts, wanted = [], size if size is not None and size >= 0 else None
        while wanted is None or wanted > 0:
            if self.offset >= len(self.plain) and not self._next_chunk():
                break
            end = len(self.plain) if wanted is None else min(len(self.plain), self.offset + wanted)
            parts.append(self.plain[self.offset : end])
            if wanted is not None:
                wanted -= end - self.offset
            self.offset = end
        return b"".join(parts)

    def close(self) -> None:
        pass
