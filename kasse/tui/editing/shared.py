"""Small helpers the forms and screens share: the next free ref, and a list kept in date order."""

from __future__ import annotations

from collections.abc import Iterable


def next_ref(taken: Iterable[str], prefix: str, width: int) -> str:
    """The next free ref after the highest `prefix` + number in use: P-0042 -> P-0043."""
    numbers = (ref[len(prefix) :] for ref in taken if ref.startswith(prefix))
    highest = max((int(number) for number in numbers if number.isdigit()), default=0)
    return f"{prefix}{highest + 1:0{width}d}"


def placed(items: tuple, item, index: int | None) -> tuple:
    """`items` with `item` added (or put in place of the one at `index`), in date order."""
    listed = list(items)
    if index is None:
        listed.append(item)
    else:
        listed[index] = item
    return tuple(sorted(listed, key=lambda each: each.date))
