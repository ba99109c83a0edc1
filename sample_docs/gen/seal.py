"""Red stamps drawn at test time, with the variation real ones show, and a page to stamp them on.

Round (公章/合同专用章, star in the middle) or oval (发票专用章, credit code across the middle);
arc text spread over a chosen span; the whole stamp turned; ink faint, uneven or broken; black
text lying under it. Used by tests/test_seals.py and the seal measurement (``python -m
sample_docs.gen.seal``), never by the product.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@dataclass(frozen=True)
class SealSpec:
    name: str
    caption: str = "发票专用章"
    code: str | None = None
    oval: bool = True
    star: bool = False
    width_px: int = 320
    span_deg: float = 220.0
    rotation_deg: float = 0.0
    alpha: int = 220
    """Ink opacity: 220 is a fresh stamp, ~90 a faint one."""
    colour: tuple[int, int, int] = (220, 30, 40)
    breaks: int = 0
    """White scratches across the ink (worn pad, dry spots)."""


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, max(8, size), index=0)


def draw_seal(spec: SealSpec, rng: random.Random | None = None) -> Image.Image:
    """The stamp as an RGBA image (transparent paper), turned by ``spec.rotation_deg`` clockwise."""
    rng = rng or random.Random(0)
    w = spec.width_px
    h = round(w * 0.7) if spec.oval else w
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    ink = (*spec.colour, spec.alpha)
    ring = max(4, w // 50)
    draw.ellipse((ring, ring, w - ring, h - ring), outline=ink, width=ring)
    _arc_text(img, spec, ink, ring)
    if spec.star:
        _star(draw, w / 2, h * 0.47, w * 0.12, ink)
    if spec.oval:
        if spec.code:
            draw.text((w / 2, h * 0.52), spec.code, font=_font(round(w / 15)), fill=ink, anchor="mm")
        draw.text((w / 2, h * 0.74), spec.caption, font=_font(round(w / 11)), fill=ink, anchor="mm")
    else:
        draw.text((w / 2, h * 0.75), spec.caption, font=_font(round(w / 11)), fill=ink, anchor="mm")
    for _ in range(spec.breaks):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        angle = rng.uniform(0, math.pi)
        length = rng.uniform(0.1, 0.3) * w
        end = (x + length * math.cos(angle), y + length * math.sin(angle))
        draw.line((x, y, *end), fill=(0, 0, 0, 0), width=max(2, w // 90))
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    return img.rotate(-spec.rotation_deg, resample=Image.Resampling.BICUBIC, expand=True)


def _arc_text(img: Image.Image, spec: SealSpec, ink: tuple[int, ...], ring: int) -> None:
    w, h = img.size
    size = round(w / (8.5 if spec.oval else 7.5))
    font = _font(size)
    rx, ry = w / 2 - ring * 2.2 - size * 0.62, h / 2 - ring * 2.2 - size * 0.62
    count = len(spec.name)
    for index, char in enumerate(spec.name):
        angle = math.radians(-90 - spec.span_deg / 2 + spec.span_deg * (index + 0.5) / count)
        cx, cy = w / 2 + rx * math.cos(angle), h / 2 + ry * math.sin(angle)
        glyph = Image.new("RGBA", (size + 10, size + 10), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((5, 3), char, font=font, fill=ink)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC, expand=True)
        img.alpha_composite(glyph, (round(cx - glyph.width / 2), round(cy - glyph.height / 2)))


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, ink: tuple[int, ...]) -> None:
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.38
        angle = math.radians(-90 + 36 * k)
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=ink)


def stamped_page(
    spec: SealSpec, *, size: tuple[int, int] = (1654, 1100), at: tuple[int, int] = (1180, 640),
    text_under: bool = True, seed: int = 0,
) -> np.ndarray:
    """A white page with black print (some of it under the stamp) and the stamp over it, RGB."""
    rng = random.Random(seed)
    page = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(page)
    font = _font(34)
    line = "名称：某某科技有限公司 纳税人识别号 金额 税额 合计 备注" * 2
    for row in range(60, size[1] - 40, 70):
        draw.text((60, row), line, font=font, fill=(20, 20, 20))
    if not text_under:
        draw.rectangle((at[0] - 20, at[1] - 20, at[0] + spec.width_px + 60, at[1] + spec.width_px + 60), fill="white")
    page.paste(draw_seal(spec, rng), at, draw_seal(spec, rng))
    array = np.asarray(page, dtype=np.int16)
    noise = np.random.default_rng(seed).normal(0, 4, array.shape)
    return np.clip(array + noise, 0, 255).astype(np.uint8)


def variants(count: int, seed: int = 7) -> list[tuple[SealSpec, int]]:
    """``count`` stamps with the variation of the accuracy issue: shape, turn, faint ink, breaks."""
    from sample_docs.gen.credit_code import make as make_code

    rng = random.Random(seed)
    names = ["山西清众科技股份有限公司", "阳泉丰信新材料股份有限公司", "太原云帆信息技术有限公司",
             "晋中华腾数据服务有限公司", "大同市恒远软件开发有限责任公司", "北京星河远景数据科技有限公司"]  # fmt: skip
    out: list[tuple[SealSpec, int]] = []
    for index in range(count):
        oval = index % 2 == 0
        spec = SealSpec(
            name=names[index % len(names)],
            caption="发票专用章" if oval else "合同专用章",
            code=make_code(rng) if oval else None,
            oval=oval,
            star=not oval,
            rotation_deg=rng.uniform(-40, 40),
            alpha=rng.choice([220, 160, 110]),
            breaks=rng.choice([0, 0, 3, 6]),
        )
        out.append((spec, index))
    return out


def measure(count: int = 24) -> dict[str, float]:
    """Detection recall, name accuracy and credit-code accuracy over ``count`` drawn stamps."""
    import time

    from extractors.ocr import get_engine
    from extractors.seals import find_seals

    engine = get_engine()
    found = names = codes = coded = 0
    spent = similar = 0.0
    for spec, seed in variants(count):
        page = stamped_page(spec, seed=seed, text_under=seed % 3 != 0)
        start = time.perf_counter()
        seals = find_seals(page, page=1, engine=engine)
        spent += time.perf_counter() - start
        found += bool(seals)
        names += any(spec.name in s.names for s in seals)
        read = [name for s in seals for name in s.names] or [""]
        similar += max(SequenceMatcher(None, spec.name, name).ratio() for name in read)
        if spec.code:
            coded += 1
            codes += any(s.credit_code == spec.code for s in seals)
    return {
        "stamps": count,
        "detection_recall": found / count,
        "name_exact": names / count,
        "name_char_similarity": similar / count,
        "credit_code_accuracy": codes / max(1, coded),
        "seconds_per_page": spent / count,
    }


if __name__ == "__main__":
    print(measure())
