"""Where image bytes live: the quarantine folder (uploads before filtering; never served)
and the media folder (filtered copies only). Paths stored in the database are relative."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings


def _resolve(root: Path, relative: str) -> Path:
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError(f"path escapes its storage root: {relative!r}")
    return path


def write_atomically(root: Path, relative: str, data: bytes) -> Path:
    """Write ``data`` under ``root`` so readers never see a half-written file."""
    path = _resolve(root, relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def quarantine_path(relative: str) -> Path:
    return _resolve(Path(settings.QUARANTINE_ROOT), relative)


def media_path(relative: str) -> Path:
    return _resolve(Path(settings.MEDIA_ROOT), relative)


def store_quarantined(relative: str, data: bytes) -> Path:
    return write_atomically(Path(settings.QUARANTINE_ROOT), relative, data)


def store_filtered(relative: str, data: bytes) -> Path:
    return write_atomically(Path(settings.MEDIA_ROOT), relative, data)


def delete_quietly(path: Path) -> bool:
    """Remove a file if it is there; True when something was removed."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
