"""Decoding QR module matrices directly (extractors.qr_grid), against codes drawn by ``qrcode``."""

from __future__ import annotations

import numpy as np
import pytest
import qrcode
from qrcode import constants

from extractors.qr import decode_code_image
from extractors.qr_grid import decode_modules

PAYLOADS = [
    "01,31,,23142738589775878873,583529.99,20230426,,F0E1",  # 数电票
    "01,10,014002367311,11646837,322700.00,20230330,75009495681937787649,CC22,",  # 增值税专用发票
    "12345678901234567890",  # numeric mode
    "HELLO WORLD $%*+-./:",  # alphanumeric mode
    "发票 ¥1,234.00",  # UTF-8 bytes
]
LEVELS = [constants.ERROR_CORRECT_L, constants.ERROR_CORRECT_M, constants.ERROR_CORRECT_Q, constants.ERROR_CORRECT_H]


def _matrix(payload: str, *, level: int, mask: int, version: int | None = None) -> np.ndarray:
    code = qrcode.QRCode(version=version, error_correction=level, mask_pattern=mask, border=0)
    code.add_data(payload)
    code.make(fit=version is None)
    return np.array(code.get_matrix(), dtype=bool)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("level", LEVELS)
def test_every_mask_and_level_decodes(payload: str, level: int) -> None:
    for mask in range(8):
        assert decode_modules(_matrix(payload, level=level, mask=mask)) == payload


@pytest.mark.parametrize("version", [7, 14, 27, 40])
def test_large_versions_with_version_information_decode(version: int) -> None:
    payload = PAYLOADS[0]
    assert decode_modules(_matrix(payload, level=constants.ERROR_CORRECT_M, mask=3, version=version)) == payload


def test_a_damaged_code_is_left_to_the_error_correcting_decoder() -> None:
    matrix = _matrix(PAYLOADS[0], level=constants.ERROR_CORRECT_M, mask=0)
    matrix[-1, -1] ^= True  # a data module: the Reed-Solomon check fails, so no guess is returned
    assert decode_modules(matrix) == ""
    matrix[8, 0] ^= True  # and a format bit of one copy: the other copy still reads
    matrix[-1, -1] ^= True
    assert decode_modules(matrix) == PAYLOADS[0]


def test_not_a_code() -> None:
    assert decode_modules(np.zeros((25, 25), dtype=bool)) == ""
    assert decode_modules(np.zeros((24, 24), dtype=bool)) == ""


def test_damaged_embedded_image_still_decodes_through_cv2() -> None:
    matrix = _matrix(PAYLOADS[0], level=constants.ERROR_CORRECT_M, mask=2)
    matrix[-1, -1] ^= True
    pixels = np.where(np.kron(matrix, np.ones((6, 6), dtype=bool)), 0, 255).astype(np.uint8)
    assert decode_code_image(np.pad(pixels, 24, constant_values=255)) == [PAYLOADS[0]]
