"""The checkpoint signing key: created outside production, refused inside, PEM or raw."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.signing import (
    SigningKeyError,
    ensure_signing_key,
    key_id,
    load_private_key,
    sign,
    signature_valid,
)


@pytest.fixture
def key_file(settings, tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "audit.key"
    settings.AUDIT_SIGNING_KEY_FILE = path
    return path


def test_a_missing_key_is_created_once_with_mode_0600(key_file: Path):
    key = ensure_signing_key()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_id(ensure_signing_key().public_key()) == key_id(key.public_key())


def test_production_refuses_to_create_a_key(key_file: Path, settings):
    settings.PRODUCTION = True
    with pytest.raises(SigningKeyError, match="provisioned"):
        ensure_signing_key()
    assert not key_file.exists()


def test_raw_32_byte_keys_are_accepted(key_file: Path):
    key = Ed25519PrivateKey.generate()
    key_file.parent.mkdir()
    key_file.write_bytes(key.private_bytes_raw())
    loaded = load_private_key(key_file)
    assert key_id(loaded.public_key()) == key_id(key.public_key())
    assert signature_valid(key.public_key(), b"statement", sign(loaded, b"statement"))
    assert not signature_valid(key.public_key(), b"other statement", sign(loaded, b"statement"))


def test_a_key_of_another_kind_is_refused(key_file: Path):
    from cryptography.hazmat.primitives.asymmetric import ec

    key_file.parent.mkdir()
    key_file.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(SigningKeyError, match="not an Ed25519 key"):
        load_private_key(key_file)
