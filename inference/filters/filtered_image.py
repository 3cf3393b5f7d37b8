"""FilteredImage: the only image type the model runtime accepts.

One is made only by the filter pipeline (which holds the private construction token) or
by :meth:`FilteredImage.load_verified`, which re-reads a stored filtered image and checks
its hash, its manifest's hash and the manifest's status. Building one from arbitrary pixels
raises :class:`UnfilteredImageError`.
"""

from __future__ import annotations

import copy
import hashlib
import io
from pathlib import Path
from typing import Any

from PIL import Image

from inference.filters.manifest import manifest_sha256

_CONSTRUCTION_TOKEN = object()
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class UnfilteredImageError(Exception):
    """Raised when something that has not passed the privacy filters is used as if it had."""


class FilteredImage:
    """An image that passed every privacy filter: RGB, upright, no metadata, faces obscured.

    ``png_bytes`` is the stored form, ``sha256`` its hash; ``manifest`` says what the
    filters did and ``manifest_sha256`` is the hash of its canonical JSON. ``image``
    returns a fresh copy each time, so callers cannot alter the verified pixels.
    """

    __slots__ = ("_image", "_manifest", "_manifest_sha256", "_png_bytes", "_sha256")

    def __init__(self, *, png_bytes: bytes, manifest: dict[str, Any], _token: object = None):
        if _token is not _CONSTRUCTION_TOKEN:
            raise UnfilteredImageError(
                "a FilteredImage is made only by the privacy filter pipeline or "
                "FilteredImage.load_verified, never from raw pixels"
            )
        sha256 = hashlib.sha256(png_bytes).hexdigest()
        _check_manifest(manifest, sha256)
        self._png_bytes = bytes(png_bytes)
        self._sha256 = sha256
        self._manifest = copy.deepcopy(manifest)
        self._manifest_sha256 = manifest_sha256(manifest)
        self._image = _decode_png(self._png_bytes)

    @classmethod
    def _from_pipeline(cls, png_bytes: bytes, manifest: dict[str, Any]) -> FilteredImage:
        """Used by the pipeline only, after every filter has run."""
        return cls(png_bytes=png_bytes, manifest=manifest, _token=_CONSTRUCTION_TOKEN)

    @classmethod
    def load_verified(
        cls,
        path: str | Path,
        *,
        expected_sha256: str,
        manifest: dict[str, Any],
        expected_manifest_sha256: str,
    ) -> FilteredImage:
        """Re-read a stored filtered image; UnfilteredImageError unless everything checks out.

        Checks: the file's SHA-256 equals ``expected_sha256`` and the manifest's output
        hash; the manifest's hash equals ``expected_manifest_sha256``; its status is ``ok``.
        """
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise UnfilteredImageError(f"the filtered image cannot be read: {exc}") from exc
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected_sha256:
            raise UnfilteredImageError(
                "the stored filtered image does not match its recorded hash (tampered?)"
            )
        if manifest_sha256(manifest) != expected_manifest_sha256:
            raise UnfilteredImageError("the filter manifest does not match its recorded hash")
        return cls(png_bytes=data, manifest=manifest, _token=_CONSTRUCTION_TOKEN)

    @property
    def image(self) -> Image.Image:
        """A copy of the filtered pixels (RGB, no metadata)."""
        return self._image.copy()

    @property
    def png_bytes(self) -> bytes:
        """The stored PNG encoding of the filtered image."""
        return self._png_bytes

    @property
    def sha256(self) -> str:
        """SHA-256 (hex) of :attr:`png_bytes`."""
        return self._sha256

    @property
    def manifest(self) -> dict[str, Any]:
        """A copy of the filter manifest."""
        return copy.deepcopy(self._manifest)

    @property
    def manifest_sha256(self) -> str:
        """SHA-256 (hex) of the manifest's canonical JSON."""
        return self._manifest_sha256

    def __repr__(self) -> str:
        return (
            f"<FilteredImage {self._image.width}x{self._image.height} sha256={self._sha256[:12]}>"
        )

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, "_image"):
            raise AttributeError("FilteredImage is immutable")
        object.__setattr__(self, name, value)


def _check_manifest(manifest: dict[str, Any], sha256: str) -> None:
    if not isinstance(manifest, dict) or manifest.get("status") != "ok":
        raise UnfilteredImageError("the filter manifest does not say the image passed the filters")
    if manifest.get("output_sha256") != sha256:
        raise UnfilteredImageError("the filter manifest belongs to a different image")


def _decode_png(data: bytes) -> Image.Image:
    if not data.startswith(_PNG_MAGIC):
        raise UnfilteredImageError("a filtered image is stored as PNG; this is not PNG")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.mode != "RGB":
                raise UnfilteredImageError(f"a filtered image is RGB, not {image.mode}")
            return Image.frombytes("RGB", image.size, image.tobytes())
    except UnfilteredImageError:
        raise
    except Exception as exc:
        raise UnfilteredImageError(f"the filtered image cannot be decoded: {exc}") from exc


def encode_png(image: Image.Image) -> bytes:
    """Deterministic PNG bytes of an RGB image, with no metadata chunks."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()
