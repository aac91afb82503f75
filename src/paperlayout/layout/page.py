"""Page furniture (版面装饰): the nameplate band on page 1 (报头) and running heads (报眉).

All from the issue file; the date line carries the weekday and the lunar date (农历), which
is computed with the `lunardate` tables (1900–2099).
"""

from __future__ import annotations

import datetime as dt

from lunardate import LunarDate

from ..frames import BLACK, Rule, TextLine
from ..model import Issue, Page
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import LayoutContext

WEEKDAYS = "一二三四五六日"
DIGITS = "〇一二三四五六七八九"
STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
LUNAR_MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
LUNAR_DAYS = ("初", "十", "廿", "三")

#: Below the nameplate, em of its size: Latin descenders (y, g, p) reach 0.27 em below the
#: baseline in Noto Serif SC Black, ideographs 0.10 em, so under a name with Latin letters
#: (any character before CJK_FIRST) the first line under it drops to clear them.
LATIN_DESCENDER_CLEARANCE = 0.3
#: First code point of the CJK blocks (CJK Radicals Supplement, U+2E80).
CJK_FIRST = 0x2E80


def gregorian(date: dt.date) -> str:
    """2023年3月17日 星期五"""
    return f"{date.year}年{date.month}月{date.day}日 星期{WEEKDAYS[date.weekday()]}"


def lunar(date: dt.date) -> str:
    """The lunar date, e.g. 癸卯年二月廿六 (闰 for leap months)."""
    ld = LunarDate.from_solar_date(date.year, date.month, date.day)
    year = STEMS[(ld.year - 4) % 10] + BRANCHES[(ld.year - 4) % 12]
    month = ("闰" if getattr(ld, "is_leap_month", None) else "") + LUNAR_MONTHS[ld.month - 1] + "月"
    day = ld.day
    if day == 10:
        name = "初十"
    elif day == 20:
        name = "二十"
    elif day == 30:
        name = "三十"
    else:
        name = LUNAR_DAYS[day // 10] + "一二三四五六七八九十"[day % 10 - 1]
    return f"农历{year}年{month}{name}"


def _text(ctx: LayoutContext, text: str, style, x: float, baseline: float, align: str = "left", role: str = "furniture") -> TextLine:
    line = ctx.line(text, style.face, style.size, style.tracking)
    if align == "right":
        x -= line.width
    elif align == "centre":
        x -= line.width / 2
    return TextLine(x, baseline, line, color=style.color, role=role)


def masthead(ctx: LayoutContext, issue: Issue, page: Page) -> tuple:
    """Page 1 nameplate band: paper name at left, the ear (报眼) details at right, double rule."""
    styles = ctx.styles
    g = styles.page
    top, height = g.row_y(0), styles.masthead_rows * g.line_pitch
    left, right = g.margin_left, g.margin_left + g.type_width
    np_style = styles.nameplate
    items: list = []
    baseline = top + height * 0.58
    items.append(_text(ctx, issue.paper.name, np_style, left, baseline, role="nameplate"))
    small = styles.furniture
    sub = [issue.paper.publisher] if issue.paper.publisher else []
    if issue.paper.sample:
        sub.append("样张（报名、刊号等为示例）")
    latin = any(ord(c) < CJK_FIRST for c in issue.paper.name)
    drop = LATIN_DESCENDER_CLEARANCE * np_style.size + small.size if latin else 0.0
    y = baseline + max(small.size * 2.0, drop)
    for text in sub:
        items.append(_text(ctx, text, small, left, y))
        y += small.size * 1.5
    numbers = f"第{issue.number}期"
    if issue.running_number:
        numbers += f"（总第{issue.running_number}期）"
    ear = [gregorian(issue.date), lunar(issue.date), numbers]
    if len(issue.pages) > 1:
        ear.append(f"今日{len(issue.pages)}版")
    if issue.paper.cn:
        ear.append(f"国内统一刊号：{issue.paper.cn}")
    if issue.paper.postal_code:
        ear.append(f"邮发代号：{issue.paper.postal_code}")
    pitch = small.size * 1.55
    y = top + (height - pitch * len(ear)) / 2 + small.size
    for text in ear:
        items.append(_text(ctx, text, small, right, y, align="right"))
        y += pitch
    foot = top + height - 4
    items.append(Rule(left, foot - 3, right, foot - 3, weight=2.0))
    items.append(Rule(left, foot, right, foot, weight=0.5))
    return tuple(items)


def running_head(ctx: LayoutContext, issue: Issue, page: Page) -> tuple:
    """Inner-page running head: 第N版 and 版名 at left; date, paper and editor at right; rule."""
    styles = ctx.styles
    g = styles.page
    top, height = g.row_y(0), styles.running_head_rows * g.line_pitch
    left, right = g.margin_left, g.margin_left + g.type_width
    baseline = top + height - 0.8 * g.line_pitch
    items: list = [_text(ctx, f"第{page.number}版\u3000{page.section}", styles.running_head, left, baseline)]
    parts = [gregorian(issue.date), issue.paper.name]
    if page.editor:
        parts.append(f"责任编辑：{page.editor}")
    if page.proofreader:
        parts.append(f"校对：{page.proofreader}")
    items.append(_text(ctx, "\u3000".join(parts), styles.furniture, right, baseline, align="right"))
    items.append(Rule(left, top + height - 3, right, top + height - 3, weight=1.0, color=BLACK))
    return tuple(items)


def furniture(ctx: LayoutContext, issue: Issue, page: Page) -> tuple[tuple, int]:
    """The page's furniture and how many grid rows it takes from the type area's top."""
    if page.number == 1:
        return masthead(ctx, issue, page), ctx.styles.masthead_rows
    return running_head(ctx, issue, page), ctx.styles.running_head_rows
