"""Which person names a change of the extraction rules adds and drops, page by page.

    python bench/persons_diff.py OLD_INDEX NEW_INDEX [--top 40] [--pages]

Build both indexes from the same corpus (`clio index CORPUS --index DIR --full`), one before
the change and one after, then compare the persons each page is indexed with. Prints how many
pages changed and the names most often gained and lost (with `--pages`, every changed page).
The persons dev set (`persons_eval.py`) says whether precision and recall moved; this says
what moved on all the other pages.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from indexer import store  # noqa: E402


def persons_by_page(index_dir: Path) -> dict[str, set[str]]:
    """Page path -> the persons the index holds for it."""
    with store.open_index(index_dir).searcher() as searcher:
        return {fields["path"]: {p for p in fields.get("persons", "").split(",") if p}
                for fields in searcher.all_stored_fields()}


def compare(old: dict[str, set[str]], new: dict[str, set[str]]) -> dict:
    """Pages whose persons differ, and the names gained and lost, counted by page."""
    gained: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    changed: dict[str, tuple[list[str], list[str]]] = {}
    for path in sorted(old.keys() & new.keys()):
        plus, minus = new[path] - old[path], old[path] - new[path]
        if plus or minus:
            changed[path] = (sorted(plus), sorted(minus))
            gained.update(plus)
            lost.update(minus)
    return {"changed": changed, "gained": gained, "lost": lost,
            "only_old": sorted(old.keys() - new.keys()),
            "only_new": sorted(new.keys() - old.keys())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old", type=Path, help="index built before the change")
    ap.add_argument("new", type=Path, help="index built after it, from the same corpus")
    ap.add_argument("--top", type=int, default=40, help="names to list each way (default 40)")
    ap.add_argument("--pages", action="store_true", help="also list every changed page")
    args = ap.parse_args(argv)
    diff = compare(persons_by_page(args.old), persons_by_page(args.new))
    if diff["only_old"] or diff["only_new"]:
        print(f"note: {len(diff['only_old'])} pages only in the old index and "
              f"{len(diff['only_new'])} only in the new one are left out (another corpus?)")
    print(f"{len(diff['changed'])} pages changed: {sum(diff['gained'].values())} names gained, "
          f"{sum(diff['lost'].values())} lost (counted by page)")
    for label in ("gained", "lost"):
        top = diff[label].most_common(args.top)
        print(f"{label}: " + (", ".join(f"{name} {n}" for name, n in top) or "none"))
    if args.pages:
        for path, (plus, minus) in diff["changed"].items():
            print(f"{path}\n  + {', '.join(plus) or '-'}\n  - {', '.join(minus) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
