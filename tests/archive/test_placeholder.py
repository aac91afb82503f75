"""Placeholder photos (issue 12): `placeholder: true` + `aspect`, no file — loaded, planned as a
photo of that aspect, drawn as a neutral frame marked 图片 with the caption below, an ALTO
Illustration without a file, kept out of the bag's source files."""

from __future__ import annotations

import io
import math
import re
import shutil
from pathlib import Path

import bagit
import pikepdf
import pytest
from click.testing import CliRunner
from lxml import etree

from paperlayout import placeholder
from paperlayout.build import lay_out
from paperlayout.cli import main
from paperlayout.frames import BLACK, Picture, Rect, TextLine
from paperlayout.layout.editor_rules import evaluate_page, originals_of
from paperlayout.layout.story import ASPECT_RANGE, CROP_RANGE
from paperlayout.loader import LoadError, load_issue, load_issue_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "dalate"
ALTO_NS = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}

ISSUE = """\
paper:
  name: 达拉特报
issue:
  date: 2023-03-17
  number: 21
pages:
  - number: 1
    section: 要闻
    stories:
      - id: lead
        head: 干部下基层
        body:
          - 今年以来，达拉特旗把干部下基层作为重要抓手。
        photos:
{photos}
"""


def _load(tmp_path: Path, photos: str):
    """The issue above with ``photos`` (YAML lines at the photo list's indent) as issues/x/issue.yaml."""
    folder = tmp_path / "x"
    folder.mkdir(exist_ok=True)
    text = ISSUE.format(photos="\n".join("          " + line for line in photos.strip("\n").splitlines()))
    return load_issue_text(text, folder / "issue.yaml")


def _problems(tmp_path: Path, photos: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        _load(tmp_path, photos)
    return [str(p) for p in caught.value.problems]


# --- loader -------------------------------------------------------------------------------------


@pytest.mark.parametrize("written, aspect", [("1.5", 1.5), ("3:2", 1.5), ("'4:3'", 4 / 3), ("3/4", 0.75), ("5", 5.0)])
def test_placeholder_loads_with_its_aspect_and_caption(tmp_path, written, aspect):
    # 3:2 unquoted is a YAML 1.1 sexagesimal integer (182): read as typed, it is a ratio
    issue = _load(tmp_path, f"- placeholder: true\n  aspect: {written}\n  caption: 送书下乡。\n  credit: 本报记者 摄")
    (photo,) = issue.pages[0].stories[0].photos
    assert photo.placeholder and math.isclose(photo.aspect, aspect)
    assert (photo.caption, photo.credit) == ("送书下乡。", "本报记者 摄")
    assert photo.path == (tmp_path / "x" / "placeholder:pages[0].stories[0].photos[0]").absolute()
    assert placeholder.is_placeholder(photo.path) and not photo.path.exists()


def test_placeholder_false_is_a_photo_needing_its_file(tmp_path):
    (problem,) = _problems(tmp_path, "- placeholder: false\n  caption: 送书下乡。")
    assert problem.startswith(f"{tmp_path / 'x' / 'issue.yaml'}:15: pages[0].stories[0].photos[0].file: missing required field 'file'")
    assert "placeholder: true" in problem


@pytest.mark.parametrize("entry, line, field, message", [
    ("- placeholder: true\n  aspect: wide", 16, "aspect", "aspect 'wide' is not a width/height — write it as 1.5 or 3:2"),
    ("- placeholder: true\n  aspect: 9:1", 16, "aspect", "aspect 9:1 (9) is outside 0.25 to 5"),
    ("- placeholder: true\n  aspect: 0", 16, "aspect", "aspect 0 (0) is outside 0.25 to 5"),
    ("- placeholder: true\n  aspect: 3:0", 16, "aspect", "is outside 0.25 to 5"),
    ("- placeholder: true\n  aspect: [3, 2]", 16, "aspect", "expected a width/height such as 1.5 or 3:2, got a list"),
    ("- placeholder: true\n  caption: 无图。", 15, "aspect", "missing required field 'aspect' — a placeholder needs"),
    ("- placeholder: true\n  aspect: 1.5\n  file: photos/a.jpg", 17, "file", "a placeholder has no file — remove 'file'"),
    ("- placeholder: yes please\n  aspect: 1.5", 15, "placeholder", "expected true or false"),
])
def test_bad_placeholder_is_located(tmp_path, entry, line, field, message):
    problems = _problems(tmp_path, entry)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{tmp_path / 'x' / 'issue.yaml'}:{line}: pages[0].stories[0].photos[0].{field}: ")
    assert message in problems[0]


def test_aspect_on_a_photo_with_a_file_is_refused(tmp_path):
    folder = tmp_path / "x"
    (folder / "photos").mkdir(parents=True)
    shutil.copy(SAMPLE / "photos" / "books-to-countryside.jpg", folder / "photos" / "a.jpg")
    problems = _problems(tmp_path, "- file: photos/a.jpg\n  aspect: 1.5")
    assert len(problems) == 1 and ":16: pages[0].stories[0].photos[0].aspect: an aspect is given only with 'placeholder: true'" in problems[0]


def test_aspect_limits_are_the_planners():
    assert placeholder.ASPECT_LIMITS == ASPECT_RANGE


# --- layout -------------------------------------------------------------------------------------


def _mixed(folder: Path) -> Path:
    """The sample with two of its five photos (both 2400 × 1600 px) replaced by 3:2 placeholders:
    the lead's first photo and the discipline story's."""
    shutil.copytree(SAMPLE, folder)
    text = (folder / "issue.yaml").read_text("utf-8")
    for name in ("cadres-visit-farm-household.jpg", "discipline-commission-village.jpg"):
        old = f"- file: photos/{name}\n"
        assert text.count(old) == 1
        text = text.replace(old, "- placeholder: true\n            aspect: 3:2\n")
    (folder / "issue.yaml").write_text(text, "utf-8")
    return folder


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    return _mixed(tmp_path_factory.mktemp("ph") / "mixed")


@pytest.fixture(scope="module")
def laid(mixed):
    return lay_out(load_issue(mixed))


def _frames(laid):
    return [s for r in laid.pages for s in r.frame.stories]


def test_layout_places_a_placeholder_as_a_photo_with_its_frame(laid):
    assert not laid.report.errors, laid.report.errors
    found = []
    for story in _frames(laid):
        items = list(story.items)
        for i, it in enumerate(items):
            if isinstance(it, Picture) and placeholder.is_placeholder(it.path):
                found.append((story.story, it))
                box, label = items[i - 2], items[i - 1]
                # the tinted, ruled box exactly on the picture's box
                assert isinstance(box, Rect) and (box.x, box.y, box.w, box.h) == (it.x, it.y, it.w, it.h)
                assert box.fill == placeholder.TINT and box.stroke == BLACK and box.weight == 0.5
                # 图片 centred: its em box's middle (0.38 em above the baseline) on the box's middle
                assert isinstance(label, TextLine) and label.line.text == "图片" and label.role == "placeholder"
                size = label.line.size
                assert math.isclose(label.x + label.line.width / 2, it.x + it.w / 2, abs_tol=0.01)
                assert math.isclose(label.y - 0.38 * size, it.y + it.h / 2, abs_tol=0.01)
                assert size == min(28.0, max(9.0, min(it.w, it.h) / 4))
                # placed as a 3:2 photo: within the planner's crop range of its aspect
                assert CROP_RANGE[0] - 1e-9 <= (it.w / it.h) / 1.5 <= CROP_RANGE[1] + 1e-9
                # the caption follows, as under a photo (the discipline story's photo has none)
                caption = items[i + 1]
                if story.story == "lead":
                    assert isinstance(caption, TextLine) and caption.role == "caption" and caption.y > it.y + it.h
                    assert caption.line.text.startswith("包联单位干部")
                else:
                    assert not (isinstance(caption, TextLine) and caption.role == "caption")
    assert [s for s, _ in found] == ["lead", "discipline-commission-village"]


def test_ppi_and_crop_rules_do_not_measure_a_placeholder(tmp_path):
    """The seed's skeleton: every photo a placeholder — photo-ppi and photo-crop have nothing to
    measure (figure None), photo-size and photo-share do."""
    seed = ROOT.parent / "shared" / "seeds" / "000_85694605ff7138c7.txt"
    if not seed.is_file():
        pytest.skip("the shared seed is not in this checkout")
    result = CliRunner().invoke(main, ["import", str(seed), "-o", str(tmp_path / "seed"), "--date", "2023-03-17"])
    assert result.exit_code == 0, result.output
    issue = load_issue(tmp_path / "seed")
    laid = lay_out(issue)
    pixels = {str(p.path): placeholder.pixels(p.aspect) for s in issue.pages[0].stories for p in s.photos}
    figures, _ = evaluate_page(laid.pages[0], laid.styles.page, pixels, originals_of(issue))
    by_rule = {f.rule: f.figure for f in figures}
    assert by_rule["photo-ppi"] is None and by_rule["photo-crop"] is None
    assert by_rule["photo-size"] is not None and by_rule["photo-share"] is not None


# --- rendering, ALTO and the package --------------------------------------------------------------


@pytest.fixture(scope="module")
def built(mixed, tmp_path_factory):
    """The mixed issue built through the CLI with the verifier and preflight on, ALTO and a package."""
    out = tmp_path_factory.mktemp("phout")
    result = CliRunner().invoke(main, ["build", str(mixed), "-o", str(out / "x.pdf"), "--alto", str(out / "alto"),
                                       "--package", str(out / "bag")])
    assert result.exit_code == 0, result.output
    return out


def test_pdf_draws_the_frame_and_the_label_not_an_image(built, laid):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    pdf_path = built / "x.pdf"
    with pikepdf.open(pdf_path) as pdf:
        page = pdf.pages[0]
        images = [x for x in page.Resources.XObject.values() if x.Subtype == "/Image"]
        assert len(images) == 3  # five photos less the two placeholders
        ops = pikepdf.parse_content_stream(page)
        tints = [i for i, (operands, op) in enumerate(ops) if str(op) == "k" and [float(v) for v in operands] == [0, 0, 0, 0.1]]
        assert len(tints) == 2  # the frames' 10 % K fill
        trim = [float(v) for v in page.TrimBox]
    pictures = [it for s in _frames(laid) for it in s.items if isinstance(it, Picture) and placeholder.is_placeholder(it.path)]
    # the text layer: 图片 once per placeholder, in its frame (pdfminer: origin bottom-left of the media box)
    labels = []
    for layout in extract_pages(str(pdf_path)):
        for element in layout:
            if isinstance(element, LTTextContainer):
                for line in element:
                    chars = [c for c in getattr(line, "_objs", []) if isinstance(c, LTChar)]
                    text = "".join(c.get_text() for c in chars)
                    for m in re.finditer("图片", text):
                        first, second = chars[m.start()], chars[m.start() + 1]
                        labels.append(((first.x0 + second.x1) / 2 - trim[0], trim[3] - (first.y0 + first.y1) / 2))
    assert len(labels) == len(pictures) == 2
    for (x, y), pic in zip(sorted(labels, key=lambda p: p[1]), sorted(pictures, key=lambda p: p.y)):
        assert pic.x < x < pic.x + pic.w and pic.y < y < pic.y + pic.h
        assert abs(x - (pic.x + pic.w / 2)) < 1.0


def test_alto_illustration_without_file_and_no_label_text(built):
    root = etree.parse(str(built / "alto" / "page-01.xml")).getroot()
    ills = root.findall(".//a:Illustration", ALTO_NS)
    kinds = [(i.get("TYPE"), i.get("FILEID")) for i in ills]
    assert kinds.count(("placeholder", None)) == 2
    assert sorted(f for t, f in kinds if t == "photo") == ["approval-office-development-zone.jpg", "books-to-countryside.jpg",
                                                           "cadres-listen-to-villagers.jpg"]
    lead_placeholder = next(i for i in ills if i.get("TYPE") == "placeholder" and i.get("IDNEXT"))
    caption = root.find(f".//a:TextBlock[@ID='{lead_placeholder.get('IDNEXT')}']", ALTO_NS)
    assert "".join(s.get("CONTENT") for s in caption.iter("{%s}String" % ALTO_NS["a"])) == "包联单位干部到村民家中了解种养殖情况。"
    strings = "".join(s.get("CONTENT") for s in root.iter("{%s}String" % ALTO_NS["a"]))
    assert "图片" not in strings  # the frame's mark is not copy


class _Local(etree.Resolver):
    """The schemas import xlink.xsd and xml.xsd by URL: the committed copies."""

    def resolve(self, url, pubid, context):
        for name in ("xlink.xsd", "xml.xsd"):
            if url.endswith(name):
                return self.resolve_filename(str(ROOT / "tests" / "data" / "mets" / name), context)
        return None


def _schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser()
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.parse(str(path), parser))


def test_package_keeps_only_real_photos_and_validates(built):
    bag = bagit.Bag(str(built / "bag"))
    bag.validate()
    # the ALTO (an Illustration without FILEID) and the METS (MODS inside) against their schemas
    _schema(ROOT / "tests" / "data" / "alto" / "alto-4-4.xsd").assertValid(etree.parse(str(built / "bag" / "data" / "alto" / "page-01.xml")))
    mets_xsd = ROOT / "tests" / "data" / "mets"
    parser = etree.XMLParser()
    parser.resolvers.add(_Local())
    both = etree.XMLSchema(etree.fromstring(f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.loc.gov/METS/" schemaLocation="{(mets_xsd / 'mets-1-12.xsd').as_uri()}"/>
  <xs:import namespace="http://www.loc.gov/mods/v3" schemaLocation="{(mets_xsd / 'mods-3-7.xsd').as_uri()}"/>
</xs:schema>""".encode(), parser, base_url=str(mets_xsd) + "/"))
    both.assertValid(etree.parse(str(built / "bag" / "data" / "mets.xml")))
    # each placeholder's Illustration is an area of its article in the logical map
    alto = etree.parse(str(built / "bag" / "data" / "alto" / "page-01.xml"))
    ids = [i.get("ID") for i in alto.iter("{%s}Illustration" % ALTO_NS["a"]) if i.get("TYPE") == "placeholder"]
    areas = {a.get("BEGIN") for a in etree.parse(str(built / "bag" / "data" / "mets.xml")).iter("{http://www.loc.gov/METS/}area")}
    assert len(ids) == 2 and set(ids) <= areas
    kept = sorted(p.name for p in (built / "bag" / "data" / "source").rglob("*.jpg"))
    assert kept == ["approval-office-development-zone.jpg", "books-to-countryside.jpg", "cadres-listen-to-villagers.jpg"]
    mets = (built / "bag" / "data" / "mets.xml").read_text("utf-8")
    assert "placeholder:" not in mets
