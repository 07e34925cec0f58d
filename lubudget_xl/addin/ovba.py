"""The two byte-level algorithms of [MS-OVBA] a VBA project writer needs.

- §2.4.1 compression: the `dir` stream and every module's source are stored compressed.
- §2.4.3 data encryption: the `CMG`, `DPB` and `GC` lines of the `PROJECT` stream (protection
  state, password, visibility) are "encrypted" (obfuscated) with the project id as key.

Both are deterministic here (the encryption's random seed and filler bytes are fixed), so the same
sources always give the same add-in bytes. Decoders exist for the tests; oletools' `olevba` is the
independent decoder the tests also compare against.
"""

from __future__ import annotations

import struct

CHUNK = 4096
_MAX_CANDIDATES = 64  # how many earlier positions with the same 3-byte prefix are tried per match


def _bit_count(position: int) -> int:
    """Bits of a copy token given to the offset, from the decompressed position within the chunk."""
    count = 4
    while (1 << count) < position:
        count += 1
    return count


def _compress_chunk(data: bytes) -> bytes:
    """One compressed chunk (§2.4.1.3.7) of up to 4096 decompressed bytes, header included."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos, end = 0, len(data)
    while pos < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len, best_off = 0, 0
            if pos > 0:
                bits = _bit_count(pos)
                max_len = (0xFFFF >> bits) + 3
                limit = min(max_len, end - pos)
                for cand in reversed(heads.get(data[pos : pos + 3], [])[-_MAX_CANDIDATES:]):
                    length = 0
                    while length < limit and data[cand + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bits)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, pos + step):
                if p + 3 <= end:
                    heads.setdefault(data[p : p + 3], []).append(p)
            pos += step
        out[flag_index] = flags
    if len(out) > CHUNK:
        if len(data) == CHUNK:  # an uncompressed chunk holds exactly 4096 bytes
            return struct.pack("<H", (CHUNK - 1) | 0x3000) + data
        raise ValueError("a final chunk that does not compress cannot be stored (MS-OVBA §2.4.1.3.7)")
    return struct.pack("<H", (len(out) + 2 - 3) | 0x3000 | 0x8000) + bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer (§2.4.1.1.1): signature byte 0x01, then one chunk per 4096 bytes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data[start : start + CHUNK])
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """The inverse of `compress` (§2.4.1.3.1), used by tests and for reading projects back."""
    if not container or container[0] != 1:
        raise ValueError("not an MS-OVBA compressed container")
    out = bytearray()
    pos = 1
    while pos < len(container):
        header = struct.unpack_from("<H", container, pos)[0]
        size = (header & 0x0FFF) + 3
        chunk_end = min(pos + size, len(container))
        pos += 2
        start = len(out)
        if not header & 0x8000:
            out += container[pos : pos + CHUNK]
            pos += CHUNK
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if flags & (1 << bit):
                    token = struct.unpack_from("<H", container, pos)[0]
                    pos += 2
                    bits = _bit_count(len(out) - start)
                    length = (token & (0xFFFF >> bits)) + 3
                    offset = (token >> (16 - bits)) + 1
                    for _ in range(length):
                        out.append(out[-offset])
                else:
                    out.append(container[pos])
                    pos += 1
    return bytes(out)


def encrypt(data: bytes, project_id: str, seed: int = 0x5D) -> str:
    """§2.4.3.2: obfuscate `data` for a PROJECT-stream line; returns the upper-case hex text.

    The key is the sum of the project id's bytes; `seed` replaces the spec's random byte so the
    output is reproducible. The filler bytes the seed asks for are fixed zeros.
    """
    version = 2
    proj_key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ proj_key])
    unencrypted1, encrypted1, encrypted2 = proj_key, seed ^ proj_key, seed ^ version

    def put(byte: int) -> None:
        nonlocal unencrypted1, encrypted1, encrypted2
        enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte

    for _ in range((seed & 6) // 2):
        put(0)
    for byte in struct.pack("<I", len(data)) + data:
        put(byte)
    return out.hex().upper()


def decrypt(text: str) -> tuple[int, bytes]:
    """§2.4.3.3: returns (project key, data) of an encrypted PROJECT-stream value."""
    raw = bytes.fromhex(text)
    seed, version_enc, proj_key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise ValueError("unknown encryption version")
    proj_key = seed ^ proj_key_enc
    unencrypted1, encrypted1, encrypted2 = proj_key, proj_key_enc, version_enc
    plain = bytearray()
    for enc in raw[3:]:
        byte = enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(byte)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    ignored = (seed & 6) // 2
    length = struct.unpack_from("<I", plain, ignored)[0]
    data = bytes(plain[ignored + 4 : ignored + 4 + length])
    if len(data) != length:
        raise ValueError("encrypted data is shorter than its length field")
    return proj_key, data
