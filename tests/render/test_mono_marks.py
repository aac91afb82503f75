"""issue 10: on a mono page (not in colour_pages) the crop and registration marks ink K
only; on a colour page they stay in registration colour (/Separation /All)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest
from render_helpers import compose_lines, page_of, render_pages

from paperlayout.render.marks import crop_marks


@pytest.fixture(scope="module")
def two_pages(fonts):
    """Page 1 in colour, page 2 mono, both with marks."""
    lines = compose_lines(fonts, [("黑白版的裁切线只用黑版", "serif")], 20)
    return render_pages([page_of(lines, number=1), page_of(lines, number=2)], fonts,
                        marks=True, colour_pages=frozenset({1}))


def _page(data: bytes, index: int) -> tuple[str, list[str]]:
    with pikepdf.open(io.BytesIO(data)) as doc:
        page = doc.pages[index]
        content = page.Contents.read_bytes().decode("latin-1")
        spaces = page.resources.get("/ColorSpace")
        names = [str(v[1]) for v in spaces.values()] if spaces is not None else []
    return content, names


def test_a_mono_pages_marks_stroke_in_k_only(two_pages):
    content, separations = _page(two_pages, 1)
    assert separations == []  # no /All (or any other separation) on the page
    assert " CS" not in content and "SCN" not in content
    marks = content[content.rindex("q\n"):]  # draw_marks's own q … Q, last on the page
    assert re.findall(r"([\d. ]+) K\n", marks) == ["0 0 0 1"]
    assert marks.count(" l S") + marks.count(" l\nS") >= len(crop_marks((0, 0, 1, 1), 0))
    stroke_colours = set(re.findall(r"([\d. ]+) K\n", content))
    assert stroke_colours <= {"0 0 0 1"}


def test_a_colour_pages_marks_stay_in_registration_colour(two_pages):
    content, separations = _page(two_pages, 0)
    assert separations == ["/All"]
    assert "/All CS 1 SCN" in content[content.rindex("q\n"):]


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript not installed")
def test_a_mono_page_with_marks_inks_only_the_black_plate(two_pages):
    with pikepdf.open(io.BytesIO(two_pages)) as doc:
        del doc.pages[0]
        out = io.BytesIO()
        doc.save(out)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "mono.pdf"
        source.write_bytes(out.getvalue())
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", "-r72",
                        f"-sOutputFile={tmp}/s%d.tif", str(source)], check=True)
        from PIL import Image

        inked = {}
        for sep in Path(tmp).glob("s1(*).tif"):
            name = sep.name[sep.name.index("(") + 1 : sep.name.rindex(")")]
            with Image.open(sep) as im:
                inked[name] = im.convert("L").getextrema()[0] < 255  # any dot of this ink
    assert inked == {"Cyan": False, "Magenta": False, "Yellow": False, "Black": True}

