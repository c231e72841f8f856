"""Years a page is about, and the date a page states about itself. (Placeholder.)"""

from __future__ import annotations

import re

_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-2][0-9])\b")


def extract_years(text: str) -> list[int]:
    return sorted({int(m) for m in _YEAR.findall(text)})


def find_page_date(text: str) -> str | None:
    return None
