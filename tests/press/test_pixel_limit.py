"""The photo-size limit (limits.Limits.image_pixels) reaches the renderer as an argument:
render/images.prepare_photo and render/photocache.prepare refuse a source over ``max_pixels``
(w × h px) from its header, and nothing sets a module global for it."""

from __future__ import annotations

import pytest

from paperlayout import cache
from paperlayout.render import images, photocache
from paperlayout.render.images import ImageInputError, prepare_photo
from paperlayout.render.pdf import RenderOptions


def test_source_over_max_pixels_is_refused_naming_file_and_limit(photos):
    with pytest.raises(ImageInputError) as err:
        prepare_photo(photos["400"], 144.0, 108.0, max_pixels=119_999)  # 400 × 300 = 120,000 px
    assert "p400.png" in str(err.value) and "400 × 300 px" in str(err.value) and "119,999" in str(err.value)


def test_source_at_max_pixels_is_converted(photos):
    assert prepare_photo(photos["400"], 144.0, 108.0, max_pixels=120_000).image.size == (400, 300)


@pytest.mark.parametrize("with_store", [False, True])
def test_photocache_passes_max_pixels_on_a_miss(photos, tmp_path, with_store):
    store = cache.Store(tmp_path / "cache") if with_store else None
    with pytest.raises(ImageInputError, match="119,999"):
        photocache.prepare(photos["400"], 144.0, 108.0, mode="cmyk", output_profile=None, target_ppi=200.0,
                           ink_limit=240.0, store=store, max_pixels=119_999)


def test_render_options_default_is_the_module_default_and_not_shared_state():
    assert RenderOptions().max_pixels == images.MAX_PIXELS == 120_000_000
    assert RenderOptions(max_pixels=5).max_pixels == 5 and images.MAX_PIXELS == 120_000_000
