"""Corpus 33 (tests/corpus/33-url-breaks-allowed): the copy of 05, refused for its URLs, built
by the editor's way out — ``url_breaks: anywhere`` on the stories whose URL pieces are longer
than any measure of the grid. It builds clean (exit 0, the verifier of the written PDF clean),
and each line that ends inside a URL is an info naming that line, never an error (issue 8)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

CORPUS = Path(__file__).resolve().parent / "corpus"
NAME = "33-url-breaks-allowed"


@pytest.fixture(scope="module", autouse=True)
def photos():
    spec = importlib.util.spec_from_file_location("make_photos", CORPUS / "make_photos.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make()


@pytest.mark.corpus_build
def test_url_breaks_anywhere_builds_clean_with_each_break_named(tmp_path):
    from paperlayout.cli import main

    out, report = tmp_path / "out.pdf", tmp_path / "report.json"
    result = CliRunner().invoke(main, ["build", str(CORPUS / NAME), "-o", str(out), "--no-marks", "--root", str(CORPUS),
                                       "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "[unbreakable-split]" not in result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["errors"] == 0
    verify = data["verify"]
    assert verify["errors"] == 0 and verify["diagnostics"] == [], verify
    assert verify["figures"]["matched"] == verify["figures"]["glyphs"] > 4000   # every glyph read back
    assert [(p["fill"], p["largest_hole_rows"]) for p in data["pages"]] == [(1.0, 0)]
    breaks = re.findall(r"^info: .*?(pages\[0\]\.stories\[\d\]\.body\[\d\]: line \d+): (.*) \[url-break\]$",
                        result.output, flags=re.M)
    assert [(where, said.split(" ends inside")[0]) for where, said in breaks] == [
        ("pages[0].stories[0].body[3]: line 10", "'export-service@linchuan-agri.exam'"),
        ("pages[0].stories[2].body[1]: line 11", "'website, https://www.12'"),
        ("pages[0].stories[2].body[4]: line 7", "'available at https://trav'"),
    ]
    assert all("with no hyphen (the story's url_breaks: anywhere)" in said for _, said in breaks)
