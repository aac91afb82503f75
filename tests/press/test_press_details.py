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
    length, NUL-padded): a stand-in for a plant's profile named so."""
    data = SHIPPED.read_bytes()
    assert data.count(_SHIPPED_DESC) == 1
    new = description.encode("latin-1").ljust(len(_SHIPPED_DESC), b"\0")[: len(_SHIPPED_DESC)]
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
    assert condition_problems("CGATS TR 002", has_profile=False) == []  # the shipped profile's own condition
    assert condition_problems("IFRA26", has_profile=True) == []
    (own,) = condition_problems("IFRA26", has_profile=False)  # never declare one condition, carry another
    assert own.startswith("IFRA26 needs its own profile") and "--output-intent" in own
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
    alone = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out), "--output-condition", "IFRA26",
                                      "--no-preflight", "--no-verify", "--no-marks"])
    assert alone.exit_code == 2 and "IFRA26 needs its own profile" in alone.output and not out.exists()
    profile = relabelled(tmp_path, "IFRA26 coldset newsprint stand-in")
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out), "--output-condition", "IFRA26",
                                       "--output-intent", str(profile), "--no-preflight", "--no-verify", "--no-marks"])
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


# -- 3. preflight on third-party files ---------------------------------------------------

from paperlayout.preflight import preflight  # noqa: E402
from paperlayout.units import mm  # noqa: E402

TRIM = (50.0, 50.0, 350.0, 350.0)


Array = pikepdf.Array
Name = pikepdf.Name


def third_party(tmp_path: Path, content: bytes, resources=None, *, bleed_mm: float = 3.0,
                annots: tuple[dict, ...] = ()) -> Path:
    """A one-page PDF as another program writes it (pikepdf, no paperlayout): MediaBox
    400 × 400 pt, TrimBox ``TRIM``, a BleedBox ``bleed_mm`` beyond it, ``content`` as the
    page's content stream; ``resources(pdf)`` returns the page's resource dictionary."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(400, 400))
    b = mm(bleed_mm)
    page.obj.TrimBox = Array(list(TRIM))
    page.obj.BleedBox = Array([TRIM[0] - b, TRIM[1] - b, TRIM[2] + b, TRIM[3] + b])
    page.obj.Resources = resources(pdf) if resources else pikepdf.Dictionary()
    page.obj.Contents = pdf.make_stream(content)
    if annots:
        page.obj.Annots = Array([pdf.make_indirect(pikepdf.Dictionary(a)) for a in annots])
    path = tmp_path / "third-party.pdf"
    pdf.save(path)
    return path


def test_spot_colours_are_reported_by_name(tmp_path):
    def resources(pdf):
        tint = pdf.make_indirect(pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[0, 1, 0.8, 0], N=1))
        two = pdf.make_stream(b"{pop pop 0 0 0 0}", FunctionType=4, Domain=[0, 1, 0, 1], Range=[0, 1, 0, 1, 0, 1, 0, 1])
        return pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(
            Pantone=Array([Name.Separation, Name("/PANTONE 185 C"), Name.DeviceCMYK, tint]),
            Duo=Array([Name.DeviceN, Array([Name("/Gold"), Name.Cyan]), Name.DeviceCMYK, two]),
            Reg=Array([Name.Separation, Name.All, Name.DeviceCMYK, tint]),  # registration: not a spot
        ))

    content = (b"/Pantone cs 1 scn 60 60 100 100 re f\n"
               b"/Duo CS 0.5 1 SCN 1 w 70 70 m 200 200 l S\n"
               b"/Reg cs 1 scn 60 300 5 5 re f\n")
    colour = preflight(third_party(tmp_path, content, resources), render_ink=False).check("colour")
    assert colour.figures["spot_colours"] == [
        {"name": "Gold", "space": "DeviceN", "alternate": "DeviceCMYK", "pages": [1]},
        {"name": "PANTONE 185 C", "space": "Separation", "alternate": "DeviceCMYK", "pages": [1]},
    ]
    assert colour.details == "no RGB or Lab, spot colour(s): Gold, PANTONE 185 C"
    spot_warnings = [w for w in colour.warnings if "spot colour" in w]
    assert spot_warnings == [
        "page 1: spot colour 'Gold' (DeviceN, alternate DeviceCMYK): a newspaper press prints CMYK — "
        "convert it to process unless the plant takes this ink",
        "page 1: spot colour 'PANTONE 185 C' (Separation, alternate DeviceCMYK): a newspaper press prints CMYK — "
        "convert it to process unless the plant takes this ink",
    ]


def test_lab_and_icc_rgb_are_named_as_such(tmp_path):
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    def resources(pdf):
        icc_rgb = Array([Name.ICCBased, pdf.make_stream(srgb, N=3)])
        icc_cmyk = Array([Name.ICCBased, pdf.make_stream(SHIPPED.read_bytes(), N=4)])
        lab = Array([Name.Lab, pikepdf.Dictionary(WhitePoint=[0.9505, 1.0, 1.089])])
        image = dict(Type=Name.XObject, Subtype=Name.Image, Width=2, Height=2, BitsPerComponent=8)
        return pikepdf.Dictionary(
            ColorSpace=pikepdf.Dictionary(RGBicc=icc_rgb, CMYKicc=icc_cmyk, Lab1=lab),
            XObject=pikepdf.Dictionary(
                ImR=pdf.make_stream(bytes(12), ColorSpace=icc_rgb, **image),
                ImL=pdf.make_stream(bytes(12), ColorSpace=lab, **image),
            ),
        )

    content = (b"/Lab1 cs 50 20 10 scn 60 60 10 10 re f\n"
               b"/RGBicc cs 1 0 0 scn 80 60 10 10 re f\n"
               b"/CMYKicc cs 0 0 0 1 scn 100 60 10 10 re f\n"
               b"q 10 0 0 10 60 200 cm /ImR Do Q q 10 0 0 10 80 200 cm /ImL Do Q\n")
    report = preflight(third_party(tmp_path, content, resources), render_ink=False)
    colour = report.check("colour")
    assert list(colour.errors) == [
        "page 1: fill in Lab [50 20 10] (Lab is not allowed)",
        "page 1: fill in ICC-based RGB [1 0 0] (RGB is not allowed)",
        "page 1: image ImR in ICC-based RGB (RGB is not allowed)",
        "page 1: image ImL in Lab (Lab is not allowed)",
    ]
    assert list(colour.warnings) == ["page 1: fill in ICC-based CMYK [0 0 0 1]: PDF/X-1a needs device CMYK or grey"]
    assert colour.figures["image_spaces"] == ["ICC-based RGB", "Lab"]
    second = report.check("images-pdfimages")
    if second.status != "not-run":
        assert "pdfimages: page 1 image 2×2 is ICC-based RGB (RGB is not allowed)" in second.errors
        assert "pdfimages: page 1 image 2×2 is Lab (Lab is not allowed)" in second.errors


def test_annotations_inside_the_trim_are_flagged(tmp_path):
    annots = (
        {"/Type": Name.Annot, "/Subtype": Name.Link, "/Rect": [100, 100, 200, 120], "/Border": [0, 0, 0]},
        {"/Type": Name.Annot, "/Subtype": Name.Text, "/Rect": [340, 340, 360, 360], "/F": 4,
         "/Contents": pikepdf.String("check this")},  # overlaps the trim's corner, prints
        {"/Type": Name.Annot, "/Subtype": Name.Link, "/Rect": [5, 5, 30, 30]},  # outside the bleed
        {"/Type": Name.Annot, "/Subtype": Name.PrinterMark, "/Rect": [60, 60, 80, 80]},  # allowed
    )
    boxes = preflight(third_party(tmp_path, b"", annots=annots), render_ink=False).check("boxes")
    assert list(boxes.errors) == [
        "page 1: Link annotation #1 at [100.0, 100.0, 200.0, 120.0] lies inside the trim: "
        "PDF/X allows only PrinterMark/TrapNet there; remove it",
        "page 1: Text annotation #2 at [340.0, 340.0, 360.0, 360.0] lies inside the trim and prints: "
        "PDF/X allows only PrinterMark/TrapNet there; remove it",
    ]


def test_hairlines_under_a_quarter_point_are_flagged(tmp_path):
    content = (b"0 0 0 1 K 0.1 w 60 100 m 300 100 l S\n"  # 0.1 pt: flagged
               b"0 w 60 120 m 300 120 l S\n"  # 0: the device's thinnest line, flagged
               b"0.25 w 60 140 m 300 140 l S\n"  # exactly 0.25 pt: fine
               b"q 0.5 0 0 0.5 0 0 cm 0.4 w 120 320 m 600 320 l S Q\n"  # 0.4 × 0.5 = 0.2 pt in page space
               b"0.1 w 5 5 m 30 5 l S\n")  # a mark outside the bleed: not printed on the page
    colour = preflight(third_party(tmp_path, content), render_ink=False).check("colour")
    hairlines = [w for w in colour.warnings if "hairline" in w]
    tail = " in DeviceCMYK [0 0 0 1]: lines under 0.25 pt break up on newsprint; make it at least 0.25 pt"
    assert hairlines == [
        "page 1: hairline 0.1 pt" + tail,
        "page 1: hairline 0 pt (the thinnest line the device draws)" + tail,
        "page 1: hairline 0.2 pt" + tail,
    ]
    assert colour.figures["thinnest_stroke_pt"] == 0.0


@pytest.mark.parametrize("bleed_mm, error", [
    (2.9986, None),  # 8.5 pt written for 3 mm: within 0.01 mm
    (3.0, None),
    (2.98, "page 1: bleed 2.98 mm is less than 3 mm"),
    (2.5, "page 1: bleed 2.50 mm is less than 3 mm"),
])
def test_bleed_is_compared_with_a_tolerance(tmp_path, bleed_mm, error):
    boxes = preflight(third_party(tmp_path, b"", bleed_mm=bleed_mm), render_ink=False).check("boxes")
    assert list(boxes.errors) == ([error] if error else [])
    assert boxes.figures["pages"][0]["bleed_mm"] == round(bleed_mm, 2)


@pytest.mark.parametrize("profile_text, condition, expect", [
    ("ISO Coated v2 (ECI)", None,
     "output intent 'Custom' (profile 'ISO Coated v2 (ECI)') is for coated paper: a newspaper prints on newsprint "
     "(ISO 12647-3); separate for the plant's newsprint condition (e.g. IFRA26)"),
    ("PSO Uncoated v3", "FOGRA52",
     "output intent 'FOGRA52' (profile 'PSO Uncoated v3') is for uncoated paper: a newspaper prints on newsprint "
     "(ISO 12647-3); separate for the plant's newsprint condition (e.g. IFRA26)"),
    ("ISOnewspaper26v4", "IFRA26", None),
])
def test_preflight_warns_about_a_file_separated_for_another_paper(tmp_path, profile_text, condition, expect):
    profile = relabelled(tmp_path, profile_text)
    path = tmp_path / "ad.pdf"
    path.write_bytes(finalize(build_pdf(), meta(output_intent=OutputIntent.for_build(profile, condition))))
    pdfx = preflight(path, render_ink=False).check("pdfx")
    paper = [w for w in pdfx.warnings if "paper" in w]
    assert paper == ([expect] if expect else [])
