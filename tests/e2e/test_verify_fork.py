"""verify: a PDF of verify.FORK_PAGES pages or more is checked in two processes (the later
pages in a forked child) — the findings, the figures and the reading preflight(own=True)
reuses are exactly those of one process, a fault on a page the child checks included; a
child that fails hands its pages back to the parent."""

from __future__ import annotations

import datetime
import importlib.util
import os
from pathlib import Path

import pikepdf
import pytest

from paperlayout import preflight as pf
from paperlayout import forking, verify
from paperlayout.frames import TextLine
from paperlayout.verify import verify_laid

_spec = importlib.util.spec_from_file_location("pdf_tamper", Path(__file__).parent / "pdf_tamper.py")
tamper = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tamper)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is not available here")

TEXTS = ("走好新时代党的群众路线，深入开展“走基层”活动。", "今年以来，达拉特旗着力践行以人民为中心的发展思想，",
         "全旗上下聚力促振兴，干部下基层，群众得实惠。", "黄河几字弯，草原绿意浓，牧民的日子越过越红火。")


@pytest.fixture(scope="module")
def four():
    """Four tabloid pages of copy, rendered."""
    from paperlayout.build import lay_out, to_pdf
    from paperlayout.model import Issue, Page, Paper, Paragraph, Story

    pages = tuple(Page(number=n + 1, section="要闻", stories=tuple(
        Story(id=f"p{n}s{i}", head="干部下基层 聚力促振兴", body=tuple(Paragraph(TEXTS[n] * (3 + i)) for _ in range(4 + i)))
        for i in range(4))) for n in range(4))
    laid = lay_out(Issue(paper=Paper(name="测试报"), date=datetime.date(2023, 3, 17), number=1, preset="tabloid",
                         pages=pages))
    data, _ = to_pdf(laid)
    return laid, data


def body_lines(frame) -> list[TextLine]:
    return [it for it in frame.items() if isinstance(it, TextLine) and it.role == "body" and it.line.glyphs]


def faulty(laid, data: bytes) -> bytes:
    """A leaked Tz on page 1 (the parent's), a body line dropped on page 4 and a glyph
    moved off its place on page 3 (the child's)."""
    def origin(line):
        g = line.line.glyphs[0]
        return line.x + g.x + g.dx, line.y

    first = body_lines(laid.pages[0].frame)[3]

    def leak(ins):
        k = tamper.first_show(ins, *tamper.pdf_origin(data, 1, *origin(first)))
        return ins[:k] + [tamper.op("Tz", 116.6)] + ins[k:]

    lines4 = [it for it in laid.pages[3].frame.items() if isinstance(it, TextLine) and it.line.glyphs]
    dropped = body_lines(laid.pages[3].frame)[5]
    after = lines4[lines4.index(dropped) + 1]

    def drop(ins):
        start, end = tamper.line_span(ins, tamper.pdf_origin(data, 4, *origin(dropped)),
                                      tamper.pdf_origin(data, 4, *origin(after)))
        return ins[:start] + ins[end + 1:]

    moved = body_lines(laid.pages[2].frame)[2]
    x, y = tamper.pdf_origin(data, 3, *origin(moved))

    def nudge(ins):
        return tamper.move_first_glyph(ins, tamper.find_tm(ins, x, y), x + 2.0, y, moved.line.glyphs[0].width)

    out = tamper.edit_content(data, 1, leak)
    out = tamper.edit_content(out, 4, drop)
    return tamper.edit_content(out, 3, nudge)


@pytest.fixture
def forks(monkeypatch):
    """The fork calls made (the parent's view). Idle threads other tests leave behind would
    keep verify from forking: it is told it runs alone."""
    monkeypatch.setattr(verify, "_alone", lambda: True)
    monkeypatch.setattr(forking, "cores", lambda: 2)  # a one-CPU CI machine forks here too
    calls = []
    real = os.fork

    def fork():
        calls.append(1)
        return real()

    monkeypatch.setattr(os, "fork", fork)
    return calls


def alone(monkeypatch, *args, **kw):
    monkeypatch.setenv("PAPERLAYOUT_VERIFY_PROCESSES", "1")
    try:
        return verify_laid(*args, **kw)
    finally:
        monkeypatch.delenv("PAPERLAYOUT_VERIFY_PROCESSES")


def test_four_pages_split_between_two_processes_find_what_one_finds(four, forks, monkeypatch):
    laid, data = four
    broken = faulty(laid, data)
    one = alone(monkeypatch, broken, laid, readback=True)
    assert forks == []
    two = verify_laid(broken, laid, readback=True)
    assert forks == [1]
    assert two.diagnostics == one.diagnostics and two.figures == one.figures
    found = {(d.code, d.where.split(" / ")[0]) for d in two.errors}
    assert {("verify-width", "page 1"), ("verify-missing", "page 4"), ("verify-position", "page 3")} <= found
    assert one.figures["pages"] == 4 and one.figures["findings"]["verify-missing"] == 1
    assert verify_laid(data, laid).diagnostics == () and forks == [1, 1]


def test_forked_reading_is_the_reading_preflight_gets_from_one_process(four, forks, monkeypatch, tmp_path):
    laid, data = four
    one = alone(monkeypatch, data, laid, readback=True).readback
    two = verify_laid(data, laid, readback=True).readback
    assert forks == [1] and verify._split(two.pdf, 4) <= 2  # the child checks pages 3 and 4
    # every page, the child's and the parent's, keeps only what preflight needs once checked
    # (its glyphs are let go: the reading does not grow with every glyph of the issue)
    assert all(isinstance(p, verify._WholeBoxes) for p in two.pages)
    a, b = one.colour, two.colour
    assert (a.texts, a.paints, a.images, a.problems, a.problem_pages, a.spots) == \
           (b.texts, b.paints, b.images, b.problems, b.problem_pages, b.spots)
    for number in range(1, 5):
        m, n = one.marks[number], two.marks[number]
        assert (m.texts, m.vectors, m.unprovable) == (n.texts, n.vectors, n.unprovable) and m.texts
        assert [(box, x.objgen, s) for box, x, s in m.images] == [(box, x.objgen, s) for box, x, s in n.images]
        boxes_a, boxes_b = one.glyph_boxes(number), two.glyph_boxes(number)
        ranges = [(t[0], t[1]) for t in m.texts] + [(0, 3), (5, 60)]
        assert [boxes_a(*r) for r in ranges] == [boxes_b(*r) for r in ranges]
    probe = tmp_path / "four.pdf"
    probe.write_bytes(data)
    reports = [pf.preflight(probe, ink_limit=laid.styles.ink_limit, own=True, readback=r) for r in (one, two)]
    assert reports[0].to_json() == reports[1].to_json()


def test_a_failing_child_hands_its_pages_back(four, forks, monkeypatch):
    laid, data = four
    broken = faulty(laid, data)
    one = alone(monkeypatch, broken, laid, readback=True)

    def fail(*args):
        raise RuntimeError("the child breaks down")

    monkeypatch.setattr(verify, "_hand_over", fail)  # in the child: no results, exit status 1
    two = verify_laid(broken, laid, readback=True)
    assert forks == [1]
    assert two.diagnostics == one.diagnostics and two.figures == one.figures
    # the child's pages were read again here: their glyph boxes are the one-process reading's
    for number in (3, 4):
        ranges = [(t[0], t[1]) for t in one.readback.marks[number].texts]
        boxes_a, boxes_b = one.readback.glyph_boxes(number), two.readback.glyph_boxes(number)
        assert ranges and [boxes_a(*r) for r in ranges] == [boxes_b(*r) for r in ranges]


def test_no_fork_below_fork_pages_or_with_threads_running(four, forks, monkeypatch):
    import threading

    laid, data = four
    monkeypatch.setattr(verify, "FORK_PAGES", 5)
    verify_laid(data, laid)
    assert forks == []
    monkeypatch.setattr(verify, "FORK_PAGES", 4)
    monkeypatch.setattr(verify, "_alone", lambda: threading.active_count() == 1)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert verify_laid(data, laid).diagnostics == ()
    finally:
        stop.set()
        worker.join()
    assert forks == []
    monkeypatch.setattr(verify, "_alone", lambda: True)
    with pikepdf.open(__import__("io").BytesIO(data)) as pdf:
        assert verify._split(pdf, 4) in (1, 2, 3)


def test_a_child_whose_exit_status_is_lost_is_not_trusted(four, forks, monkeypatch):
    """With SIGCHLD ignored the child is reaped unseen: its pages are checked again here."""
    import signal

    laid, data = four
    broken = faulty(laid, data)
    one = alone(monkeypatch, broken, laid)
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        two = verify_laid(broken, laid)
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert forks == [1]
    assert two.diagnostics == one.diagnostics and two.figures == one.figures


def _scans_read(monkeypatch) -> list:
    """Weak references to every page scan this process reads from now on."""
    import weakref

    made = []
    real = verify._Reader.page

    def page(self, number, obj):
        scan = real(self, number, obj)
        made.append(weakref.ref(scan))
        return scan

    monkeypatch.setattr(verify._Reader, "page", page)
    return made


def test_each_page_read_here_is_let_go_once_checked(four, forks, monkeypatch):
    """The pages this process reads are freed as soon as checked (the collector is paused
    while reading: a scan kept in a cycle would stay to the end of the build)."""
    laid, data = four
    made = _scans_read(monkeypatch)
    kept = verify_laid(data, laid, readback=True)
    assert forks == [1] and made and kept.diagnostics == ()
    assert [r() for r in made] == [None] * len(made)
    assert all(isinstance(p, verify._WholeBoxes) for p in kept.readback.pages)


def test_mono_pages_keep_no_ink_marks_and_preflight_says_the_same(four, forks, tmp_path):
    """The pages preflight is told are mono (K by construction: their ink is never bounded
    from marks) keep no marks or glyph boxes once checked, here and in the child; preflight
    over that reading reports exactly what it reports over the whole one."""
    laid, data = four
    mono = frozenset({2, 3, 4})  # page 2 checked here, 3 and 4 by the child
    whole = verify_laid(data, laid, readback=True).readback
    lean = verify_laid(data, laid, readback=True, mono=mono).readback
    assert forks == [1, 1]
    assert sorted(lean.marks) == [1] and sorted(whole.marks) == [1, 2, 3, 4]
    assert lean.pages[1] is None and lean.pages[3] is None and lean.pages[0] is not None
    probe = tmp_path / "four.pdf"
    probe.write_bytes(data)
    reports = [pf.preflight(probe, ink_limit=laid.styles.ink_limit, own=True, mono_pages=mono, readback=r)
               for r in (whole, lean)]
    assert reports[0].to_json() == reports[1].to_json()


def test_one_process_checks_as_many_pages_one_by_one_and_lets_each_go(four, forks, monkeypatch):
    """With the child switched off (one CPU, PAPERLAYOUT_VERIFY_PROCESSES=1), FORK_PAGES pages
    or more are still read one at a time and let go once checked: the same findings, figures
    and reading as with the child, without every page's glyphs held to the end."""
    laid, data = four
    broken = faulty(laid, data)
    made = _scans_read(monkeypatch)
    one = alone(monkeypatch, broken, laid, readback=True)
    assert forks == [] and len(made) == 4 and [r() for r in made] == [None] * 4
    two = verify_laid(broken, laid, readback=True)
    assert forks == [1]
    assert one.diagnostics == two.diagnostics and one.figures == two.figures and one.diagnostics
    assert all(isinstance(p, verify._WholeBoxes) for p in one.readback.pages)
    for number in range(1, 5):
        ranges = [(t[0], t[1]) for t in one.readback.marks[number].texts]
        assert [one.readback.glyph_boxes(number)(*r) for r in ranges] == \
               [two.readback.glyph_boxes(number)(*r) for r in ranges]
