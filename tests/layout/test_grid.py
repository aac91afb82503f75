"""Grid arithmetic (TYPOGRAPHY.md "The page" and "Changed columns"), in points."""

import datetime as dt

import pytest

from paperlayout.layout.page import gregorian, lunar
from paperlayout.styles import preset
from paperlayout.units import mm, size_pt

BROAD = preset("broadsheet").page
TAB = preset("tabloid").page


@pytest.mark.parametrize("columns, chars", [(1, 13), (2, 27), (3, 41), (5, 69), (8, 111)])
def test_broadsheet_measures_in_characters(columns, chars):
    assert BROAD.span_chars(columns) == chars
    assert BROAD.span_width(columns) == pytest.approx(chars * 9.0)


def test_broadsheet_type_area():
    assert BROAD.type_width == pytest.approx(999.0)  # 111 × 9 pt ≈ 352 mm
    assert BROAD.type_height == pytest.approx(105 * 13.5)
    assert BROAD.margin_left == pytest.approx((mm(390) - 999.0) / 2)
    assert BROAD.margin_top + BROAD.type_height < mm(546)


def test_columns_step_by_column_plus_gutter():
    assert BROAD.column_x(1) - BROAD.column_x(0) == pytest.approx(14 * 9.0)
    assert BROAD.column_x(7) + BROAD.span_width(1) == pytest.approx(BROAD.margin_left + BROAD.type_width)


def test_baseline_centres_em_box_in_row():
    top = BROAD.row_y(3)
    baseline = BROAD.baseline(3)
    assert baseline - 0.88 * 9 - top == pytest.approx((13.5 - 9) / 2)


def test_tabloid_grid():
    assert TAB.span_chars(6) == 77
    assert TAB.trim_width == pytest.approx(mm(273))
    assert TAB.margin_top + TAB.type_height < mm(390)


def test_hao_sizes():
    assert size_pt("小五") == 9.0
    assert size_pt("初号") == 42.0
    assert size_pt("9pt") == 9.0
    with pytest.raises(ValueError, match="号"):
        size_pt("大号")


def test_dates_in_masthead():
    assert gregorian(dt.date(2023, 3, 17)) == "2023年3月17日 星期五"
    assert lunar(dt.date(2023, 3, 17)) == "农历癸卯年二月廿六"
    assert lunar(dt.date(2023, 3, 25)) == "农历癸卯年闰二月初四"
    assert lunar(dt.date(2024, 2, 10)) == "农历甲辰年正月初一"
    assert lunar(dt.date(2023, 3, 31)) == "农历癸卯年闰二月初十"


def test_head_breaks_balance_and_keep_numbers_whole():
    from paperlayout.layout.blocks import _balanced_break

    text = "我旗集中销毁6.3万元假冒伪劣商品"
    first = _balanced_break(text)[0]
    assert text[:first] == "我旗集中销毁6.3万元"
    assert _balanced_break("干部下基层聚力促振兴")[0] == 5
    assert all(text[i] not in "，。" for i in _balanced_break("达拉特旗，干部下基层。聚力促振兴"))
