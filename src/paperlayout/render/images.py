"""Photos for the press: crop, resample, separate to the output CMYK, limit ink.

The renderer (render/pdf.py) calls :func:`prepare_photo` for each picture box and draws
``encode_for_pdf(prepared)`` with ``canvas.drawImage`` at the placed size. Steps, in
order (each a small function below):

1. open    — decode, apply the EXIF orientation, flatten alpha onto white paper;
2. crop    — the part of the source that fills the box (cover crop, or the editor's box);
3. sample  — down to ``target_ppi`` at placed size; never up (low resolution is reported);
4. separate — source ICC profile (sRGB if none) → output CMYK profile, or → grey (K) for
   mono pages, through the output profile's own K tone curve;
5. limit   — measure total area coverage (TAC, C+M+Y+K in %) on the separated pixels;
   above the limit apply a deterministic GCR then a CMY scale, and measure again.

Units: placed sizes in points (1/72 in); resolutions in pixels per inch (ppi); ink in
percent (400 % = four solids). Image coordinates (crop boxes) have their origin at the
top-left of the source image, as in Pillow. Everything is deterministic: same file,
same arguments, same Pillow/LittleCMS → same pixels.

What reportlab does with images (checked in tests/press/test_images.py):
* an ``ImageReader`` wrapping a PIL ``CMYK`` image is written as ``/DeviceCMYK``,
  8 bit, ``/FlateDecode``, with the raw C, M, Y, K bytes (no inversion); ``L`` images as
  ``/DeviceGray``;
* a JPEG *file path* is copied through as ``/DCTDecode``; for 4-channel JPEGs reportlab
  always adds ``/Decode [1 0 1 0 1 0 1 0]``, i.e. assumes the Adobe inverted-CMYK
  convention. Pillow writes CMYK JPEGs that way, so Pillow JPEGs come out right; a
  non-inverted CMYK JPEG from another tool would print as a negative. We therefore
  never pass paths: :func:`encode_for_pdf` hands reportlab an ``ImageReader``;
* ``drawImage`` needs an ``ImageReader`` or a file name (reportlab 5.1 raises TypeError
  for a bare PIL image); the XObject name is a digest of the pixels, so equal pixels give
  equal bytes;
* reportlab wraps image streams in ``/ASCII85Decode`` + ``/FlateDecode``
  (``rl_config.useA85``); pdfx.finalize (qpdf) rewrites them as plain ``/FlateDecode``.
"""

from __future__ import annotations

import functools
import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageMath, ImageOps

from paperlayout.limits import DEFAULT as DEFAULT_LIMITS
from paperlayout.units import PT_PER_INCH

log = logging.getLogger(__name__)

from .icc import DEFAULT_PROFILE_NAME, default_output_profile  # noqa: E402,F401  (their home is icc.py)

#: Below this effective resolution a photo prints visibly soft (PRESS.md: hard floor).
PPI_FLOOR = 150.0

#: Largest photo decoded by default, width × height px: the default of limits.Limits.image_pixels
#: (a run passes its own as ``max_pixels``). A PNG or JPEG claiming 60000 × 60000 is refused
#: from its header, before any decoding.
MAX_PIXELS = DEFAULT_LIMITS.image_pixels


class ImageInputError(ValueError):
    """A photo or profile that cannot be used (bad input, exit 2); the message names it."""


def check_pixels(path: Path, size: tuple[int, int], limit: int = MAX_PIXELS) -> None:
    """Raise ImageInputError when ``size`` (w, h px) is over ``limit`` (w × h px)."""
    if size[0] * size[1] > limit:
        raise ImageInputError(f"{path}: {size[0]} × {size[1]} px is over the limit of {limit:,} pixels "
                              "(image_pixels) — scale the photo down")


def output_profile_problems(icc: bytes) -> list[str]:
    """Why ``icc`` cannot be this tool's output profile (empty if LittleCMS can separate to it).

    The output of a newspaper page is CMYK (mono pages are made K-only from it), so a grey
    or RGB profile is refused; so is a profile LittleCMS cannot build a transform with
    (broken, header-only, or a v4 construct Pillow's LittleCMS does not read)."""
    if _colour_space(icc) != "CMYK":
        space = _colour_space(icc).strip() or "not an ICC profile"
        return [f"the profile's colour space is {space}, but the output of a newspaper page needs a CMYK profile"]
    try:
        _transform(SRGB, icc, "RGB", "CMYK", "perceptual")
        _transform(icc, LAB, "CMYK", "LAB", "relative")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
        return [f"LittleCMS cannot use the profile ({str(exc).strip() or type(exc).__name__})"]
    return []

_INTENTS = {
    "perceptual": ImageCms.Intent.PERCEPTUAL,
    "relative": ImageCms.Intent.RELATIVE_COLORIMETRIC,
    "saturation": ImageCms.Intent.SATURATION,
    "absolute": ImageCms.Intent.ABSOLUTE_COLORIMETRIC,
}


@dataclass(frozen=True)
class PreparedImage:
    """A photo ready to be drawn at its placed size.

    image: mode "CMYK" (process colour) or "L" (DeviceGray = K only; 0 is solid black),
        already cropped and resampled; its pixels are the plate values.
    ppi: effective resolution at placed size of ``image`` (px per inch, smaller of x/y).
    source_ppi: what the source could give at that size before resampling — this is the
        figure the low-resolution warning is about.
    max_ink: largest total area coverage over the pixels, % (C+M+Y+K; for "L", K).
    warnings: human messages naming the file (low resolution, crop trimmed, …).
    source: the file read.
    ink_before_limit: max TAC straight out of the profile, before the limit step, %.
    crop_px: the source region used, (x0, y0, x1, y1) in source pixels, top-left origin.
    ink_limit: the limit the plate was made to, % (encode_for_pdf keeps JPEGs under it).
    """

    image: Image.Image
    ppi: float
    source_ppi: float
    max_ink: float
    warnings: tuple[str, ...]
    source: Path | None = None
    ink_before_limit: float = 0.0
    crop_px: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    ink_limit: float = 400.0


def prepare_photo(
    path: Path,
    placed_w: float,
    placed_h: float,
    *,
    crop: tuple[float, float, float, float] | None = None,
    mode: str = "cmyk",
    output_profile: Path | None = None,
    target_ppi: float = 200.0,
    ink_limit: float = 240.0,
    ppi_floor: float = PPI_FLOOR,
    intent: str = "perceptual",
    max_pixels: int = MAX_PIXELS,
) -> PreparedImage:
    """Read the photo at ``path`` and make the plate pixels for a box placed_w × placed_h pt.

    crop: None = centre-crop the source to the box's aspect ratio (cover); otherwise a
        normalised box (x0, y0, x1, y1) of the source, fractions of its width and height,
        origin top-left. If that box's aspect differs from the placed box it is trimmed
        centrally (never stretched) and a warning says so.
    mode: "cmyk" (process colour through ``output_profile``) or "gray" (K only, mono pages).
    output_profile: CMYK ICC profile of the output intent (default: shipped newsprint);
        for "gray" a grey output profile is also accepted.
    target_ppi: resample down to this at placed size; sources below it keep their pixels.
    ink_limit: maximum total area coverage, % (newsprint: 240).
    intent: ICC rendering intent: "perceptual" (default for photos), "relative", ….
    max_pixels: a source over this many pixels (w × h, from its header) is refused
        (ImageInputError) before decoding; it never changes the plate.
    """
    path = Path(path)
    if placed_w <= 0 or placed_h <= 0:
        raise ValueError(f"{path}: placed size must be positive, got {placed_w} × {placed_h} pt")
    if mode not in ("cmyk", "gray"):
        raise ValueError(f"mode must be 'cmyk' or 'gray', got {mode!r}")
    if intent not in _INTENTS:
        raise ValueError(f"intent must be one of {', '.join(_INTENTS)}, got {intent!r}")
    profile_bytes = Path(output_profile or default_output_profile()).read_bytes()
    warnings: list[str] = []

    def enough(size: tuple[int, int]) -> tuple[int, int]:
        """The smallest decoded size that still gives target_ppi over the crop (for JPEG draft)."""
        (x0, y0, x1, y1), _ = _crop_box(size, placed_w / placed_h, crop)
        scale = max(placed_w / PT_PER_INCH * target_ppi / (x1 - x0), placed_h / PT_PER_INCH * target_ppi / (y1 - y0))
        return (math.ceil(size[0] * scale) + 1, math.ceil(size[1] * scale) + 1)

    source, icc, reduced = _open(path, enough, max_pixels)
    box, trimmed = _crop_box(source.size, placed_w / placed_h, crop)
    if trimmed:
        warnings.append(f"{path}: crop box trimmed to the placed aspect ratio ({trimmed})")
    sampled, source_ppi, ppi = _sample(source, box, placed_w, placed_h, target_ppi)
    source_ppi *= reduced  # what the full-size source gives, not the draft we decoded
    if source_ppi < ppi_floor:
        warnings.append(
            f"{path}: {source_ppi:.0f} ppi at placed size {placed_w:.1f} × {placed_h:.1f} pt "
            f"(below the {ppi_floor:.0f} ppi floor; target {target_ppi:.0f})"
        )

    if mode == "cmyk":
        separated = _to_cmyk(sampled, icc, profile_bytes, intent)
        before = max_ink(separated)
        plate = limit_ink(separated, ink_limit) if before > ink_limit else separated
    else:
        plate = _to_gray(sampled, icc, profile_bytes, intent)
        before = max_ink(plate)
        plate = _limit_gray(plate, ink_limit) if before > ink_limit else plate
    measured = max_ink(plate)
    if before > ink_limit:
        log.info("%s: ink %.1f %% > %.0f %%: limited to %.1f %%", path, before, ink_limit, measured)
    assert measured <= ink_limit + 1e-9, (path, measured, ink_limit)
    for message in warnings:
        log.warning(message)
    return PreparedImage(
        image=plate,
        ppi=ppi,
        source_ppi=source_ppi,
        max_ink=measured,
        warnings=tuple(warnings),
        source=path,
        ink_before_limit=before,
        crop_px=box,
        ink_limit=ink_limit,
    )


def encode_for_pdf(prepared: PreparedImage, *, jpeg_quality: int | None = None):
    """What ``canvas.drawImage`` needs: a reportlab ``ImageReader`` over the plate pixels.

    jpeg_quality None (default): lossless — reportlab writes the raw CMYK/grey bytes with
    /FlateDecode (zlib, deterministic). A number (e.g. 90): the pixels are JPEG-encoded by
    Pillow (Adobe inverted-CMYK convention, which reportlab's /Decode [1 0 …] matches),
    about 4–10× smaller, deterministic for a given libjpeg. JPEG ringing can lift total
    ink a few % (measured: 236.5 → 248.6 % at quality 85 on a sample photo), so the JPEG
    is decoded and measured, and if it exceeds ``prepared.ink_limit`` the lossless
    encoding is used instead. Draw with ``canvas.drawImage(reader, x, y, width, height)``,
    width/height the placed size in pt.
    """
    from reportlab.lib.utils import ImageReader  # edge module: reportlab only here

    if jpeg_quality is None:
        return ImageReader(prepared.image)
    buffer = io.BytesIO()
    prepared.image.save(buffer, format="JPEG", quality=int(jpeg_quality), subsampling=0, optimize=False)
    with Image.open(io.BytesIO(buffer.getvalue())) as decoded:
        decoded.load()
        over = max_ink(decoded) > prepared.ink_limit
    if over:
        log.info("%s: JPEG q%d would exceed %.0f %% ink: kept lossless", prepared.source, jpeg_quality, prepared.ink_limit)
        return ImageReader(prepared.image)
    buffer.seek(0)
    return ImageReader(buffer)


# -- open ------------------------------------------------------------------------------


def _open(path: Path, enough=None, max_pixels: int = MAX_PIXELS) -> tuple[Image.Image, bytes | None, float]:
    """Decoded source in "RGB", "L" or "CMYK", upright, alpha flattened; its ICC bytes; and
    the factor by which the decoded image is smaller than the file's pixels.

    enough(size) → the smallest size worth decoding: a JPEG with no EXIF rotation is decoded
    at 1/2, 1/4 or 1/8 scale when that still covers it (libjpeg's DCT scaling — the same
    pixels every time), which is most of the cost of a photo. A file over ``max_pixels``
    (w × h px) is refused from its header (check_pixels)."""
    reduced = 1.0
    try:
        opened_cm = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise ImageInputError(f"{path}: {exc}") from None
    with opened_cm as opened:
        full = opened.size
        check_pixels(path, full, max_pixels)
        if enough is not None and opened.format == "JPEG" and opened.getexif().get(0x0112, 1) == 1:
            want = enough(full)
            if want[0] * 2 <= full[0] and want[1] * 2 <= full[1]:
                opened.draft(opened.mode, want)
        opened.load()
        reduced = full[0] / opened.size[0]
        icc = opened.info.get("icc_profile") or None
        image = ImageOps.exif_transpose(opened)
    if image.mode.startswith("I;16") or image.mode == "I":
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")  # 16-bit grey
    elif image.mode == "F":
        image = image.convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if has_alpha:  # no transparency in PDF/X-1a: flatten onto white paper
        grey = image.mode in ("LA", "La")
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, rgba).convert("L" if grey else "RGB")
    elif image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    return image, icc, reduced


# -- crop and sample -------------------------------------------------------------------


def _crop_box(
    size: tuple[int, int], aspect: float, crop: tuple[float, float, float, float] | None
) -> tuple[tuple[float, float, float, float], str]:
    """Source region (x0, y0, x1, y1) in px that fills a box of width/height ``aspect``.

    Returns the box and, if the editor's crop had to be trimmed, a short description.
    """
    width, height = size
    if crop is None:
        x0, y0, x1, y1 = 0.0, 0.0, float(width), float(height)
    else:
        cx0, cy0, cx1, cy1 = crop
        if not (0 <= cx0 < cx1 <= 1 and 0 <= cy0 < cy1 <= 1):
            raise ValueError(f"crop must be fractions 0 ≤ x0 < x1 ≤ 1, 0 ≤ y0 < y1 ≤ 1, got {crop}")
        x0, y0, x1, y1 = cx0 * width, cy0 * height, cx1 * width, cy1 * height
    box_w, box_h = x1 - x0, y1 - y0
    trimmed = ""
    if box_w / box_h > aspect:  # too wide: trim the sides
        new_w = box_h * aspect
        x0, x1 = x0 + (box_w - new_w) / 2, x0 + (box_w + new_w) / 2
        trimmed = f"width {box_w:.0f} → {new_w:.0f} px"
    elif box_w / box_h < aspect:  # too tall: trim top and bottom
        new_h = box_w / aspect
        y0, y1 = y0 + (box_h - new_h) / 2, y0 + (box_h + new_h) / 2
        trimmed = f"height {box_h:.0f} → {new_h:.0f} px"
    if crop is None or abs((x1 - x0) - box_w) + abs((y1 - y0) - box_h) < 0.01 * (box_w + box_h):
        trimmed = ""  # cover crops and sub-1 % trims are expected, not news
    return (x0, y0, x1, y1), trimmed


def _sample(
    image: Image.Image,
    box: tuple[float, float, float, float],
    placed_w: float,
    placed_h: float,
    target_ppi: float,
) -> tuple[Image.Image, float, float]:
    """Crop to ``box`` and resample to ``target_ppi`` if the source has more; never upsample.

    Returns (pixels, source_ppi, effective ppi). Lanczos filter, deterministic.
    """
    width_in, height_in = placed_w / PT_PER_INCH, placed_h / PT_PER_INCH
    x0, y0, x1, y1 = box
    source_ppi = min((x1 - x0) / width_in, (y1 - y0) / height_in)
    if source_ppi > target_ppi:
        size = (max(1, round(width_in * target_ppi)), max(1, round(height_in * target_ppi)))
        out = image.resize(size, Image.Resampling.LANCZOS, box=box)
    else:
        whole = tuple(int(round(v)) for v in box)
        out = image.crop(whole)
    ppi = min(out.width / width_in, out.height / height_in)
    return out, source_ppi, ppi


# -- separate --------------------------------------------------------------------------


#: Stand-ins for built-in profiles in _transform's arguments.
SRGB, LAB = "sRGB", "LAB"


@functools.lru_cache(maxsize=16)
def _transform(src: bytes | str, dst: bytes | str, in_mode: str, out_mode: str, intent: str, bpc: bool = False):
    """LittleCMS transform between two profiles given as bytes, or SRGB / LAB (built-in).

    Cached because output profiles carry large lookup tables; the cache holds only pure
    functions of the argument bytes. bpc: black point compensation.
    """

    def profile(p: bytes | str):
        if isinstance(p, str):
            return ImageCms.createProfile(p)
        return ImageCms.ImageCmsProfile(io.BytesIO(p))

    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if bpc else ImageCms.Flags.NONE
    return ImageCms.buildTransform(
        profile(src), profile(dst), in_mode, out_mode, renderingIntent=_INTENTS[intent], flags=flags
    )


def _colour_space(icc: bytes | None) -> str:
    """ICC header data colour space ("RGB ", "GRAY", "CMYK", …) or "" if not a profile."""
    if not icc or len(icc) < 128 or icc[36:40] != b"acsp":
        return ""
    return icc[16:20].decode("latin-1")


def _source(image: Image.Image, icc: bytes | None, output: bytes) -> tuple[Image.Image, bytes | str, str]:
    """(pixels, source profile, LittleCMS mode) for a decoded source.

    Tagged images use their profile. Untagged RGB is sRGB; untagged CMYK is taken to be in
    the output condition already; grey without a grey profile is treated as sRGB neutrals.
    """
    space = _colour_space(icc) if _usable_profile(icc) else ""
    if image.mode == "CMYK":
        return image, (icc if space == "CMYK" else output), "CMYK"
    if image.mode == "L" and space == "GRAY":
        return image, icc, "L"
    return image.convert("RGB"), (icc if space == "RGB " else SRGB), "RGB"


@functools.lru_cache(maxsize=16)
def _usable_profile(icc: bytes | None) -> bool:
    """Whether an embedded profile can be read by LittleCMS; a broken or header-only one is
    ignored (the photo is then treated as untagged, with a warning) rather than failing."""
    mode = {"RGB ": "RGB", "GRAY": "L", "CMYK": "CMYK"}.get(_colour_space(icc))
    if mode is None:
        return False
    try:
        _transform(icc, LAB, mode, "LAB", "perceptual")
        return True
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        log.warning("a photo's embedded ICC profile cannot be read: the photo is treated as untagged (sRGB)")
        return False


def _to_cmyk(image: Image.Image, icc: bytes | None, output: bytes, intent: str) -> Image.Image:
    """Separate to the output profile's CMYK (rendering ``intent``; BPC with "relative")."""
    if _colour_space(output) != "CMYK":
        raise ValueError("output profile is not a CMYK profile")
    pixels, src, in_mode = _source(image, icc, output)
    if src == output:
        return pixels.copy()  # already in the output condition: keep the plate values
    return ImageCms.applyTransform(pixels, _transform(src, output, in_mode, "CMYK", intent, intent == "relative"))


def _to_gray(image: Image.Image, icc: bytes | None, output: bytes, intent: str) -> Image.Image:
    """Grey plate ("L", 0 = solid K) for mono pages, through CIELAB.

    With a CMYK output profile the source lightness L* is mapped onto the profile's
    K-only tone curve (paper white to solid K, black point compensated), so dot gain on
    newsprint is accounted for. With a grey output profile: an ICC transform from Lab.
    """
    pixels, src, in_mode = _source(image, icc, output)
    lab = ImageCms.applyTransform(pixels, _transform(src, LAB, in_mode, "LAB", intent))
    space = _colour_space(output)
    if space == "GRAY":
        return ImageCms.applyTransform(lab, _transform(LAB, output, "LAB", "L", intent, True))
    if space != "CMYK":
        raise ValueError("output profile is neither CMYK nor grey")
    return lab.getchannel("L").point(list(_k_curve(output)))


@functools.lru_cache(maxsize=8)
def _k_curve(output: bytes) -> tuple[int, ...]:
    """Lookup table L* (0–255 scale) → grey plate value (255 − K) for a CMYK profile.

    The profile's K ramp (0,0,0,k) is measured in L*; source L* 0…100 is mapped linearly
    onto solid-K…paper L*, and each target is given the K whose printed L* is nearest.
    """
    ramp = Image.new("CMYK", (256, 1))
    ramp.putdata([(0, 0, 0, k) for k in range(256)])
    lab = ImageCms.applyTransform(ramp, _transform(output, LAB, "CMYK", "LAB", "relative"))
    printed = list(lab.getchannel("L").tobytes())  # decreasing with k
    paper, solid = printed[0], printed[-1]
    table = []
    for level in range(256):
        target = solid + (paper - solid) * level / 255.0
        best = min(range(256), key=lambda k: (abs(printed[k] - target), k))
        table.append(255 - best)
    return tuple(table)


# -- ink -------------------------------------------------------------------------------


def max_ink(image: Image.Image) -> float:
    """Largest total area coverage over the pixels, % (CMYK: C+M+Y+K; "L": K = 255 − v)."""
    if image.mode == "L":
        darkest = image.getextrema()[0]
        return (255 - darkest) * 100.0 / 255.0
    if image.mode != "CMYK":
        raise ValueError(f"ink is measured on CMYK or L plates, not {image.mode}")
    c, m, y, k = (band.convert("I") for band in image.split())
    total = ImageMath.lambda_eval(lambda e: e["c"] + e["m"] + e["y"] + e["k"], c=c, m=m, y=y, k=k)
    return total.getextrema()[1] * 100.0 / 255.0


def limit_ink(image: Image.Image, limit: float) -> Image.Image:
    """Bring every pixel's C+M+Y+K to at most ``limit`` % (integer arithmetic, deterministic).

    1. Grey-component replacement (GCR/UCR): where a pixel is over, take
       r = min(⌈excess/2⌉, min(C,M,Y), 255−K) from each of C, M, Y and add it to K —
       equal CMY is approximately neutral, and K prints it with a third of the ink.
    2. Where still over (no grey component or K full), scale C, M and Y down together
       so that C+M+Y = limit − K (rounded down); K is capped at the limit.
    Pixels under the limit are untouched.
    """
    cap = math.floor(limit * 255.0 / 100.0 + 1e-9)
    c, m, y, k = (band.convert("I") for band in image.split())
    planes = {"c": c, "m": m, "y": y, "k": k}

    def ev(expression, **extra):
        return ImageMath.lambda_eval(expression, **planes, **extra)

    excess = ev(lambda e: e["max"](e["c"] + e["m"] + e["y"] + e["k"] - cap, 0))
    grey = ev(lambda e: e["min"](e["min"](e["c"], e["m"]), e["y"]))
    swap = ev(
        lambda e: e["min"](e["min"]((e["x"] + 1) / 2, e["g"]), 255 - e["k"]),
        x=excess,
        g=grey,
    )
    planes = {
        "c": ev(lambda e: e["c"] - e["r"], r=swap),
        "m": ev(lambda e: e["m"] - e["r"], r=swap),
        "y": ev(lambda e: e["y"] - e["r"], r=swap),
        "k": ev(lambda e: e["min"](e["k"] + e["r"], cap), r=swap),
    }
    over = ev(lambda e: e["c"] + e["m"] + e["y"] + e["k"] > cap)
    room = ev(lambda e: e["max"](cap - e["k"], 0))
    cmy = ev(lambda e: e["max"](e["c"] + e["m"] + e["y"], 1))
    scaled = {
        name: ev(
            lambda e, n=name: e["o"] * ((e[n] * e["room"]) / e["s"]) + (1 - e["o"]) * e[n],
            o=over,
            room=room,
            s=cmy,
        )
        for name in ("c", "m", "y")
    }
    bands = [scaled["c"], scaled["m"], scaled["y"], planes["k"]]
    return Image.merge("CMYK", [band.convert("L") for band in bands])


def _limit_gray(image: Image.Image, limit: float) -> Image.Image:
    """Cap K on a grey plate at ``limit`` % (only matters for limits under 100 %)."""
    floor_value = 255 - math.floor(limit * 255.0 / 100.0 + 1e-9)
    return image.point(lambda v: max(v, floor_value))
