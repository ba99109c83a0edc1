"""A raw ZIP writer: entry names are written verbatim and a member may be a pre-built deflate stream.

``zipfile`` cannot write a member whose compressed bytes it did not produce, and a zip bomb must
not be inflated while it is built.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_MIB = 1024 * 1024


@dataclass(frozen=True)
class RawMember:
    name: bytes
    deflated: bytes
    crc: int
    size: int


def deflated_member(name: str | bytes, data: bytes) -> RawMember:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = compressor.compress(data) + compressor.flush()
    encoded = name.encode("utf-8") if isinstance(name, str) else name
    return RawMember(encoded, raw, zlib.crc32(data) & 0xFFFFFFFF, len(data))


def _gf2_times(matrix: list[int], vector: int) -> int:
    total = 0
    row = 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of ``A + B`` from ``crc(A)``, ``crc(B)`` and ``len(B)`` (zlib's crc32_combine)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _repeated_crc(block: bytes, times: int) -> int:
    """CRC-32 of ``block * times`` by doubling, without building it."""
    result, result_len = 0, 0
    power, power_len = zlib.crc32(block), len(block)
    while times:
        if times & 1:
            result, result_len = crc32_combine(result, power, power_len), result_len + power_len
        power, power_len = crc32_combine(power, power, power_len), power_len * 2
        times >>= 1
    return result


def bomb_member(name: str, prefix: bytes, filler_mib: int, suffix: bytes) -> RawMember:
    """``prefix + b' ' * filler_mib MiB + suffix`` deflated without ever holding the filler.

    A full flush makes each compressed MiB of spaces independent of what came before, so the same
    few hundred bytes can be repeated ``filler_mib`` times.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = b" " * _MIB
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush()
    crc = crc32_combine(zlib.crc32(prefix), _repeated_crc(block, filler_mib), filler_mib * _MIB)
    crc = zlib.crc32(suffix, crc) & 0xFFFFFFFF
    size = len(prefix) + filler_mib * _MIB + len(suffix)
    return RawMember(name.encode(), head + repeated * filler_mib + tail, crc, size)


def zip_bytes(members: list[RawMember]) -> bytes:
    """Stored as written: no name checks, 32-bit sizes (members must stay under 4 GiB)."""
    out = bytearray()
    central = bytearray()
    for member in members:
        offset = len(out)
        flags = 0x800  # names are UTF-8
        fields = struct.pack(
            "<HHHHHIII", 20, flags, 8, 0, 0x21, member.crc, len(member.deflated), member.size
        )
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(member.name), 0) + member.name + member.deflated
        central += (
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(member.name), 0, 0, 0, 0, 0o644 << 16, offset)
            + member.name
        )
    directory_at = len(out)
    out += central
    out += b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(central), directory_at, 0)
    return bytes(out)
