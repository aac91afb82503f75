"""Make the corpus's stand-in photos (deterministic JPEGs) in tests/corpus/photos/.

The corpus issues name photos as ``../photos/NAME.jpg``. The pictures are drawn, not shot: a
sky, hills, buildings and figures from a seeded generator, with marks that make an editor's
problems visible on a proof — a circle in the centre (it turns into an ellipse if the photo is
stretched), L-shaped marks in the four corners (a missing mark means that side was cropped),
the rule-of-thirds lines, and the file name with its pixel size.

Pixel sizes are those a picture desk would deliver for the placed size (≈ 200 ppi at the span
the photo is meant for), except ``lowres-scan.jpg`` (200 × 140 px), the deliberate
low-resolution case. Same Pillow → same bytes (no clock, no randomness outside the seeds).

    python tests/corpus/make_photos.py            # writes only the missing files
    python tests/corpus/make_photos.py --force    # rewrites every file
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
OUT = HERE / "photos"

#: name → (width px, height px, seed, scene). Why each size is in the comment.
PHOTOS: dict[str, tuple[int, int, int, str]] = {
    "street-market": (1600, 1067, 1, "town"),        # 3:2, up to 4 broadsheet columns at 200 ppi
    "farm-tractor": (1600, 1067, 2, "field"),        # 3:2
    "classroom": (1500, 1000, 3, "room"),            # 3:2
    "meeting-hall": (1600, 1067, 4, "room"),         # 3:2
    "bridge": (1800, 1200, 5, "town"),               # 3:2, a lead photo of 4–5 columns
    "factory": (1600, 1067, 6, "town"),              # 3:2
    "wetland-birds": (1600, 1067, 7, "field"),       # 3:2
    "library": (1400, 1050, 8, "room"),              # 4:3
    "snow-field": (1600, 900, 9, "field"),           # 16:9
    "headshot": (600, 800, 10, "person"),            # 3:4, a mug shot for one or two columns
    "river-panorama": (3600, 1000, 11, "field"),     # 3.6:1 panorama across a broadsheet page
    "tower-portrait": (900, 2700, 12, "tower"),      # 1:3, a tall picture for two columns
    "lowres-scan": (200, 140, 13, "town"),           # deliberately low resolution (≈ 25 ppi at 2 columns)
    "festival-1": (2000, 1333, 21, "town"),          # photo page (图片版): a big lead picture
    "festival-2": (1600, 1200, 22, "field"),         # 4:3
    "festival-3": (1000, 1333, 23, "person"),        # 3:4 upright
    "festival-4": (2400, 1000, 24, "field"),         # 2.4:1 wide
    "festival-5": (1500, 1000, 25, "room"),          # 3:2
    "festival-6": (1000, 1000, 26, "person"),        # square
    "hk-street": (1500, 1000, 31, "town"),           # traditional-character story
    "lab": (1500, 1000, 32, "room"),                 # English / mixed copy
    "orchard": (1600, 1067, 33, "field"),
    "old-house": (1200, 900, 34, "town"),            # 4:3
    "heat-station": (1500, 1000, 41, "room"),        # 3:2, a 2–3 column news photo (30, page 2)
    "congress-hall": (1600, 1067, 42, "room"),       # 3:2, a second meeting photo (13)
    "football-final": (1920, 1080, 43, "field"),     # 16:9, a sports lead photo (37)
    "ski-race": (1200, 900, 44, "field"),            # 4:3 (37)
}


def _lerp(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def draw(width: int, height: int, seed: int, scene: str, label: str) -> Image.Image:
    """One stand-in picture of `width` × `height` px (RGB)."""
    rng = random.Random(seed)
    im = Image.new("RGB", (width, height))
    d = ImageDraw.Draw(im)
    top = (rng.randint(60, 120), rng.randint(120, 170), rng.randint(190, 240))
    low = (rng.randint(200, 240), rng.randint(210, 235), rng.randint(220, 250))
    horizon = int(height * (0.45 if scene != "room" else 0.25))
    for y in range(horizon):
        d.line([(0, y), (width, y)], fill=_lerp(top, low, y / max(1, horizon)))
    ground_a = (rng.randint(90, 140), rng.randint(110, 150), rng.randint(50, 80))
    ground_b = (rng.randint(50, 80), rng.randint(70, 100), rng.randint(30, 50))
    if scene == "room":
        ground_a, ground_b = (190, 170, 140), (120, 95, 70)
    for y in range(horizon, height):
        d.line([(0, y), (width, y)], fill=_lerp(ground_a, ground_b, (y - horizon) / max(1, height - horizon)))
    if scene != "room":
        r = min(width, height) // 12
        sx, sy = rng.randint(r, width - r), rng.randint(r, max(r + 1, horizon - r))
        d.ellipse([sx - r, sy - r, sx + r, sy + r], fill=(250, 230, 170))
        points = [(0, horizon)]
        for i in range(9):
            points.append((width * (i + 0.5) / 9, horizon - rng.randint(height // 20, height // 6)))
        points.append((width, horizon))
        d.polygon(points, fill=(rng.randint(70, 110), rng.randint(100, 130), rng.randint(90, 120)))
    if scene in ("town", "tower"):
        for _ in range(max(4, width // 150)):
            w = rng.randint(width // 20, width // 8)
            h = rng.randint(height // 10, int(height * (0.7 if scene == "tower" else 0.35)))
            x = rng.randint(0, width - w)
            colour = (rng.randint(140, 220), rng.randint(120, 200), rng.randint(110, 190))
            d.rectangle([x, horizon - h, x + w, horizon + height // 30], fill=colour)
            for wy in range(horizon - h + 10, horizon - 10, max(8, h // 8)):
                d.line([(x + 5, wy), (x + w - 5, wy)], fill=(80, 90, 110), width=max(1, height // 300))
    if scene == "field":
        for i in range(0, width, max(6, width // 40)):
            d.line([(i, height), (width / 2 + (i - width / 2) * 0.2, horizon)], fill=ground_b, width=max(1, width // 400))
    people = 2 if scene == "person" else rng.randint(3, 8)
    for _ in range(people):
        scale = (0.45 if scene == "person" else rng.uniform(0.08, 0.18)) * height
        x = rng.randint(int(scale / 2), max(int(scale / 2) + 1, width - int(scale / 2)))
        y = rng.randint(horizon, height) if scene != "person" else int(height * 0.95)
        head = scale / 6
        body_colour = (rng.randint(20, 220), rng.randint(20, 120), rng.randint(20, 120))
        d.ellipse([x - scale / 5, y - scale * 0.75, x + scale / 5, y], fill=body_colour)
        d.ellipse([x - head / 2, y - scale * 0.75 - head, x + head / 2, y - scale * 0.75], fill=(235, 200, 170))
    # editor's marks: thirds, centre circle, corner Ls, label
    mark = (255, 235, 0)
    line = max(1, min(width, height) // 250)
    for k in (1, 2):
        d.line([(width * k / 3, 0), (width * k / 3, height)], fill=(255, 255, 255), width=line)
        d.line([(0, height * k / 3), (width, height * k / 3)], fill=(255, 255, 255), width=line)
    r = min(width, height) * 0.18
    cx, cy = width / 2, height / 2
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=mark, width=line * 3)
    arm = min(width, height) // 8
    for x0, y0, dx, dy in ((0, 0, 1, 1), (width - 1, 0, -1, 1), (0, height - 1, 1, -1), (width - 1, height - 1, -1, -1)):
        d.line([(x0, y0), (x0 + dx * arm, y0)], fill=(230, 0, 0), width=line * 4)
        d.line([(x0, y0), (x0, y0 + dy * arm)], fill=(230, 0, 0), width=line * 4)
    size = max(8, min(width, height) // 14)
    try:
        font = ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    text = f"{label}  {width}x{height}px"
    d.text((arm + line * 6, line * 6), text, fill=(255, 255, 255), font=font, stroke_width=max(1, size // 12), stroke_fill=(0, 0, 0))
    return im


def make(force: bool = False, out: Path = OUT) -> list[Path]:
    """Write every photo that is missing (or all with `force`); returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (width, height, seed, scene) in PHOTOS.items():
        path = out / f"{name}.jpg"
        if path.exists() and not force:
            continue
        image = draw(width, height, seed, scene, name)
        tmp = path.with_suffix(".part")
        image.save(tmp, "JPEG", quality=82, optimize=True, dpi=(200, 200))
        tmp.replace(path)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help="rewrite every photo")
    args = parser.parse_args()
    for path in make(args.force):
        print(path.relative_to(HERE.parents[1]))


if __name__ == "__main__":
    main()
