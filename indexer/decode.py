"""Bytes -> text. (Placeholder: being replaced by the full detector.)"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # the codec actually used, a Python codec name such as "utf-8", "mac_roman"


def decode_page(data: bytes) -> DecodedText:
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return DecodedText(data.decode("cp1252", errors="replace"), "cp1252")
