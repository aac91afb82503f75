"""batch.code_fingerprint hashes the fonts the build reads (build.font_dir), so a changed font
makes every issue out of date — also for an installed package, whose fonts are not the
checkout's fonts/ folder."""

from __future__ import annotations

from paperlayout import batch, build, styles


def test_fingerprint_follows_the_fonts_the_build_reads(tmp_path, monkeypatch):
    installed = tmp_path / "site-packages-fonts"
    installed.mkdir()
    (installed / "Serif.otf").write_bytes(b"version 1")
    monkeypatch.delenv("PAPERLAYOUT_FONTS", raising=False)
    monkeypatch.setattr(styles, "default_fonts_dir", lambda: tmp_path / "no-checkout-fonts")
    monkeypatch.setattr(build, "font_dir", lambda fonts_dir=None: fonts_dir or installed)
    before = batch.code_fingerprint()
    (installed / "Serif.otf").write_bytes(b"version 2")
    assert batch.code_fingerprint() != before


def test_fingerprint_of_an_explicit_fonts_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PAPERLAYOUT_FONTS", raising=False)
    (tmp_path / "a.ttf").write_bytes(b"1")
    first = batch.code_fingerprint(tmp_path)
    assert batch.code_fingerprint(tmp_path) == first
    (tmp_path / "a.ttf").write_bytes(b"2")
    assert batch.code_fingerprint(tmp_path) != first
