"""House style sheets: overrides on the preset, checked and located like the issue file."""

from __future__ import annotations

import pytest

from paperlayout.loader import LoadError
from paperlayout.styles import preset
from paperlayout.stylesheet import load_styles
from paperlayout.units import mm


def write(tmp_path, text: str):
    path = tmp_path / "house.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_apply_over_the_preset(tmp_path):
    path = write(tmp_path, "page:\n  trim: [390, 546]\n  columns: 7\n  column_chars: 15\n  rows: 100\n"
                           "  body_size: 小五\npunctuation: kaiming\nmasthead_rows: 11\nink_limit: 220\n")
    styles = load_styles(path, preset("broadsheet"))
    page = styles.page
    assert (page.columns, page.column_chars, page.rows) == (7, 15, 100)
    assert page.span_chars(7) == 7 * 15 + 6
    assert page.trim_width == pytest.approx(mm(390))
    assert (styles.punctuation, styles.masthead_rows, styles.ink_limit) == ("kaiming", 11, 220.0)
    assert styles.page.line_pitch == preset("broadsheet").page.line_pitch  # untouched keys stay


def test_every_problem_is_located(tmp_path):
    path = write(tmp_path, "page:\n  columns: 9\n  colum_chars: 15\n  body_size: 大五\npunctuation: kaimin\n")
    with pytest.raises(LoadError) as caught:
        load_styles(path, preset("broadsheet"))
    text = str(caught.value)
    assert "house.yaml:3: page.colum_chars: unknown key 'colum_chars' — did you mean 'column_chars'?" in text
    assert "house.yaml:4: page.body_size: unknown type size '大五'" in text
    assert "house.yaml:5: punctuation: unknown punctuation 'kaimin'" in text
    assert "wider than the trim" in text


def test_type_area_must_fit_the_trim_height(tmp_path):
    path = write(tmp_path, "page:\n  rows: 140\n")
    with pytest.raises(LoadError, match="runs past the foot of the trim"):
        load_styles(path, preset("broadsheet"))
