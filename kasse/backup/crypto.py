"""Encrypted backups: AES-256-GCM with a key made from a passphrase by scrypt.

A file is the magic header, the salt, the nonce and the ciphertext (which
ends in GCM's 16-byte tag). Header and salt are authenticated too, so any
changed byte - or a wrong passphrase - fails the tag check, and nothing is
returned.
"""

from __future__ import annotations

import os
from pathlib import Path

from kasse.errors import KasseError

MAGIC = b"KASSEENC1"
SALT_BYTES = 16
NONCE_BYTES = 12
KEY_BYTES = 32  # AES-256
# scrypt's interactive-use parameters: ~32 MiB and a tenth of a second, once per backup.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1

_HEADER_BYTES = len(MAGIC) + SALT_BYTES + NONCE_BYTES
_TAG_BYTES = 16


def is_encrypted(path: Path) -> bool:
    """Whether the file starts with kasse's encryption header."""
    with path.open("rb") as file:
        return file.read(len(MAGIC)) == MAGIC


def encrypted_size(plaintext_bytes: int) -> int:
    """The size of the file that encrypting this many bytes makes."""
    return _HEADER_BYTES + plaintext_bytes + _TAG_BYTES


def encrypt(plaintext: bytes, passphrase: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    _require(passphrase)
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    header = MAGIC + salt + nonce
    return header + AESGCM(_key(passphrase, salt)).encrypt(nonce, plaintext, header)


def decrypt(blob: bytes, passphrase: str) -> bytes:
    """The plaintext; a wrong passphrase or a changed byte raises KasseError."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    _require(passphrase)
    if not blob.startswith(MAGIC) or len(blob) < _HEADER_BYTES + _TAG_BYTES:
        raise KasseError("Filen er ikke en krypteret kasse-sikkerhedskopi")
    header = blob[:_HEADER_BYTES]
    salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
    nonce = header[len(MAGIC) + SALT_BYTES :]
    try:
        return AESGCM(_key(passphrase, salt)).decrypt(nonce, blob[_HEADER_BYTES:], header)
    except InvalidTag:
        raise KasseError(
            "Sikkerhedskopien kunne ikke dekrypteres: forkert adgangsudtryk, eller filen er ændret eller beskadiget"
        ) from None


def _key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=KEY_BYTES, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode("utf-8"))


def _require(passphrase: str) -> None:
    if not passphrase:
        raise KasseError("Adgangsudtrykket må ikke være tomt")
