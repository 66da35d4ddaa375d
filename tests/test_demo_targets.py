"""``rivalscope demo`` never overwrites a targets file someone edited: it writes the
demo's beside it and says so; its own unedited file is simply refreshed."""

from __future__ import annotations

from pathlib import Path

import pytest

from rivalscope.commands.demo import _write_demo_targets
from rivalscope.demo.shops import generate_shops
from rivalscope.demo.targets import targets_toml
from settings.user_errors import UserError

SHOPS = generate_shops(products=2, reviews_per_product=2)


def test_a_new_file_is_written_in_place(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    assert _write_demo_targets(path, "http://127.0.0.1:8765", SHOPS) == path
    assert path.read_text("utf-8") == targets_toml("http://127.0.0.1:8765", SHOPS)


def test_the_demos_unedited_file_follows_the_new_port(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    _write_demo_targets(path, "http://127.0.0.1:8765", SHOPS)
    assert _write_demo_targets(path, "http://127.0.0.1:9000", SHOPS) == path
    assert "127.0.0.1:9000" in path.read_text("utf-8")
    assert not (tmp_path / "targets.demo.toml").exists()


def test_an_edited_file_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "targets.toml"
    _write_demo_targets(path, "http://127.0.0.1:8765", SHOPS)
    edited = path.read_text("utf-8").replace("max_pages", "# tuned\nmax_pages", 1) + "\n# mine\n"
    path.write_text(edited, encoding="utf-8")
    written = _write_demo_targets(path, "http://127.0.0.1:8765", SHOPS)
    assert written == tmp_path / "targets.demo.toml"
    assert path.read_text("utf-8") == edited
    assert "127.0.0.1:8765" in written.read_text("utf-8")
    out = " ".join(capsys.readouterr().out.split())
    assert "left as it is" in out and "targets.demo.toml" in out


def test_an_unrelated_file_is_left_alone_too(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text("[[company]]\nname = 'Mine'\n", encoding="utf-8")
    assert _write_demo_targets(path, "http://127.0.0.1:8765", SHOPS).name == "targets.demo.toml"
    assert path.read_text("utf-8") == "[[company]]\nname = 'Mine'\n"
    (tmp_path / "targets.demo.toml").write_text("# someone's\n", encoding="utf-8")
    with pytest.raises(UserError, match="not written by the demo"):
        _write_demo_targets(path, "http://127.0.0.1:8765", SHOPS)
