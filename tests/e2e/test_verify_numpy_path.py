"""verify: the checks with numpy on the glyph columns (a PDF of many glyphs, verify.NUMPY_GLYPHS)
find what the plain-Python checks find — the sample's planted faults re-run on that path."""

from __future__ import annotations

import pytest
from test_verify import (  # noqa: F401 (fixtures and tests re-run here)
    body,
    jumped,
    rare,
    sample,
    test_glyph_moved_onto_a_photo_is_caught,
    test_glyph_moved_onto_its_neighbour_is_caught,
    test_glyph_outside_its_module_or_the_type_area_is_caught,
    test_leaked_horizontal_scale_is_caught_on_the_following_lines,
    test_line_drawn_out_of_reading_order_is_caught,
    test_missing_line_is_caught,
    test_missing_photo_is_caught,
    test_rule_across_a_line_and_a_fill_over_it_are_caught,
    test_sample_verifies_clean,
    test_scaled_text_matrix_is_caught_as_a_width_error,
    test_stray_scale_char_spacing_and_rise_are_each_caught,
    test_two_page_issue_verifies_clean_and_faults_name_their_page,
    test_wrong_to_unicode_for_a_supplementary_character_is_caught,
)

from paperlayout import verify


@pytest.fixture(autouse=True)
def numpy_path(monkeypatch, request):
    monkeypatch.setattr(verify, "NUMPY_GLYPHS", -1)
    calls = []
    real = verify._check_geometry_np
    monkeypatch.setattr(verify, "_check_geometry_np", lambda *a: calls.append(1) or real(*a))
    yield
    if request.node.name != "test_plain_pairs_match_numpy_pairs":
        assert calls, "the numpy path was taken"


def test_plain_pairs_match_numpy_pairs():
    """Both spatial hashes give exactly the overlapping pairs (boxes of every size and place,
    some empty, one huge, one far away)."""
    import numpy as np

    boxes = []
    for k in range(600):
        x, y = (k * 37.3) % 500.0 - 20.0, (k * 91.7) % 700.0 - 20.0
        w, h = 1.0 + (k * 13) % 30, 1.0 + (k * 7) % 25
        boxes.append((x, y, x + w, y + h))
    boxes += [(5.0, 5.0, 5.0, 9.0), (-9000.0, -9000.0, 9000.0, 9000.0), (1e7, 1e7, 1e7 + 5, 1e7 + 5),
              (0.0, 0.0, float("inf"), 3.0)]
    plain = verify._overlapping_pairs(boxes)
    assert plain == verify._overlapping_pairs_np(np.array(boxes))
    assert len(plain) > 600
