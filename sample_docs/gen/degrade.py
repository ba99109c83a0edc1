"""Make born-digital pages look like what arrives: flatbed scans and phone photos."""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab.pdfgen.canvas import Canvas

from sample_docs.gen.render import pdf_bytes


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in doc]
    finally:
        doc.close()


def _np_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.randrange(2**32))


def smudge(img: Image.Image, box: tuple[float, float, float, float], rng: random.Random) -> Image.Image:
    """A coffee stain + heavy blur over a region given as fractions of the page (x0, y0, x1, y1)."""
    w, h = img.size
    x0, y0, x1, y1 = int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)
    region = img.crop((x0, y0, x1, y1)).filter(ImageFilter.GaussianBlur(radius=max(4, (y1 - y0) // 4)))
    arr = np.asarray(region).astype(np.float32)
    arr = arr * np.array([0.78, 0.62, 0.42]) + _np_rng(rng).normal(0, 6, arr.shape)
    out = img.copy()
    out.paste(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), (x0, y0))
    return out


def scan(img: Image.Image, rng: random.Random) -> Image.Image:
    """Grayscale flatbed scan: slight skew, toner noise, speckles, a darker edge; page size kept."""
    gen = _np_rng(rng)
    gray = img.convert("L")
    angle = rng.uniform(-1.6, 1.6)
    gray = gray.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    arr = np.asarray(gray).astype(np.float32)
    arr = 255 - (255 - arr) * rng.uniform(0.8, 1.0)
    arr += gen.normal(0, rng.uniform(4, 9), arr.shape)
    specks = gen.random(arr.shape) < 0.0006
    arr[specks] = gen.uniform(0, 120, int(specks.sum()))
    edge = np.linspace(rng.uniform(0.82, 0.95), 1.0, max(1, arr.shape[1] // 12))
    arr[:, : edge.size] *= edge[None, :]
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return out.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.3, 0.7)))


def photo(img: Image.Image, rng: random.Random, upside_down: bool = False) -> Image.Image:
    """A phone photo of the page on a desk: perspective, rotation, uneven light, blur, noise, colour cast."""
    gen = _np_rng(rng)
    page = np.asarray(img.convert("RGB"))
    h, w = page.shape[:2]
    pad = int(max(w, h) * 0.12)
    out_w, out_h = w + 2 * pad, h + 2 * pad
    desk = np.full((out_h, out_w, 3), (96, 84, 70), dtype=np.float32) + gen.normal(0, 10, (out_h, out_w, 3))
    jitter = [rng.uniform(-0.05, 0.05) * min(w, h) for _ in range(8)]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    dst = np.array(
        [
            [pad + jitter[0], pad + jitter[1]],
            [pad + w + jitter[2], pad + jitter[3]],
            [pad + w + jitter[4], pad + h + jitter[5]],
            [pad + jitter[6], pad + h + jitter[7]],
        ],
        dtype=np.float32,
    )
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, (out_w, out_h))
    arr = warped.astype(np.float32) * mask[..., None] + desk * (1 - mask[..., None])
    yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * out_w, rng.uniform(0.2, 0.8) * out_h
    light = 1.05 - 0.35 * np.sqrt(((xx - cx) / out_w) ** 2 + ((yy - cy) / out_h) ** 2)
    arr = arr * light[..., None] * np.array([1.0, rng.uniform(0.95, 1.0), rng.uniform(0.85, 0.95)])
    arr += gen.normal(0, rng.uniform(3, 7), arr.shape)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    out = out.rotate(rng.uniform(-4, 4), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(90, 80, 68))
    out = out.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.5, 1.1)))
    if upside_down:
        out = out.rotate(180)
    return out


def jpeg_bytes(img: Image.Image, quality: int, exif_orientation: int | None = None) -> bytes:
    """JPEG bytes; with ``exif_orientation`` the pixels are stored turned so the tag must be honoured."""
    if exif_orientation == 6:
        # Tag 6: stored image must be rotated 90° clockwise to display upright.
        img = img.rotate(90, expand=True)
    exif = Image.Exif()
    if exif_orientation:
        exif[0x0112] = exif_orientation
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, optimize=False, progressive=False, exif=exif.tobytes())
    return buf.getvalue()


def tiff_bytes(pages: list[Image.Image], dpi: int) -> bytes:
    """A multi-page bilevel CCITT G4 TIFF, as office scanners write black-and-white scans."""
    bilevel = [p.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1") for p in pages]
    buf = io.BytesIO()
    bilevel[0].save(buf, format="TIFF", compression="group4", dpi=(dpi, dpi), save_all=True, append_images=bilevel[1:])
    return buf.getvalue()


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def image_pdf(pages: list[Image.Image], dpi: int, quality: int = 60) -> bytes:
    """An image-only PDF (no text layer), one JPEG per page at ``dpi``, as a scanner writes it."""
    from sample_docs.gen.render import draw_pil_jpeg

    size = (pages[0].width * 72 / dpi, pages[0].height * 72 / dpi)

    def page_drawer(img: Image.Image) -> Callable[[Canvas], None]:
        return lambda c: draw_pil_jpeg(c, img, size, quality)

    return pdf_bytes(size, [page_drawer(p) for p in pages])


# --- the varied profiles' degradations (CONTRACT-free knobs recorded in truth extras["degrade"]) -----
GEOMETRY_KEPT = frozenset({"turn", "dpi", "blur", "jpeg", "seal_over"})  # boxes stay valid on the upright page


def perspective(img: Image.Image, rng: random.Random, strength: float = 0.025) -> Image.Image:
    """A page fed askew or held at an angle: corners moved inwards by up to ``strength`` of the side."""
    arr = np.asarray(img)
    h, w = arr.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    d = [rng.uniform(0, strength) * min(w, h) for _ in range(8)]
    dst = np.array([[d[0], d[1]], [w - d[2], d[3]], [w - d[4], h - d[5]], [d[6], h - d[7]]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    fill = 255 if arr.ndim == 2 else (255, 255, 255)
    out = cv2.warpPerspective(arr, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)
    return Image.fromarray(out)


def dot_shift(img: Image.Image, rng: random.Random) -> Image.Image:
    """A dot-matrix misfeed: a band of the page printed a few millimetres right and down of its place."""
    w, h = img.size
    top, bottom = int(h * rng.uniform(0.15, 0.35)), int(h * rng.uniform(0.55, 0.8))
    dx, dy = int(w * rng.uniform(0.01, 0.025)), int(h * rng.uniform(0.003, 0.008))
    band = img.crop((0, top, w - dx, bottom - dy))
    out = img.copy()
    out.paste(Image.new(img.mode, (w, bottom - top), 255 if img.mode == "L" else (255, 255, 255)), (0, top))
    out.paste(band, (dx, top + dy))
    return out


def degrade_scan(img: Image.Image, rng: random.Random, options: dict[str, object]) -> Image.Image:
    """A flatbed scan with the profile's extra degradations: blur, perspective, dot shift, a quarter turn."""
    out = scan(img, rng)
    if options.get("perspective"):
        out = perspective(out, rng)
    if options.get("dot_shift"):
        out = dot_shift(out, rng)
    blur = float(str(options.get("blur", 0)))
    if blur:
        out = out.filter(ImageFilter.GaussianBlur(radius=blur))
    turn = int(str(options.get("turn", 0)))
    if turn:
        out = out.rotate(turn, expand=True, fillcolor=255)
    return out
