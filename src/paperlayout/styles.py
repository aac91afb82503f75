"""House style (版式): page geometry, the grid and text styles, with broadsheet and tabloid presets.

Lengths are points unless a name says otherwise; type sizes may be given as 号 names in the
tables below and are converted with units.size_pt. The grid: a page has ``columns`` basic
columns (基本栏) of ``column_chars`` body characters separated by ``gutter_chars`` characters;
the type area's height is a whole number of baseline rows of ``line_pitch`` points.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .frames import BLACK, Cmyk
from .units import mm, size_pt


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """Trim size, margins and the grid (all pt). Type area is centred horizontally."""

    trim_width: float
    trim_height: float
    margin_top: float
    columns: int
    column_chars: int
    gutter_chars: int
    body_size: float
    line_pitch: float  # baseline to baseline, pt (行距 + 字高)
    rows: int  # type-area height in rows
    bleed: float = mm(3)

    @property
    def char(self) -> float:
        """One body character (1 em of body type), pt."""
        return self.body_size

    def span_chars(self, columns: int) -> int:
        """Characters across `columns` basic columns including inner gutters: 13n + (n − 1)."""
        return self.column_chars * columns + self.gutter_chars * (columns - 1)

    def span_width(self, columns: int) -> float:
        """Width in pt of `columns` basic columns with their inner gutters."""
        return self.span_chars(columns) * self.char

    @property
    def type_width(self) -> float:
        return self.span_width(self.columns)

    @property
    def type_height(self) -> float:
        return self.rows * self.line_pitch

    @property
    def margin_left(self) -> float:
        return (self.trim_width - self.type_width) / 2

    def column_x(self, column: int) -> float:
        """Left edge (pt from the trim's left) of basic column `column` (0-based)."""
        step = (self.column_chars + self.gutter_chars) * self.char
        return self.margin_left + column * step

    def row_y(self, row: int) -> float:
        """Top edge (pt from the trim's top) of grid row `row` (0-based)."""
        return self.margin_top + row * self.line_pitch

    def baseline(self, row: int, size: float | None = None) -> float:
        """Baseline (pt from trim top) of body type of `size` centred in grid row `row`.

        The ideographic em box (top 0.88 em above the baseline, 0.12 em below, as in the
        Noto CJK and most Chinese fonts) is centred in the row.
        """
        size = self.body_size if size is None else size
        return self.row_y(row) + (self.line_pitch - size) / 2 + 0.88 * size

    def rows_for(self, height: float) -> int:
        """Whole rows needed to hold `height` pt."""
        from math import ceil

        return max(0, ceil(height / self.line_pitch - 1e-6))


@dataclass(frozen=True, slots=True)
class TextStyle:
    """A text style: face key (see Styles.faces), size in pt, extra tracking in em, colour."""

    face: str
    size: float
    tracking: float = 0.0
    color: Cmyk = BLACK


@dataclass(frozen=True, slots=True)
class HeadTier:
    """Headline sizes for one importance tier: main head candidate sizes (largest first)."""

    face: str
    sizes: tuple[float, ...]
    max_lines: int = 2


RED = Cmyk(m=1.0, y=1.0)  # 报头红 for the nameplate and banner


@dataclass(frozen=True)
class Styles:
    """The house style sheet. One preset per paper format; see PRESETS."""

    name: str
    page: PageGeometry
    faces: dict[str, str] = field(
        default_factory=lambda: {
            "serif": "NotoSerifSC-Regular.ttf",
            "serif-bold": "NotoSerifSC-Bold.ttf",
            "serif-black": "NotoSerifSC-Black.ttf",
            "sans-bold": "NotoSansSC-Bold.ttf",
            "sans-black": "NotoSansSC-Black.ttf",
            "kai": "LXGWWenKai-Regular.ttf",
        }
    )
    fallbacks: tuple[str, ...] = ("serif", "kai", "sans-bold")
    punctuation: str = "quanjiao"  # 全角式 (GB/T 15834 norm): marks keep a full em except at line ends and in pairs
    prohibition: str = "basic"
    han_latin_space: float = 0.125  # em
    body_face: str = "serif"
    dateline: TextStyle = TextStyle("sans-bold", 9.0)
    byline: TextStyle = TextStyle("kai", 9.0)
    crosshead: TextStyle = TextStyle("sans-bold", 10.5)
    caption: TextStyle = TextStyle("kai", 9.0)
    kicker: TextStyle = TextStyle("kai", 15.0)
    subhead: TextStyle = TextStyle("kai", 14.0)
    briefs_head: TextStyle = TextStyle("sans-black", 16.0)
    banner: TextStyle = TextStyle("sans-black", 22.0, tracking=0.2, color=Cmyk())
    banner_fill: Cmyk = RED
    nameplate: TextStyle = TextStyle("serif-black", 72.0, tracking=0.1, color=RED)
    furniture: TextStyle = TextStyle("serif", 9.0)
    jump: TextStyle = TextStyle("sans-bold", 9.0)  # 转版 lines: （下转第N版） / （上接第N版）
    running_head: TextStyle = TextStyle("sans-bold", 12.0)
    head_tiers: tuple[HeadTier, ...] = (
        HeadTier("serif-black", (48.0,) + tuple(map(size_pt, ("初号", "小初", "一号", "小一", "二号")))),
        HeadTier("sans-black", tuple(map(size_pt, ("小一", "二号", "小二")))),
        HeadTier("serif-bold", tuple(map(size_pt, ("二号", "小二", "三号", "四号")))),  # 四号: a one-column item's head that no break between words lets fit at 三号
    )
    rule_weight: float = 0.5
    masthead_rows: int = 12  # page 1 nameplate band (报头)
    running_head_rows: int = 3  # inner pages 报眉
    ink_limit: float = 240.0
    photo_ppi: float = 200.0

    def with_page(self, **changes) -> "Styles":
        return replace(self, page=replace(self.page, **changes))

    def font_paths(self, fonts_dir: Path) -> dict[str, Path]:
        return {key: fonts_dir / name for key, name in self.faces.items()}


def _broadsheet() -> Styles:
    """对开 broadsheet: 390 × 546 mm trim, 8 columns × 13 chars at 小五, 105 rows of 13.5 pt."""
    geometry = PageGeometry(
        trim_width=mm(390), trim_height=mm(546), margin_top=mm(23),
        columns=8, column_chars=13, gutter_chars=1, body_size=9.0, line_pitch=13.5, rows=105,
    )
    return Styles(name="broadsheet", page=geometry)


def _tabloid() -> Styles:
    """四开 tabloid: 273 × 390 mm trim, 6 columns × 12 chars at 小五, 74 rows of 13.5 pt."""
    geometry = PageGeometry(
        trim_width=mm(273), trim_height=mm(390), margin_top=mm(18.8),
        columns=6, column_chars=12, gutter_chars=1, body_size=9.0, line_pitch=13.5, rows=74,
    )
    return Styles(name="tabloid", page=geometry, masthead_rows=10, nameplate=TextStyle("serif-black", 56.0, tracking=0.1, color=RED))


PRESETS: dict[str, Styles] = {"broadsheet": _broadsheet(), "tabloid": _tabloid()}


def preset(name: str) -> Styles:
    """The house style for a preset name; KeyError lists the known names."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown preset {name!r}; known: {', '.join(PRESETS)}") from None


def default_fonts_dir() -> Path:
    """The repository's fonts/ folder (src/paperlayout/../../fonts)."""
    return Path(__file__).resolve().parents[2] / "fonts"
