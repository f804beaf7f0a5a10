"""RouterOS API wire format: length-prefixed words grouped into sentences."""
from __future__ import annotations

import asyncio

# Words travel as bytes; latin-1 maps every byte to one character and back, so text a client
# sends in any encoding is stored and echoed unchanged.
ENCODING = "latin-1"


class ProtocolError(Exception):
    """The peer sent bytes that are not a valid API word (reserved length prefix)."""


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    if length < 0x4000:
        return (length | 0x8000).to_bytes(2, "big")
    if length < 0x200000:
        return (length | 0xC00000).to_bytes(3, "big")
    if length < 0x10000000:
        return (length | 0xE0000000).to_bytes(4, "big")
    return b"\xf0" + length.to_bytes(4, "big")


def encode_word(word: str | bytes) -> bytes:
    data = word.encode(ENCODING) if isinstance(word, str) else word
    return encode_length(len(data)) + data


def encode_sentence(words: list[str]) -> bytes:
    return b"".join(encode_word(w) for w in words) + b"\x00"


def encode_reply(kind: str, attrs: dict[str, str] | None = None, tag: str | None = None) -> bytearray:
    """One reply sentence (`!re =k=v ... .tag=T`) encoded straight from its attributes.

    The same bytes as encode_sentence(), built without intermediate word lists: print answers
    are made of thousands of these.
    """
    out = bytearray()
    for word in (kind, *(f"={k}={v}" for k, v in (attrs or {}).items()), *((f".tag={tag}",) if tag is not None else ())):
        data = word.encode(ENCODING)
        length = len(data)
        if length < 0x80:
            out.append(length)
        else:
            out += encode_length(length)
        out += data
    out.append(0)
    return out


def extra_length_bytes(first: int) -> int:
    """How many bytes follow the first byte of a length prefix."""
    if first < 0x80:
        return 0
    if first < 0xC0:
        return 1
    if first < 0xE0:
        return 2
    if first < 0xF0:
        return 3
    if first == 0xF0:
        return 4
    raise ProtocolError(f"reserved control byte 0x{first:02x}")


def decode_length(prefix: bytes) -> int:
    first = prefix[0]
    if first < 0x80:
        return first
    if first < 0xC0:
        return int.from_bytes(prefix, "big") & 0x3FFF
    if first < 0xE0:
        return int.from_bytes(prefix, "big") & 0x1FFFFF
    if first < 0xF0:
        return int.from_bytes(prefix, "big") & 0x0FFFFFFF
    return int.from_bytes(prefix[1:], "big")


async def read_word(reader: asyncio.StreamReader) -> str:
    first = await reader.readexactly(1)
    extra = extra_length_bytes(first[0])
    prefix = first + (await reader.readexactly(extra) if extra else b"")
    length = decode_length(prefix)
    return (await reader.readexactly(length)).decode(ENCODING) if length else ""


async def read_sentence(reader: asyncio.StreamReader) -> list[str]:
    """Read words up to the empty word; empty sentences (keepalives) are skipped."""
    while True:
        words: list[str] = []
        while (word := await read_word(reader)) != "":
            words.append(word)
        if words:
            return words
