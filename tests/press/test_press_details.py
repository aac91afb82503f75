"""Press details of issue 10: registered output conditions, a coated profile on newsprint,
and `paperlayout preflight` on third-party PDFs (spot colours, Lab / ICC RGB, annotations
inside the trim, hairlines, bleed with a tolerance)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from press_helpers import build_pdf, meta

from paperlayout.cli import main
from paperlayout.render.pdfx import OutputIntent, coated_for_newsprint, condition_problems, finalize

SAMPLE = Path(__file__).parents[2] / "issues" / "dalate"
SHIPPED = OutputIntent.default().profile
_SHIPPED_DESC = b"paperlayout Newsprint TR002 GCR TAC240"


def relabelled(tmp_path: Path, description: str) -> Path:
    """A copy of the shipped CMYK profile whose description reads ``description`` (same
    length, padded): a stand-in for a plant's profile named so."""
    data = SHIPPED.read_bytes()
    assert data.count(_SHIPPED_DESC) == 1
    new = description.encode("latin-1").ljust(len(_SHIPPED_DESC))[: len(_SHIPPED_DESC)]
    path = tmp_path / (description.split()[0] + ".icc")
    path.write_bytes(data.replace(_SHIPPED_DESC, new))
    return path


def output_intent_of(data: bytes) -> dict[str, str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (oi,) = pdf.Root.OutputIntents
        return {str(k)[1:]: str(v) for k, v in oi.items() if k != "/DestOutputProfile"}


# -- 1. registered output condition -----------------------------------------------------


def test_default_intent_stays_custom():
    fields = output_intent_of(finalize(build_pdf(), meta(output_intent=OutputIntent.for_build())))
    assert fields["OutputConditionIdentifier"] == "Custom"
    assert fields["Info"] == "paperlayout Newsprint TR002 GCR TAC240"


def test_registered_condition_sets_identifier_and_registry_in_its_spelling():
    intent = OutputIntent.for_build(None, "isonewspaper26V4")
    fields = output_intent_of(finalize(build_pdf(), meta(output_intent=intent)))
    assert fields["OutputConditionIdentifier"] == "ISOnewspaper26v4"
    assert fields["RegistryName"] == "http://www.color.org"
    assert fields["OutputCondition"] == "Coldset offset on newsprint, ISO 12647-3:2004 (IFRA26)"


def test_unregistered_condition_only_with_its_profile(tmp_path):
    assert condition_problems("IFRA26", has_profile=False) == []
    (problem,) = condition_problems("AcmeNews42", has_profile=False)
    assert "'AcmeNews42' is not a registered printing condition" in problem and "--output-intent" in problem
    assert condition_problems("AcmeNews42", has_profile=True) == []
    profile = relabelled(tmp_path, "Acme coldset newsprint 2024")
    fields = output_intent_of(finalize(build_pdf(), meta(output_intent=OutputIntent.for_build(profile, "AcmeNews42"))))
    assert fields["OutputConditionIdentifier"] == "AcmeNews42"
    assert "RegistryName" not in fields  # no registry defines it
    assert fields["Info"].startswith("Acme coldset newsprint 2024")


def test_cli_unknown_condition_is_a_located_exit_2_before_any_work(tmp_path):
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out), "--output-condition", "FOGRA99"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: --output-condition: 'FOGRA99' is not a registered printing condition")
    assert "Traceback" not in result.output and not out.exists()


def test_cli_builds_with_a_registered_condition(tmp_path):
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out), "--output-condition", "IFRA26",
                                       "--no-preflight", "--no-verify", "--no-marks"])
    assert result.exit_code == 0, result.output
    fields = output_intent_of(out.read_bytes())
    assert fields["OutputConditionIdentifier"] == "IFRA26"
    assert fields["RegistryName"] == "http://www.color.org"
    assert "coated" not in result.output


# -- 2. coated profile on a newsprint style ---------------------------------------------


@pytest.mark.parametrize("description, warned", [
    ("ISO Coated v2 (ECI) FOGRA39", True),
    ("GRACoL2013 CRPC6", True),
    ("U.S. Web Coated (SWOP) v2", True),
    ("ISOnewspaper26v4", False),
    ("paperlayout Newsprint TR002 GCR TAC240", False),
    ("PSO Uncoated v3 (FOGRA52)", False),
])
def test_coated_profile_on_newsprint_is_warned_naming_both(tmp_path, description, warned):
    profile = relabelled(tmp_path, description)
    note = coated_for_newsprint(OutputIntent.for_build(profile), profile.read_bytes(), "broadsheet")
    if not warned:
        assert note is None
        return
    assert note is not None and note.startswith("warning: profile ")
    assert description[:20] in note and profile.name in note
    assert "style 'broadsheet' prints on newsprint" in note


def test_coated_registered_condition_is_warned():
    intent = OutputIntent.for_build(None, "FOGRA39")
    note = coated_for_newsprint(intent, SHIPPED.read_bytes(), "tabloid")
    assert note is not None and "output condition FOGRA39" in note and "coated paper" in note
    assert "style 'tabloid'" in note
    assert coated_for_newsprint(OutputIntent.for_build(None, "IFRA26"), SHIPPED.read_bytes(), "tabloid") is None


def test_cli_warns_about_a_coated_profile(tmp_path):
    profile = relabelled(tmp_path, "ISO Coated v2 300% (ECI)")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out), "--output-intent", str(profile),
                                       "--no-preflight", "--no-verify", "--no-marks"])
    assert result.exit_code == 0, result.output
    assert "warning: profile 'ISO Coated v2 300% (ECI)" in result.output
    assert "style 'broadsheet' prints on newsprint" in result.output
