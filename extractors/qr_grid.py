"""A QR code read straight from its module matrix: the pixel-perfect codes embedded in born-digital PDFs.

Once the modules are sampled there is nothing left to find, yet cv2's decoder resamples and searches
its input again (~2.5 ms per invoice code, a tenth of the born-digital path). Here the matrix is read
in the standard's order and checked against its Reed-Solomon codewords. Tables (block structure,
alignment positions, masks, format codes) come from the ``qrcode`` package the project already uses.
Anything unusual (a codeword error, ECI, Kanji, structured append, non-UTF-8 bytes) gives "" so
the caller falls back to cv2, which corrects errors.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
from qrcode import base as qr_base
from qrcode import util as qr_util

_FORMAT = {qr_util.BCH_type_info((ec << 3) | mask): (ec, mask) for ec in range(4) for mask in range(8)}
_ALNUM = qr_util.ALPHA_NUM.decode("ascii")
_MODE_BITS = 4


def decode_modules(bits: np.ndarray) -> str:
    """The payload of a square boolean module matrix (True = dark, no quiet zone), or ""."""
    size = bits.shape[0]
    version = (size - 17) // 4
    if bits.shape != (size, size) or not 1 <= version <= 40 or (size - 17) % 4:
        return ""
    format_info = _format_info(bits)
    if format_info is None:
        return ""
    level, mask = format_info
    rows, cols = _reading_order(version)
    stream = bits[rows, cols] ^ _mask_bits(version, mask)
    codewords = np.packbits(stream[: len(stream) // 8 * 8]).tolist()
    data = _data_codewords(codewords, qr_base.rs_blocks(version, level))
    if data is None:
        return ""
    return _parse_segments("".join(f"{byte:08b}" for byte in data), version) or ""


def _format_info(bits: np.ndarray) -> tuple[int, int] | None:
    """(error-correction level, mask) from either copy of the 15 format bits, which must be exact."""
    size = bits.shape[0]
    column = [(i, 8) for i in range(6)] + [(7, 8), (8, 8)] + [(size - 15 + i, 8) for i in range(8, 15)]
    row = [(8, size - 1 - i) for i in range(8)] + [(8, 7)] + [(8, 14 - i) for i in range(9, 15)]
    for positions in (column, row):
        value = sum(int(bits[r, c]) << i for i, (r, c) in enumerate(positions))
        if value in _FORMAT:
            return _FORMAT[value]
    return None


@cache
def _function_modules(version: int) -> np.ndarray:
    """Finder, separator, format, timing, alignment and version-information modules."""
    size = 17 + 4 * version
    taken = np.zeros((size, size), dtype=bool)
    taken[:9, :9] = taken[:9, size - 8 :] = taken[size - 8 :, :9] = True
    centres = qr_util.pattern_position(version)
    for r in centres:
        for c in centres:
            if not taken[r, c]:  # only the three corners overlap a finder; the timing lines do not count
                taken[r - 2 : r + 3, c - 2 : c + 3] = True
    taken[6, :] = taken[:, 6] = True
    if version >= 7:
        taken[:6, size - 11 : size - 8] = taken[size - 11 : size - 8, :6] = True
    return taken


@cache
def _reading_order(version: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of every data module: column pairs right to left, zigzagging up and down."""
    taken = _function_modules(version)
    size = taken.shape[0]
    order: list[tuple[int, int]] = []
    upward = True
    for right in range(size - 1, 0, -2):
        col = right - 1 if right <= 6 else right  # the vertical timing pattern shifts the pairs left
        for r in range(size - 1, -1, -1) if upward else range(size):
            order.extend((r, c) for c in (col, col - 1) if not taken[r, c])
        upward = not upward
    return np.array([r for r, _ in order]), np.array([c for _, c in order])


@cache
def _mask_bits(version: int, mask: int) -> np.ndarray:
    flip = qr_util.mask_func(mask)
    rows, cols = _reading_order(version)
    return np.array([flip(int(r), int(c)) for r, c in zip(rows, cols, strict=True)], dtype=bool)


def _data_codewords(codewords: list[int], blocks: list[qr_base.RSBlock]) -> list[int] | None:
    """De-interleave the blocks; None unless every block is a valid Reed-Solomon codeword."""
    counts = [block.data_count for block in blocks]
    ecc_count = blocks[0].total_count - blocks[0].data_count  # the same for every block of a code
    if len(codewords) < sum(block.total_count for block in blocks):
        return None
    stream = iter(codewords)
    data: list[list[int]] = [[] for _ in blocks]
    for i in range(max(counts)):
        for block, count in zip(data, counts, strict=True):
            if i < count:
                block.append(next(stream))
    ecc: list[list[int]] = [[] for _ in blocks]
    for _ in range(ecc_count):
        for block in ecc:
            block.append(next(stream))
    if not all(_is_codeword(d + e, ecc_count) for d, e in zip(data, ecc, strict=True)):
        return None
    return [byte for block in data for byte in block]


@cache
def _times_alpha(power: int) -> list[int]:
    """Multiplication by alpha**power in GF(256), as a lookup table."""
    exp, log = qr_base.EXP_TABLE, qr_base.LOG_TABLE
    return [0] + [exp[(log[x] + power) % 255] for x in range(1, 256)]


def _is_codeword(block: list[int], ecc_count: int) -> bool:
    """All syndromes zero: the block, as a polynomial, vanishes at alpha**0 .. alpha**(ecc_count-1)."""
    for power in range(ecc_count):
        times = _times_alpha(power)
        syndrome = 0
        for byte in block:
            syndrome = times[syndrome] ^ byte
        if syndrome:
            return False
    return True


def _parse_segments(stream: str, version: int) -> str | None:
    """Numeric, alphanumeric and byte segments up to the terminator; None for any other mode."""
    out: list[str] = []
    raw = bytearray()
    pos = 0

    def take(count: int) -> int:
        nonlocal pos
        if pos + count > len(stream):
            raise ValueError("segment runs past the data")
        pos += count
        return int(stream[pos - count : pos], 2)

    try:
        while len(stream) - pos >= _MODE_BITS:
            mode = take(_MODE_BITS)
            if mode == 0:
                break
            if mode not in (qr_util.MODE_NUMBER, qr_util.MODE_ALPHA_NUM, qr_util.MODE_8BIT_BYTE):
                return None
            length = take(qr_util.length_in_bits(mode, version))
            if mode == qr_util.MODE_8BIT_BYTE:
                raw.extend(take(8) for _ in range(length))
                continue
            out.append(raw.decode("utf-8"))
            raw.clear()
            out.append(_numeric(take, length) if mode == qr_util.MODE_NUMBER else _alphanumeric(take, length))
        out.append(raw.decode("utf-8"))
    except ValueError:  # includes UnicodeDecodeError
        return None
    return "".join(out)


def _numeric(take: Callable[[int], int], length: int) -> str:
    digits = ""
    while len(digits) < length:
        group = min(3, length - len(digits))
        value = take(qr_util.NUMBER_LENGTH[group])
        if value >= 10**group:
            raise ValueError("not a digit group")
        digits += str(value).zfill(group)
    return digits


def _alphanumeric(take: Callable[[int], int], length: int) -> str:
    chars: list[str] = []
    while len(chars) < length:
        if length - len(chars) >= 2:
            value = take(11)
            if value >= 45 * 45:
                raise ValueError("not an alphanumeric pair")
            chars += [_ALNUM[value // 45], _ALNUM[value % 45]]
        else:
            value = take(6)
            if value >= 45:
                raise ValueError("not an alphanumeric character")
            chars.append(_ALNUM[value])
    return "".join(chars)
