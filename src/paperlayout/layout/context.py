"""The layout context: house style, font book and a memo of composed text.

Composing a paragraph at a measure is pure and repeatable, and the planner tries each story
at several measures, so results are memoised here per build (never module-level state).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..diagnostics import Diagnostic, warning
from ..fonts import FontBook
from ..styles import Styles
from ..text import ComposeStyle, Composed, Line, Run, compose, measure_text, set_line
from ..text import segment

#: The composer's defaults for a story that sets neither (model.Story.lang, url_breaks).
LANG = ComposeStyle.lang
URL_BREAKS = ComposeStyle.url_breaks

try:  # the composer's line counter (no glyphs built), where it has one
    from ..text import count_lines
except ImportError:  # pragma: no cover
    count_lines = None


#: Stands for the caller's locator while a result is computed for the memo: composing is keyed
#: by content only (the same paragraph in two stories is composed once), and each caller gets
#: the diagnostics with its own ``where`` put in place of the anchor.
_ANCHOR = "\x00"


def _located(diagnostics: tuple[Diagnostic, ...], where: str) -> tuple[Diagnostic, ...]:
    """``diagnostics`` computed under ``_ANCHOR`` with ``where`` in its place."""
    if not diagnostics or not where:
        return diagnostics
    return tuple(replace(d, where=d.where.replace(_ANCHOR, where)) if _ANCHOR in d.where else d for d in diagnostics)


@dataclass
class LayoutContext:
    """Styles + fonts + memo. The memo only caches pure results; nothing else mutates.

    ``store``: the on-disk cache (paperlayout.cache) where story planners keep their
    measurements across builds, or None (``--no-cache``, tests); ``pending``: planners
    whose new measurements `flush` writes there."""

    styles: Styles
    fonts: FontBook
    _memo: dict = field(default_factory=dict, repr=False)
    store: object = field(default=None, repr=False)
    #: Story planners with measurements not yet in the store (`flush` writes them).
    pending: list = field(default_factory=list, repr=False)
    #: Pages laid out in this run: id → (weak reference, cache key) (layout/pagecache.py).
    computed_pages: dict = field(default_factory=dict, repr=False)
    #: True in a forked child laying out ahead (layout/ahead.py): it writes its jump searches'
    #: results into the store for the parent (`issue._split_to_fit`).
    foresee: bool = False
    #: The memo's `wrap` keys by text, and each one's place in the memo's order (`wraps_of`
    #: reads them without walking the whole memo once per story: quadratic in the pages).
    _wraps: dict = field(default_factory=dict, repr=False)
    _wrap_seq: dict = field(default_factory=dict, repr=False)
    #: The memo's `paragraph` keys since the last `release_paragraphs`.
    _set_keys: list = field(default_factory=list, repr=False)

    def release_paragraphs(self) -> None:
        """Forget the paragraphs composed with glyphs (`paragraph`) so far: a finished page
        holds the ones it uses, and the others (the measures its variants tried) would stay
        for the rest of the issue. Counts, display lines and wraps are kept (small, and a
        later page may ask for them again); a paragraph asked for again is composed again."""
        memo = self._memo
        for key in self._set_keys:
            memo.pop(key, None)
        self._set_keys = []

    def _note_wrap(self, k: tuple) -> None:
        if k not in self._wrap_seq:
            self._wrap_seq[k] = len(self._wrap_seq)
            self._wraps.setdefault(k[1], []).append(k)

    def seed(self, wraps: dict) -> None:
        """Put display lines read from the cache into the memo (entries `wraps_of` gave:
        keyed by every input of `wrap`, so they are what `wrap` would compute)."""
        for k, v in wraps.items():
            if isinstance(k, tuple) and k and k[0] == "w" and isinstance(v, Composed):
                if k not in self._memo:
                    self._memo[k] = v
                    self._note_wrap(k)

    def wraps_of(self, texts: set[str]) -> dict:
        """The memo's `wrap` results for `texts`, by memo key (for the story's cache entry)."""
        keys = [k for text in texts for k in self._wraps.get(text, ())]
        keys.sort(key=self._wrap_seq.__getitem__)  # in the memo's order
        return {k: self._memo[k] for k in keys}

    def flush(self) -> None:
        """Write the measurements computed in this run to the store, one entry per story
        (at the end of a layout: a story's spans are computed one by one as the planner
        asks). Planners in worker processes are not written."""
        pending, self.pending = self.pending, []
        for planner in pending:
            planner.save()

    def layout_key(self) -> str:
        """Hex digest of everything a measurement depends on besides the story itself: the
        cache's format, this code (every source file of the package), the Python and
        composing packages' versions, the whole house style and each font file's content
        (with its face name and collection member). Computed once per context."""
        hit = self._memo.get("layout-key")
        if hit is None:
            from .. import cache
            from ..fonts import _split_member

            fonts = []
            for face in sorted(self.fonts.faces):
                real, member = _split_member(self.fonts.faces[face])
                fonts.append((face, member, cache.file_digest(real, self.store)))
            hit = cache.key("layout", cache.code_digest(self.store), cache.environment(self.store),
                            repr(self.styles), tuple(fonts), tuple(self.fonts.fallbacks))
            self._memo["layout-key"] = hit
        return hit

    def compose_style(self, size: float | None = None, *, indent: float = 2.0, justify: bool = True,
                      lang: str = LANG, url_breaks: str = URL_BREAKS) -> ComposeStyle:
        """The composer settings of the house style at `size` pt (default: body size), for
        copy in `lang` (the story's hyphenation dictionary) whose URLs break as `url_breaks`
        says (model.Story)."""
        key = ("s", size, indent, justify, lang, url_breaks)
        hit = self._memo.get(key)
        if hit is None:
            s = self.styles
            hit = ComposeStyle(
                size=s.page.body_size if size is None else size,
                indent=indent,
                punctuation=s.punctuation,
                prohibition=s.prohibition,
                han_latin_space=s.han_latin_space,
                justify=justify,
                lang=lang,
                url_breaks=url_breaks,
            )
            self._memo[key] = hit
        return hit

    def paragraph(self, runs: tuple[Run, ...], chars: int, *, size: float | None = None,
                  indent: float = 2.0, justify: bool = True, where: str = "", lang: str = LANG,
                  url_breaks: str = URL_BREAKS) -> Composed:
        """Lines of a paragraph set `chars` characters wide (measure = chars × size, pt);
        the diagnostics located at `where`; `lang`, `url_breaks`: the story's (compose_style)."""
        key = ("p", runs, chars, size, indent, justify, not where, lang, url_breaks)
        hit = self._memo.get(key)
        if hit is None:
            style = self.compose_style(size, indent=indent, justify=justify, lang=lang, url_breaks=url_breaks)
            hit = compose(runs, chars * style.size, style, self.fonts, where=where and _ANCHOR)
            self._memo[key] = hit
            self._set_keys.append(key)
        if hit.diagnostics and where:
            return Composed(hit.lines, _located(hit.diagnostics, where))
        return hit

    def count(self, runs: tuple[Run, ...], chars: int, *, size: float | None = None,
              indent: float = 2.0, where: str = "", lang: str = LANG,
              url_breaks: str = URL_BREAKS) -> tuple[int, tuple[Diagnostic, ...]]:
        """How many lines the paragraph takes at `chars` characters, and the composer's findings,
        without building glyphs when the composer can count alone."""
        key = ("c", runs, chars, size, indent, not where, lang, url_breaks)
        hit = self._memo.get(key)
        if hit is None:
            composed = self._memo.get(("p", runs, chars, size, indent, True, not where, lang, url_breaks))
            if composed is not None:
                hit = (len(composed.lines), composed.diagnostics)
            elif count_lines is not None:
                style = self.compose_style(size, indent=indent, lang=lang, url_breaks=url_breaks)
                hit = count_lines(runs, chars * style.size, style, self.fonts, where=where and _ANCHOR)
            else:
                composed = self.paragraph(runs, chars, size=size, indent=indent, where=where and _ANCHOR,
                                          lang=lang, url_breaks=url_breaks)
                hit = (len(composed.lines), composed.diagnostics)
            self._memo[key] = hit
        if hit[1] and where:
            return hit[0], _located(hit[1], where)
        return hit

    def line(self, text: str, face: str, size: float, tracking: float = 0.0) -> Line:
        """One unjustified line of `text` in `face` at `size` pt with `tracking` em."""
        key = ("l", text, face, size, tracking)
        hit = self._memo.get(key)
        if hit is None:
            style = self.compose_style(size, indent=0.0, justify=False)
            hit = set_line((Run(text, face),), style, self.fonts, tracking=tracking)
            self._memo[key] = hit
        return hit

    def measure(self, text: str, face: str, size: float, tracking: float = 0.0) -> float:
        """Width in pt of ``line(text, face, size, tracking)``, without building glyphs."""
        key = ("m", text, face, size, tracking)
        hit = self._memo.get(key)
        if hit is None:
            line = self._memo.get(("l", text, face, size, tracking))
            if line is not None:
                hit = line.width
            else:
                style = self.compose_style(size, indent=0.0, justify=False)
                hit = measure_text((Run(text, face),), style, self.fonts, tracking=tracking)
            self._memo[key] = hit
        return hit

    def wrap(self, text: str, face: str, size: float, width: float, where: str = "") -> Composed:
        """Display lines of `text` (kicker, subhead, crosshead, byline) no wider than `width`
        pt, unjustified, broken only where ``text.segment`` allows (the editor's space,
        punctuation, between words), as few and as even as possible.

        When a word, quoted term or number is wider than `width` by itself it is broken
        by the composer after all, and a warning says so (``display-break``)."""
        key = ("w", text, face, size, round(width / size, 4), not where)
        hit = self._memo.get(key)
        if hit is None:
            located, where = where, where and _ANCHOR
            limit = width + 1e-6
            found = segment.best_lines(text, lambda line: self.measure(line, face, size) <= limit)
            if found is not None:
                hit = Composed(tuple(self.line(line, face, size) for line in found), ())
            else:
                style = self.compose_style(size, indent=0.0, justify=False)
                forced = compose((Run(segment.display_form(segment.normalise(text)), face),), width, style,
                                 self.fonts, where=where)
                note = warning("display-break", where or "display text",
                               f"{text!r} has a word, quoted term or number wider than {width:.1f} pt at "
                               f"{size:g} pt: broken inside it as {' / '.join(line.text for line in forced.lines)!r}; "
                               "shorten it or put a space where it may break")
                hit = Composed(forced.lines, forced.diagnostics + (note,))
            self._memo[key] = hit
            self._note_wrap(key)
            where = located
        if hit.diagnostics and where:
            return Composed(hit.lines, _located(hit.diagnostics, where))
        return hit
