"""ComposeStyle: the settings of the composer, declared once with units and defaults."""

from __future__ import annotations

from dataclasses import dataclass

from .rules import URL_BREAK_MODES, Prohibition, PunctuationStyle


@dataclass(frozen=True)
class ComposeStyle:
    """How to compose a paragraph (排版参数). Lengths in em are of ``size``.

    size: pt, type size (default 9 pt = 小五, newspaper body).
    indent: em, first-line indent (段首缩进), 2 for body text, 0 for heads and captions.
    punctuation: "quanjiao" 全角式 (default), "kaiming" 开明式 or "banjiao" 半角式.
        Default 全角式: the mainland standard (GB/T 15834—2011) and what mainland papers
        print; it keeps every mark on the character grid, so lines of Han and marks stay
        aligned across columns; marks are compressed only where a rule says so (line end,
        adjacent marks) or to push a line in.
    prohibition: "none", "basic" (default) or "strict" (行首行尾禁则, CLREQ §3.1.7).
    han_latin_space: em, space between Han and Latin letters/digits (default ⅛ em);
        none at line edges. CLREQ §3.2.
    han_latin_min / han_latin_max: em, how far that space may shrink / grow to justify.
    line_end_half: set a full-width mark at line end half width (GB/T 15834 §5.1.10).
    line_start_half: set an opening mark at line start half width (off by default).
    hanging: let one pause / sentence-end mark hang past the measure (行末悬挂标点); off
        by default — most Chinese publications do not hang.
    justify: justify non-final lines to the measure (True, body text) or set them flush
        left at natural width (False, captions and heads), breaking by the same rules.
    max_squeeze: em, largest amount the space between two characters may shrink to justify
        (0: characters never crowd; lines are pushed in only by compressing punctuation).
    avoid_lone: avoid a single character alone on a paragraph's last line
        (GB/T 15834 §5.1.11, 单字不成行).
    lookahead: candidate breaks considered per line by the total-fit breaker (≥ 1).
    lang: language of the Latin words, for hyphenation (西文断词): a pyphen dictionary code
        ("en_US", "en_GB", "de_DE" …; "en" means en_US, rules.LANG_ALIASES); "" turns
        dictionary hyphenation off (words then break only in emergencies, reported).
        Default en_US: English is the Latin text Chinese papers print most. The issue's
        and the story's ``lang`` field (loader: ``latin.language_code``) set it for the
        story's body and captions.
    url_breaks: where a URL, e-mail address or path may break (rules.URL_BREAK_MODES):
        "marks" (default) only after / . - _ ? & =, "anywhere" also between any two of its
        characters, as the story's ``url_breaks`` field asks (each such break an info).
    """

    size: float = 9.0
    indent: float = 2.0
    punctuation: str = PunctuationStyle.QUANJIAO.value
    prohibition: str = Prohibition.BASIC.value
    han_latin_space: float = 0.125
    han_latin_min: float = 0.0625
    han_latin_max: float = 0.25
    line_end_half: bool = True
    line_start_half: bool = False
    hanging: bool = False
    justify: bool = True
    max_squeeze: float = 0.0
    avoid_lone: bool = True
    lookahead: int = 3
    lang: str = "en_US"
    url_breaks: str = "marks"

    def __post_init__(self) -> None:
        PunctuationStyle(self.punctuation)
        Prohibition(self.prohibition)
        if self.size <= 0:
            raise ValueError(f"size must be positive, got {self.size}")
        if not (0 <= self.han_latin_min <= self.han_latin_space <= self.han_latin_max):
            raise ValueError("need 0 <= han_latin_min <= han_latin_space <= han_latin_max")
        if self.lookahead < 1:
            raise ValueError("lookahead must be >= 1")
        if self.url_breaks not in URL_BREAK_MODES:
            raise ValueError(f"url_breaks must be one of {', '.join(URL_BREAK_MODES)}, got {self.url_breaks!r}")
        if self.lang != "en_US":
            from .latin import known_language

            if not known_language(self.lang):
                raise ValueError(f"no hyphenation dictionary for language {self.lang!r}; use a "
                                 f"pyphen code such as 'en_US', 'en_GB', 'de_DE', or '' for none")
