"""issue 11 (memory): the cached reportlab font keeps its integer tables in packed arrays and
reads the font file where reportlab reads it (render/fontcache.py). Each view must give back
exactly what the parsed table holds — same keys, values and types — or the subsets embedded
from it would differ."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from paperlayout.render import fontcache

FONT = Path(__file__).resolve().parents[2] / "fonts" / "NotoSerifSC-Regular.ttf"


def _roundtrip(value):
    return fontcache._unpack(marshal.loads(marshal.dumps(fontcache._pack(value))))


def test_an_int_map_answers_as_the_dict_it_packs():
    table = {0x4E00: 17, 32: 3, 0x20BB7: 65000, 0xA0: 3}
    view = _roundtrip(table)
    assert isinstance(view, fontcache.IntMap)
    assert view == table and len(view) == 4 and sorted(view) == sorted(table)
    assert view[0x4E00] == 17 and 0x20BB7 in view and 0x4E01 not in view and "x" not in view
    assert view.get(0x4E01, -1) == -1 and view.get(32) == 3
    with pytest.raises(KeyError):
        view[0x4E01]


def test_lists_and_pairs_keep_their_values_and_types():
    positions = [0, 86, 86, 1234567890123]
    metrics = [(1000, 100), (0, 0), (229, -12)]
    widths = {32: 250.5, 0x4E00: 1000.0}
    assert _roundtrip(positions) == positions and isinstance(_roundtrip(positions), fontcache.IntList)
    assert _roundtrip(metrics) == metrics and _roundtrip(metrics)[2] == (229, -12)
    assert _roundtrip(widths) == widths and type(_roundtrip(widths)[32]) is float
    mixed = {1: 2, 3: 4.5}  # neither all int nor all float: kept as it is
    assert fontcache._pack(mixed)[0] == "marshal" and _roundtrip(mixed) == mixed


@pytest.mark.parametrize("pread", [True, False])
def test_file_bytes_read_the_slices_asked_for(monkeypatch, pread):
    if not pread:  # the seek-and-read path of platforms without os.pread
        monkeypatch.setattr(fontcache, "_pread", fontcache._seek_read)
    data = FONT.read_bytes()
    view = fontcache.FileBytes(str(FONT))
    assert len(view) == len(data)
    assert view[0:12] == data[0:12] and view[7] == data[7] and view[-1] == data[-1]
    assert view[len(data) - 5:len(data) + 10] == data[-5:]
    window = fontcache._Window(view, 1000, 300)
    assert window[10:20] == data[1010:1020] and len(window) == 300
