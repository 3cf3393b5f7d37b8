"""The two command-line contracts, run as real processes with plain ``manage.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.inference.conftest import draw_text_card, encode

REPO_ROOT = Path(__file__).resolve().parents[2]


def _manage(
    *args: str, stdin: str | None = None, var_dir: Path
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "clipguard.settings"
    env["CLIPGUARD_VAR_DIR"] = str(var_dir)
    env.pop("DATABASE_URL", None)
    env.setdefault("OMP_NUM_THREADS", "1")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_redact_image_writes_output_and_prints_manifest(
    tmp_path: Path, astronaut_png: bytes
) -> None:
    source = tmp_path / "in.png"
    source.write_bytes(astronaut_png)
    target = tmp_path / "out.jpg"
    result = _manage("redact_image", str(source), str(target), var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)
    assert manifest["status"] == "ok"
    for key in ("reason", "faces", "text_regions", "entities", "actions"):
        assert key in manifest
    assert manifest["faces"]
    assert len(manifest["faces"][0]["box"]) == 4
    assert "score" in manifest["faces"][0]
    with Image.open(target) as written:
        assert written.format == "JPEG"
        assert written.size == (512, 512)
        assert len(written.getexif()) == 0


def test_redact_image_reports_text_regions_and_entity_counts(tmp_path: Path) -> None:
    source = tmp_path / "card.png"
    source.write_bytes(encode(draw_text_card(["Mail alice.jones@example.org"])))
    result = _manage("redact_image", str(source), str(tmp_path / "out.png"), var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)
    assert manifest["entities"].get("EMAIL_ADDRESS") == 1
    assert all(len(region["box"]) == 4 for region in manifest["text_regions"])
    assert "alice.jones" not in result.stdout


def test_redact_image_quarantine_exits_non_zero_and_writes_nothing(
    tmp_path: Path, astronaut_png: bytes
) -> None:
    source = tmp_path / "truncated.jpg"
    source.write_bytes(astronaut_png[:3000])
    target = tmp_path / "out.png"
    result = _manage("redact_image", str(source), str(target), var_dir=tmp_path)
    assert result.returncode != 0
    assert json.loads(result.stdout)["status"] == "quarantined"
    assert not target.exists()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content", [None, b"just some text\n"])
def test_redact_image_unreadable_input_is_a_clear_error(
    tmp_path: Path, content: bytes | None
) -> None:
    source = tmp_path / "input.png"
    if content is not None:
        source.write_bytes(content)
    result = _manage("redact_image", str(source), str(tmp_path / "out.png"), var_dir=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert ("cannot read" in result.stderr) or ("not a supported image" in result.stdout)
    assert not (tmp_path / "out.png").exists()


def test_redact_text_contract(tmp_path: Path) -> None:
    text = "Write to John Smith at john.smith@example.com or call 555-123-4567."
    result = _manage("redact_text", stdin=text, var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["text"] == "Write to <PERSON> at <EMAIL_ADDRESS> or call <PHONE_NUMBER>."
    assert [e["type"] for e in payload["entities"]] == ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"]
    assert set(payload["entities"][0]) == {"type", "start", "end", "score"}
    first = payload["entities"][0]
    assert text[first["start"] : first["end"]] == "John Smith"


def test_redact_image_when_unsure_can_obscure_the_whole_image(tmp_path: Path) -> None:
    source = tmp_path / "tiny.png"
    source.write_bytes(encode(Image.new("RGB", (16, 16), (10, 200, 30))))
    target = tmp_path / "out.png"
    refused = _manage("redact_image", str(source), str(target), var_dir=tmp_path)
    assert refused.returncode != 0
    assert "working range" in json.loads(refused.stdout)["reason"]
    assert not target.exists()
    obscured = _manage(
        "redact_image",
        str(source),
        str(target),
        "--when-unsure",
        "obscure_image",
        var_dir=tmp_path,
    )
    assert obscured.returncode == 0, obscured.stderr
    assert "whole image obscured" in json.loads(obscured.stdout)["reason"]
    assert len(set(Image.open(target).convert("RGB").getdata())) == 1
