"""Raster images (PNG, JPEG, multi-page TIFF, BMP, WebP, single-frame GIF) → upright RGB arrays.

Size is checked from the header before any pixel is decoded, so a decompression bomb costs
nothing; EXIF orientation is applied so a phone photo is upright before any further analysis.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from extractors.errors import DocumentReadError
from extractors.readers import limits

# Beyond this long side a page only costs time: A4 at 300 dpi is 3508 px.
MAX_WORK_SIDE = 3508


def iter_frames(path: Path) -> Iterator[np.ndarray]:
    """Each page of the image file as an upright RGB array, downscaled to ≤ MAX_WORK_SIDE."""
    try:
        with Image.open(path) as image:
            frames = _frame_count(path, image)
            for index in range(frames):
                image.seek(index)
                _check_size(path, image)
                yield _to_rgb(ImageOps.exif_transpose(image))
    except DocumentReadError:
        raise
    except Image.DecompressionBombError as exc:
        raise DocumentReadError(str(path), "图像像素过多，疑似解压炸弹，已拒绝读取") from exc
    except UnidentifiedImageError as exc:
        raise DocumentReadError(str(path), "无法识别的图像文件") from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise DocumentReadError(str(path), "图像文件已损坏或不完整", detail=str(exc)) from exc
    except MemoryError as exc:
        raise DocumentReadError(str(path), "图像过大，内存不足以读取") from exc


def frame_at(path: Path, index: int) -> np.ndarray:
    for number, frame in enumerate(iter_frames(path)):
        if number == index:
            return frame
    raise DocumentReadError(str(path), f"图像没有第 {index + 1} 页")


def _frame_count(path: Path, image: Image.Image) -> int:
    frames = int(getattr(image, "n_frames", 1))
    if image.format == "GIF" and frames > 1:
        raise DocumentReadError(str(path), "不支持动态 GIF 图像，请提交 PDF 或静态图片")
    if image.format not in ("PNG", "JPEG", "MPO", "TIFF", "BMP", "WEBP", "GIF"):
        raise DocumentReadError(str(path), f"不支持的图像格式（{image.format}）")
    if image.format in ("PNG", "WEBP"):
        return 1
    if frames > limits.MAX_PAGES:
        raise DocumentReadError(str(path), f"图像页数过多（{frames} 页，上限 {limits.MAX_PAGES} 页）")
    return 1 if image.format in ("JPEG", "MPO") else frames


def _check_size(path: Path, image: Image.Image) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise DocumentReadError(str(path), "图像尺寸无效")
    if width * height > limits.MAX_IMAGE_PIXELS:
        raise DocumentReadError(
            str(path), f"图像像素过多（{width}×{height}），超过上限 {limits.MAX_IMAGE_PIXELS // 1_000_000} 百万像素"
        )
    reason = ocr_shape_problem(width, height)
    if reason is not None:
        raise DocumentReadError(str(path), reason)


def ocr_shape_problem(width: float, height: float) -> str | None:
    """Why a page of this size cannot be OCRed within budget (checked before any work), or None.

    The detector's work grows with the aspect ratio (limits.MAX_OCR_ASPECT); a page a few pixels
    wide holds no readable text and used to reach a ``cv2.resize`` assertion.
    """
    shown = f"{width:.0f}×{height:.0f} 像素"
    if min(width, height) < limits.MIN_IMAGE_SIDE:
        return f"图像过窄或过小（{shown}，短边至少 {limits.MIN_IMAGE_SIDE} 像素），无法识别文字"
    if max(width, height) > limits.MAX_OCR_ASPECT * min(width, height):
        return (
            f"图像长宽比异常（{shown}，超过 {limits.MAX_OCR_ASPECT:.0f}:1），不像文档页面，"
            "识别会超出内存上限；请裁剪或分页后提交"
        )
    return None


def _to_rgb(image: Image.Image) -> np.ndarray:
    """Any mode (16-bit grey, CMYK, palette, alpha) → 8-bit RGB on white, then capped in size."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        array = np.asarray(image, dtype=np.float64)
        top = float(array.max()) or 1.0
        image = Image.fromarray((array * (255.0 / top)).clip(0, 255).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, "white")
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        image = canvas
    elif image.mode != "RGB":
        image = image.convert("RGB")
    longest = max(image.size)
    if longest > MAX_WORK_SIDE:
        factor = MAX_WORK_SIDE / longest
        image = image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.LANCZOS)
    return np.asarray(image, dtype=np.uint8).copy()
