"""The on-disk cache (paperlayout.cache, render/fontcache.py, render/photocache.py): a build
gives the same PDF bytes with the cache cold, warm and bypassed (--no-cache), and each cache
entry is what the uncached code computes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from paperlayout import cache

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "dalate"
FONT = ROOT / "fonts" / "NotoSerifSC-Regular.ttf"


def _build(issue: Path, out: Path, cache_dir: Path, *extra: str) -> bytes:
    env = dict(os.environ, PAPERLAYOUT_CACHE=str(cache_dir), PYTHONPATH=str(ROOT / "src"))
    subprocess.run([sys.executable, "-m", "paperlayout", "build", str(issue), "-o", str(out), "--no-preflight", *extra],
                   check=True, env=env, capture_output=True)
    return out.read_bytes()


def _entries(cache_dir: Path, namespace: str) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (cache_dir / namespace).glob("*/*") if not p.name.startswith(".")}


def _mono_copy(tmp_path: Path) -> Path:
    """The sample with page 1 printed in black only (gray plates for its photos)."""
    folder = tmp_path / "mono"
    folder.mkdir()
    (folder / "photos").symlink_to(SAMPLE / "photos")
    text = (SAMPLE / "issue.yaml").read_text(encoding="utf-8")
    marker = "  - number: 1\n    section: 要闻\n"
    assert marker in text
    (folder / "issue.yaml").write_text(text.replace(marker, marker + "    colour: false\n"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("variant", ["colour", "mono"])
def test_build_bytes_are_the_same_with_cache_cold_warm_and_bypassed(tmp_path, variant):
    issue = SAMPLE if variant == "colour" else _mono_copy(tmp_path)
    store = tmp_path / "cache"
    bypassed = _build(issue, tmp_path / "off.pdf", store, "--no-cache")
    assert not store.exists()  # --no-cache writes nothing
    cold = _build(issue, tmp_path / "cold.pdf", store)
    written = {ns: _entries(store, ns) for ns in ("fonts", "photos", "jpeg")}
    assert len(written["fonts"]) == 6  # the six faces of the broadsheet style
    assert len(written["photos"]) == 5 and len(written["jpeg"]) == 5  # the sample's five photos
    warm = _build(issue, tmp_path / "warm.pdf", store)
    assert {ns: _entries(store, ns) for ns in written} == written  # all hits: nothing rewritten
    assert cold == bypassed
    assert warm == bypassed


def test_cached_reportlab_font_has_the_parsed_tables(tmp_path):
    from reportlab.pdfbase.ttfonts import TTFont

    from paperlayout.render.fontcache import CachedFace, tt_font

    store = cache.Store(tmp_path)
    parsed = TTFont("a", str(FONT))
    first = tt_font("a", FONT, store)  # a miss: parsed, and stored
    again = tt_font("b", FONT, store)  # a hit
    assert not isinstance(first.face, CachedFace) and isinstance(again.face, CachedFace)
    assert again.fontName == "b"
    face, cached = parsed.face, again.face
    for name in ("name", "unitsPerEm", "ascent", "descent", "capHeight", "bbox", "flags", "italicAngle",
                 "stemV", "defaultWidth", "numGlyphs", "charToGlyph", "charWidths", "hmetrics", "glyphPos"):
        assert getattr(cached, name) == getattr(face, name), name
    assert cached._pdfScale(1234) == face._pdfScale(1234)
    subset = [ord(c) for c in "达拉特旗，。"]
    assert cached.makeSubset(subset) == face.makeSubset(subset)


def test_unreadable_font_entry_is_a_miss_and_is_replaced(tmp_path):
    from paperlayout.render import fontcache

    store = cache.Store(tmp_path)
    k = fontcache.font_key(FONT, store)
    store.put("fonts", k, b"not a record")
    font = fontcache.tt_font("a", FONT, store)
    assert font.face.charToGlyph[ord("达")] > 0
    assert store.get("fonts", k) != b"not a record"


def test_file_digest_follows_content_changes(tmp_path):
    store = cache.Store(tmp_path / "c")
    path = tmp_path / "f.bin"
    path.write_bytes(b"one")
    first = cache.file_digest(path, store)
    path.write_bytes(b"other")
    os.utime(path, ns=(1, 1))  # a new size and mtime: the memo does not apply
    assert cache.file_digest(path, store) != first
    assert cache.file_digest(path, store) == cache.file_digest(path)  # same with or without the store


def test_cache_off_by_environment_or_flag(monkeypatch, tmp_path):
    monkeypatch.setenv("PAPERLAYOUT_CACHE", "off")
    assert cache.default_store() is None
    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path))
    assert cache.default_store().root == tmp_path
    cache.configure(enabled=False)
    try:
        assert cache.default_store() is None
    finally:
        cache.configure(enabled=True)


def test_cached_photo_plate_is_the_converted_one(tmp_path, caplog):
    from paperlayout.render.images import prepare_photo
    from paperlayout.render.photocache import prepare

    photo = sorted((SAMPLE / "photos").glob("*.jpg"))[0]
    store = cache.Store(tmp_path)
    for mode in ("cmyk", "gray"):
        fresh = prepare_photo(photo, 200.0, 120.0, mode=mode, target_ppi=200.0, ink_limit=240.0)
        miss = prepare(photo, 200.0, 120.0, mode=mode, output_profile=None, target_ppi=200.0, ink_limit=240.0, store=store)
        hit = prepare(photo, 200.0, 120.0, mode=mode, output_profile=None, target_ppi=200.0, ink_limit=240.0, store=store)
        for p in (miss, hit):
            assert (p.image.mode, p.image.size) == (fresh.image.mode, fresh.image.size)
            assert p.image.tobytes() == fresh.image.tobytes()
            assert (p.ppi, p.source_ppi, p.max_ink, p.warnings, p.crop_px) == \
                (fresh.ppi, fresh.source_ppi, fresh.max_ink, fresh.warnings, fresh.crop_px)
    assert len(list((tmp_path / "photos").glob("*/*"))) == 2  # one plate per mode


def test_plates_convert_a_page_ahead_and_forget_what_was_drawn():
    """render/photocache.Plates: each item gets its conversion's result; a conversion shared
    by pages in flight together (1 and 2) is made once; one shared by pages 1 and 3 (never in
    flight together, one page ahead) is made again — the first plate was dropped once drawn."""
    import threading
    from collections import Counter

    from paperlayout.render.photocache import Plates

    calls: Counter = Counter()
    lock = threading.Lock()

    def work(conv):
        with lock:
            calls[conv] += 1
        return f"plate {conv}"

    jobs = [(1, "a", "X"), (1, "b", "Y"), (2, "c", "Y"), (2, "d", "Z"), (3, "e", "X")]
    plates = Plates(jobs, work, ahead=1)
    got = {(n, item): plates[(n, item)] for n, item, _ in jobs}
    assert got == {(1, "a"): "plate X", (1, "b"): "plate Y", (2, "c"): "plate Y", (2, "d"): "plate Z",
                   (3, "e"): "plate X"}
    assert calls == Counter({"X": 2, "Y": 1, "Z": 1})
    assert plates[(2, "c")] == "plate Y" and calls["Y"] == 2  # asked again after it was dropped


def test_font_subset_is_made_once_then_recalled(tmp_path):
    """A cached face's subset (namespace "subsets") is reportlab's own, made on the first
    call and read back on the next — keyed by the characters and their order."""
    from reportlab.pdfbase.ttfonts import TTFont

    from paperlayout.render.fontcache import tt_font

    store = cache.Store(tmp_path)
    tt_font("a", FONT, store)  # parse and store the record
    face = tt_font("b", FONT, store).face
    subset = [ord(c) for c in "达拉特旗，。"]
    made = TTFont("p", str(FONT)).face.makeSubset(subset)
    assert face.makeSubset(subset) == made
    (entry,) = list((tmp_path / "subsets").glob("*/*"))
    assert entry.read_bytes() == made
    entry.write_bytes(b"planted")
    assert tt_font("c", FONT, store).face.makeSubset(subset) == b"planted"  # recalled, not remade
    reordered = list(reversed(subset))
    assert tt_font("d", FONT, store).face.makeSubset(reordered) == TTFont("q", str(FONT)).face.makeSubset(reordered)


def test_a_stored_glyph_is_rebuilt_by_the_composers_own_constructor():
    """A stored page is mostly glyphs: the unpickler hands `_glyph` records straight to
    make_glyph (no import and no extra call per glyph), and the glyphs come back equal."""
    from paperlayout.text.model import Glyph, Line, make_glyph

    unpickler = cache._Unpickler(__import__("io").BytesIO(b""))
    assert unpickler.find_class("paperlayout.cache", "_glyph") is make_glyph
    line = Line((make_glyph("中", "serif", 0.0, 9.0, 0.0, 1.0, None), Glyph("", "serif", 9.0, 4.5, 0.0, 1.0, "-")),
                13.5, 117.0, 9.0, False)
    back = cache.loads(cache.dumps(line))
    assert back == line and type(back.glyphs[0]) is Glyph and back.glyphs[1].hyphen
    with pytest.raises(Exception):
        unpickler.find_class("os", "system")


def test_a_stored_line_keeps_every_glyph_value_and_sign():
    """Lines are stored by column (cache._pack_line): characters, faces, positions as doubles,
    rare glyphs apart. Every value comes back equal and of its type, signed zeros included;
    scaled, substituted and stroked glyphs keep their fields; an empty or longer text and a
    second face survive; a line with a field of another type is stored field by field."""
    import math

    from paperlayout.text.model import Glyph, Line, make_glyph

    glyphs = (make_glyph("中", "serif", 0.0, 9.0, -0.0, 1.0, None),
              make_glyph("a", "sans", 9.0, 4.5, 0.25, 0.9, None),
              make_glyph("——", "serif", 13.5, 18.0, 0.0, 1.17, None),
              make_glyph("", "serif", 31.5, 3.0, 0.0, 1.0, "-"),
              make_glyph("𠮷", "kai", -0.0, 9.0, 0.0, 1.0, None, 0.03))
    line = Line(glyphs, 40.5, 117.0, 9.0, True)
    data = cache.dumps(line)
    assert b"_pack_line" not in data and b"_line" in data and b"_glyph" not in data  # packed, not per glyph
    back = cache.loads(data)
    assert back == line and all(type(g) is Glyph for g in back.glyphs)
    for got, want in zip(back.glyphs, glyphs):
        for name in ("x", "width", "dx", "hscale", "embolden"):
            a, b = getattr(got, name), getattr(want, name)
            assert type(a) is type(b) and math.copysign(1.0, a) == math.copysign(1.0, b), (name, a, b)
    assert back.glyphs[0].text is __import__("sys").intern("中") and back.glyphs[3].hyphen  # interned
    odd = Line((Glyph("中", "serif", 0, 9.0, 0.0),), 9.0, 9.0, 9.0, False)  # an int position
    back = cache.loads(cache.dumps(odd))
    assert back == odd and type(back.glyphs[0].x) is int


def test_reading_an_entry_pauses_the_collector_and_leaves_it_as_found():
    import gc

    from paperlayout.text.model import Line, make_glyph

    data = cache.dumps(Line((make_glyph("中", "serif", 0.0, 9.0, 0.0, 1.0, None),), 9.0, 9.0, 9.0, False))
    seen = []
    real = cache._line

    def spying(*args):
        seen.append(gc.isenabled())
        return real(*args)

    cache._line = spying
    try:
        assert gc.isenabled()
        assert cache.loads(data) is not None and gc.isenabled()
        gc.disable()
        try:
            assert cache.loads(data) is not None and not gc.isenabled()
        finally:
            gc.enable()
        assert cache.loads(b"garbage") is None and gc.isenabled()
    finally:
        cache._line = real
    assert seen and not any(seen)
