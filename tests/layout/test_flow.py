"""Flowing units into columns: level bottoms, crossheads never at a column's foot."""

from paperlayout.layout.flow import Unit, flow


def lines(n, para=0):
    return [Unit("line", 1, para=para, first=i == 0, last=i == n - 1) for i in range(n)]


def xh():
    return Unit("crosshead", 2, flex=True)


def test_exact_fill_two_columns():
    units = tuple(lines(10))
    f = flow(units, (5, 5))
    assert f is not None and not f.short_last
    assert [s.column for s in f.slots()] == [0] * 5 + [1] * 5


def test_odd_lines_end_one_short_and_says_so():
    f = flow(tuple(lines(9)), (5, 5))
    assert f is not None and f.short_last


def test_odd_lines_cannot_fill_without_short_column_when_not_allowed():
    assert flow(tuple(lines(9)), (5, 5), allow_short=False) is None


def test_crosshead_takes_a_spare_row_to_level_columns():
    units = tuple(lines(1) + [xh()] + lines(6, para=1))  # 9 rows natural
    f = flow(units, (5, 5), allow_short=False)
    assert f is not None
    crosshead = [s for s in f.slots() if s.unit.kind == "crosshead"][0]
    assert crosshead.rows == 3


def test_crosshead_never_at_column_foot():
    # 3 lines, crosshead (2 rows), 5 lines into columns of 5: crosshead would end the first column.
    units = tuple(lines(3) + [xh()] + lines(5, para=1))
    f = flow(units, (5, 5), allow_short=True)
    if f is not None:
        for slot in f.slots():
            if slot.unit.kind == "crosshead":
                assert slot.row + slot.rows < 5 or slot.column == 1


def test_overflow_is_none():
    assert flow(tuple(lines(12)), (5, 5)) is None


def test_text_lines_count_lines_not_separator_rows():
    """Editor's rule column-lines counts lines of text: briefs items of two lines with a
    separator row between them fill 4-row columns with only 2–3 lines each (corpus 14 had a
    briefs box of five columns of 2–3 lines, each 4 rows tall)."""
    gap = Unit("gap", 1)
    units = (*lines(2, 0), gap, *lines(2, 1), gap, *lines(3, 2))
    f = flow(units, (4, 5))
    assert f is not None
    assert [s.unit.kind for s in f.slots()][:4] == ["line", "line", "gap", "line"]
    assert f.text_lines() == (3, 4)
    assert flow(tuple(lines(8)), (4, 4)).text_lines() == (4, 4)
