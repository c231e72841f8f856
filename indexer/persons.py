"""Persons mentioned on a page. (Placeholder until the person extractor lands.)"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonMention:
    name: str
    variants: list[str]
    count: int


def extract_persons(title: str, text: str) -> list[str]:
    return []


def person_mentions(title: str, text: str) -> list[PersonMention]:
    return []


def key_terms(text: str) -> list[str]:
    return []
