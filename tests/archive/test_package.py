"""The archive package (issue 12 part 3): `build --package DIR` writes a BagIt bag holding the
press PDF, one ALTO 4 file per page, the issue METS (MODS inside) and the source YAML and
photos; METS and ALTO valid against their schemas, the bag valid for bagit, the logical map
naming every story's ALTO blocks (across pages for a jump), the same bytes for the same input."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import bagit
import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from paperlayout.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "dalate"
METS_XSD = ROOT / "tests" / "data" / "mets"
ALTO_XSD = ROOT / "tests" / "data" / "alto"
NS = {"mets": "http://www.loc.gov/METS/", "mods": "http://www.loc.gov/mods/v3",
      "xlink": "http://www.w3.org/1999/xlink", "alto": "http://www.loc.gov/standards/alto/ns-v4#"}
SAMPLE_STORIES = ["lead", "campaign-banner", "counterfeit-destroyed", "spokesperson-training",
                  "discipline-commission-village", "dalate-experience-lectures", "briefs"]


class _Local(etree.Resolver):
    """The schemas import xlink.xsd (and MODS xml.xsd) by URL: use the committed copies."""

    def resolve(self, url, pubid, context):
        for name, folder in (("xlink.xsd", METS_XSD), ("xml.xsd", METS_XSD)):
            if url.endswith(name):
                return self.resolve_filename(str(folder / name), context)
        return None


def _schema(text: str) -> etree.XMLSchema:
    parser = etree.XMLParser()
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.fromstring(text.encode(), parser, base_url=str(METS_XSD) + "/"))


@pytest.fixture(scope="module")
def mets_schema():
    """METS 1.12 and MODS 3.7 in one schema set, so the MODS inside mdWrap/xmlData (lax) is
    validated too."""
    return _schema(f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="{NS['mets']}" schemaLocation="{(METS_XSD / 'mets-1-12.xsd').as_uri()}"/>
  <xs:import namespace="{NS['mods']}" schemaLocation="{(METS_XSD / 'mods-3-7.xsd').as_uri()}"/>
</xs:schema>""")


@pytest.fixture(scope="module")
def alto_schema():
    parser = etree.XMLParser()
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.parse(str(ALTO_XSD / "alto-4-4.xsd"), parser))


def _package(issue: Path, out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out / "x.pdf"), "--no-verify", "--no-preflight",
                                       "--package", str(out / "bag"), *extra])
    assert result.exit_code == 0, result.output
    assert "wrote package" in result.output
    return out / "bag"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sample_bag(tmp_path_factory):
    return _package(SAMPLE, tmp_path_factory.mktemp("pkg"))


def test_sample_bag_layout_and_validity(sample_bag, mets_schema, alto_schema):
    files = _files(sample_bag)
    photos = sorted(p.name for p in (SAMPLE / "photos").iterdir() if p.suffix == ".jpg")
    assert sorted(files) == sorted(
        ["bag-info.txt", "bagit.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt", "data/mets.xml",
         "data/pdf/press.pdf", "data/alto/page-01.xml", "data/source/issue.yaml"]
        + [f"data/source/photos/{name}" for name in photos])
    bag = bagit.Bag(str(sample_bag))
    bag.validate()  # checksums and Payload-Oxum
    assert bag.info["Bagging-Date"] == "2023-03-17"  # the issue date, not the clock
    assert bag.info["External-Identifier"] == "paperlayout:达拉特报:2023-03-17:21"
    assert files["data/source/issue.yaml"] == (SAMPLE / "issue.yaml").read_bytes()
    assert files["data/pdf/press.pdf"] == (sample_bag.parent / "x.pdf").read_bytes()  # the press PDF as written
    mets = etree.fromstring(files["data/mets.xml"])
    mets_schema.assertValid(mets)
    alto_schema.assertValid(etree.fromstring(files["data/alto/page-01.xml"]))
    # fileSec: every payload file but the METS itself, with its SHA-256 and size
    listed = {}
    for f in mets.iterfind(".//mets:file", NS):
        href = f.find("mets:FLocat", NS).get(f"{{{NS['xlink']}}}href")
        listed[href] = f
        data = files["data/" + href]
        assert f.get("CHECKSUMTYPE") == "SHA-256" and f.get("CHECKSUM") == hashlib.sha256(data).hexdigest()
        assert int(f.get("SIZE")) == len(data)
    assert sorted(listed) == sorted(k[5:] for k in files if k.startswith("data/") and k != "data/mets.xml")
    uses = {grp.get("USE"): [f.get("ID") for f in grp] for grp in mets.iterfind(".//mets:fileGrp", NS)}
    assert uses["master"] == ["PDF_PRESS"] and uses["text"] == ["ALTO_01"] and len(uses["source"]) == 1 + len(photos)


def test_sample_mets_mods(sample_bag):
    mets = etree.parse(str(sample_bag / "data" / "mets.xml"))
    issue = mets.find(".//mets:dmdSec[@ID='DMD_ISSUE']//mods:mods", NS)
    assert issue.findtext("mods:titleInfo/mods:title", namespaces=NS) == "达拉特报"
    assert issue.findtext("mods:originInfo/mods:dateIssued", namespaces=NS) == "2023-03-17"
    assert issue.findtext("mods:part/mods:detail[@type='issue']/mods:number", namespaces=NS) == "21"
    assert issue.findtext("mods:part/mods:detail[@type='running']/mods:number", namespaces=NS) == "3021"
    assert issue.findtext("mods:part/mods:extent/mods:total", namespaces=NS) == "1"
    lead = mets.find(".//mets:structMap[@TYPE='LOGICAL']//mets:div[@LABEL='达拉特旗：干部下基层 聚力促振兴']", NS)
    dmd = mets.find(f".//mets:dmdSec[@ID='{lead.get('DMDID')}']//mods:mods", NS)
    assert dmd.findtext("mods:part/mods:detail[@type='section']/mods:title", namespaces=NS) == "要闻"
    assert dmd.findtext("mods:genre", namespaces=NS) == "article"
    agent = mets.find(".//mets:metsHdr/mets:agent", NS)
    assert agent.findtext("mets:name", namespaces=NS).startswith("paperlayout ")
    assert "style broadsheet" in agent.findtext("mets:name", namespaces=NS)
    note = agent.findtext("mets:note", namespaces=NS)
    digest = hashlib.sha256((ROOT / "fonts" / "NotoSerifSC-Regular.ttf").read_bytes()).hexdigest()
    assert f"NotoSerifSC-Regular.ttf sha256:{digest}" in note
    assert "/" not in note  # names and hashes, no paths
    assert mets.find(".//mets:metsHdr", NS).get("CREATEDATE") == "2023-03-17T05:00:00+08:00"


def test_logical_map_names_every_story_block(sample_bag):
    """Every story is one logical division, in reading order, whose areas are exactly the
    TextBlocks and Illustrations of its ComposedBlock in the page's ALTO."""
    mets = etree.parse(str(sample_bag / "data" / "mets.xml"))
    alto = etree.parse(str(sample_bag / "data" / "alto" / "page-01.xml"))
    divs = mets.findall(".//mets:structMap[@TYPE='LOGICAL']/mets:div/mets:div", NS)
    assert [d.get("TYPE") for d in divs] == ["masthead", "article", "banner", "article", "article", "article",
                                             "article", "briefs"]
    for div, story in zip(divs[1:], SAMPLE_STORIES):
        block = alto.find(f".//alto:ComposedBlock[@ID='P1_{story}']", NS)
        expected = [e.get("ID") for e in block.iter(f"{{{NS['alto']}}}TextBlock", f"{{{NS['alto']}}}Illustration")]
        areas = div.findall(".//mets:area", NS)
        assert [a.get("BEGIN") for a in areas] == expected and expected
        assert {a.get("FILEID") for a in areas} == {"ALTO_01"} and {a.get("BETYPE") for a in areas} == {"IDREF"}
    physical = mets.findall(".//mets:structMap[@TYPE='PHYSICAL']/mets:div/mets:div", NS)
    assert [(p.get("ORDER"), p.get("ORDERLABEL"), p.get("LABEL")) for p in physical] == [("1", "1", "第1版 要闻")]
    assert physical[0].find("mets:fptr", NS).get("FILEID") == "ALTO_01"


def test_same_input_same_bag_bytes_anywhere(tmp_path, sample_bag):
    """A copy of the issue in another folder, built again: every file of the bag identical."""
    copy = tmp_path / "elsewhere" / "deep" / "dalate"
    shutil.copytree(SAMPLE, copy)
    again = _package(copy, tmp_path)
    assert _files(again) == _files(sample_bag)


def test_bagging_date_from_source_date_epoch_and_mod_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    bag = _package(SAMPLE, tmp_path / "a")
    assert bagit.Bag(str(bag)).info["Bagging-Date"] == "2023-11-14"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    rebuilt = _package(SAMPLE, tmp_path / "b", "--mod-date", "2026-11-29T10:00")
    assert bagit.Bag(str(rebuilt)).info["Bagging-Date"] == "2026-11-29"
    header = etree.parse(str(rebuilt / "data" / "mets.xml")).find(".//mets:metsHdr", NS)
    assert header.get("CREATEDATE") == "2023-03-17T05:00:00+08:00"
    assert header.get("LASTMODDATE") == "2026-11-29T10:00:00+08:00"


def test_package_folder_not_empty_is_refused(tmp_path):
    (tmp_path / "bag").mkdir()
    (tmp_path / "bag" / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(tmp_path / "x.pdf"), "--package", str(tmp_path / "bag")])
    assert result.exit_code == 2
    assert "--package" in result.output and "not empty" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.pdf").exists()  # said before the layout, nothing written
    assert (tmp_path / "bag" / "keep.txt").read_text() == "mine"


def _jump_issue(folder: Path) -> Path:
    """The sample on two 四开 pages (as tests/e2e/test_jump.py): the lead jumps to page 2."""
    data = yaml.safe_load((SAMPLE / "issue.yaml").read_text(encoding="utf-8"))
    data["issue"]["preset"] = "tabloid"
    stories = {s["id"]: s for s in data["pages"][0]["stories"]}
    stories["lead"]["photos"] = stories["lead"]["photos"][:2]
    page1 = ["lead", "campaign-banner", "counterfeit-destroyed", "spokesperson-training", "dalate-experience-lectures"]
    data["pages"] = [{"number": 1, "section": "要闻", "stories": [stories[i] for i in page1]},
                     {"number": 2, "section": "综合", "stories": [stories[i] for i in ("discipline-commission-village", "briefs")]}]
    shutil.copytree(SAMPLE / "photos", folder / "photos")
    (folder / "issue.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_jumped_story_is_one_article_across_pages(tmp_path, mets_schema):
    bag = _package(_jump_issue(tmp_path / "issue"), tmp_path)
    bagit.Bag(str(bag)).validate()
    mets = etree.parse(str(bag / "data" / "mets.xml"))
    mets_schema.assertValid(mets)
    alto2 = etree.parse(str(bag / "data" / "alto" / "page-02.xml"))
    continued = [b.get("ID") for b in alto2.iterfind(".//alto:PrintSpace/alto:ComposedBlock", NS)
                 if b.get("ID").startswith("P2_lead")]
    assert continued, "the lead continues on page 2 (the jump this test is about)"
    lead = mets.find(".//mets:structMap[@TYPE='LOGICAL']//mets:div[@LABEL='达拉特旗：干部下基层 聚力促振兴']", NS)
    areas = [(a.get("FILEID"), a.get("BEGIN")) for a in lead.iterfind(".//mets:area", NS)]
    files = [f for f, _ in areas]
    assert files[0] == "ALTO_01" and files[-1] == "ALTO_02" and files == sorted(files)  # page 1, then page 2
    part2 = [e.get("ID") for cid in continued
             for e in alto2.find(f".//alto:ComposedBlock[@ID='{cid}']", NS).iter(
                 f"{{{NS['alto']}}}TextBlock", f"{{{NS['alto']}}}Illustration")]
    assert [b for f, b in areas if f == "ALTO_02"] == part2
    assert len(mets.findall(".//mets:structMap[@TYPE='LOGICAL']//mets:div[@LABEL='达拉特旗：干部下基层 聚力促振兴']", NS)) == 1
    dmd = mets.find(f".//mets:dmdSec[@ID='{lead.get('DMDID')}']//mods:extent", NS)
    assert (dmd.findtext("mods:start", namespaces=NS), dmd.findtext("mods:end", namespaces=NS)) == ("1", "2")
    links = {(s.get(f"{{{NS['xlink']}}}from"), s.get(f"{{{NS['xlink']}}}to")) for s in mets.iterfind(".//mets:smLink", NS)}
    assert {(lead.get("ID"), "PHYS_1"), (lead.get("ID"), "PHYS_2")} <= links


def test_batch_package_per_issue_valid_same_bytes_and_resumable(tmp_path, mets_schema):
    """`batch --package`: one bag per issue (OUT/<name>.bag), valid, the same bytes with -j 2 as
    with -j 1, skipped when up to date, rebuilt when a bag file was changed; a broken issue
    gets no bag and does not stop the rest."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("batch_demo", ROOT / "scripts" / "batch_demo.py")
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    names = demo.make_tree(tmp_path / "tree", 3, broken=(1,))

    def batch(out: Path, *extra: str):
        return CliRunner().invoke(main, ["batch", str(tmp_path / "tree"), "-o", str(out), "--package",
                                         "--no-progress", *extra])

    one = batch(tmp_path / "one")
    assert one.exit_code == 1, one.output  # the broken issue
    two = batch(tmp_path / "two", "-j", "2")
    assert two.exit_code == 1, two.output
    for name in (names[0], names[2]):
        bag = tmp_path / "one" / f"{name}.bag"
        bagit.Bag(str(bag)).validate()
        mets_schema.assertValid(etree.parse(str(bag / "data" / "mets.xml")))
        assert (bag / "data" / "pdf" / "press.pdf").read_bytes() == (tmp_path / "one" / f"{name}.pdf").read_bytes()
        assert _files(bag) == _files(tmp_path / "two" / f"{name}.bag")
    assert not (tmp_path / "one" / f"{names[1]}.bag").exists()
    again = batch(tmp_path / "one")
    assert "built           0" in again.output and "skipped         2" in again.output, again.output
    touched = tmp_path / "one" / f"{names[0]}.bag" / "data" / "mets.xml"
    touched.write_bytes(touched.read_bytes() + b" ")
    third = batch(tmp_path / "one")
    assert "built           1" in third.output and "skipped         1" in third.output, third.output
    bagit.Bag(str(tmp_path / "one" / f"{names[0]}.bag")).validate()  # replaced by a whole new bag
    assert not [p for p in (tmp_path / "one" / names[0]).parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_sources_keep_relative_paths_and_both_outside_files_of_one_name(tmp_path):
    """Photos in the issue folder keep their path relative to the YAML; photos outside it (an
    issue built with --root) go to external/, and two different outside files of the same
    name are both kept (the second under its hash), never one silently dropped."""
    import datetime as dt

    from paperlayout.model import Issue, Page, Paper, Photo, Story
    from paperlayout.package import _sources

    (tmp_path / "issue" / "photos").mkdir(parents=True)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "issue" / "issue.yaml").write_text("x")
    (tmp_path / "issue" / "photos" / "in.jpg").write_bytes(b"in")
    (tmp_path / "a" / "same.jpg").write_bytes(b"one")
    (tmp_path / "b" / "same.jpg").write_bytes(b"two")
    photos = tuple(Photo(p) for p in (tmp_path / "issue" / "photos" / "in.jpg", tmp_path / "a" / "same.jpg",
                                      tmp_path / "b" / "same.jpg", tmp_path / "missing.jpg"))
    issue = Issue(Paper("报"), dt.date(2024, 1, 2), 1, (Page(1, "要闻", (Story("s", photos=photos),)),),
                  source=tmp_path / "issue" / "issue.yaml")
    found = {rel: path.read_bytes() for rel, path in _sources(issue)}
    digest = hashlib.sha256(b"two").hexdigest()[:12]
    assert found == {"issue.yaml": b"x", "photos/in.jpg": b"in", "external/same.jpg": b"one",
                     f"external/{digest}-same.jpg": b"two"}
