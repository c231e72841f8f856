"""Persons mentioned on a page. (Placeholder.)"""

from __future__ import annotations


def extract_persons(title: str, text: str) -> list[str]:
    return []
