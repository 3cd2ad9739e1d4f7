"""
Small-number suppression for publication (``publication=1``), in one place for the
dashboard, the exports and the API.

Primary suppression: a stop-level count of people or of things handed out that is
1 or 2 is shown as "<3" (0 stays 0: it points at nobody). Complementary
suppression: a hidden number must not come back as a total minus the other cells.
So in every group of cells that adds up to a published figure (a column of stops
and its total, the referral kinds of one row and the row's referrals, the weeks of
one stop, the stops of one centre in one week), when exactly one cell is hidden the
next-smallest cell of the group is hidden too, as "x" (the smallest one above 0
when there is one: hiding a 0 reveals almost as much). When the group has no other
cell, its total is hidden instead if the table shows it. This repeats until no
group has exactly one hidden cell. Numbers of cafés and volunteer time are never
hidden; regions and centres are not suppressed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

SMALL = "<3"  # a count of 1 or 2
HIDDEN = "x"  # hidden so that a "<3" cannot be worked out from a total
PERSON_COUNTS = ("people_met", "new_people", "meals", "food_bags", "clothing_items", "other_items")

Key = Hashable
Group = tuple[Sequence[Key], Key | None]  # the cells, and the cell of their total (or None)


def is_small(value: int) -> bool:
    return 0 < value < 3


def suppress(
    values: Mapping[Key, int], groups: Iterable[Group], *, exempt: Iterable[Key] = ()
) -> dict[Key, str]:
    """
    The cells to hide and their marker: "<3" for small counts (not the ``exempt``
    cells, such as totals), then "x" for complementary cells (see the module doc).
    """
    exempt = set(exempt)
    hidden: dict[Key, str] = {
        key: SMALL for key, value in values.items() if key not in exempt and is_small(value)
    }
    groups = [(list(cells), total) for cells, total in groups]
    changed = True
    while changed:
        changed = False
        for cells, total in groups:
            if sum(1 for key in cells if key in hidden) != 1:
                continue
            others = [key for key in cells if key not in hidden]
            if others:
                pick = min(others, key=lambda key: (values[key] == 0, values[key]))
                hidden[pick] = HIDDEN
                changed = True
            elif total is not None and total not in hidden:
                hidden[total] = HIDDEN
                changed = True
    return hidden


def ref_column(service_type_id: int) -> str:
    return f"ref_{service_type_id}"


def apply_to_rows(rows: Sequence, total, types: Sequence) -> None:
    """
    Fill ``row.hidden`` (column name → marker) of stop rows and their total row:
    columns of stops against the total row, referral kinds against each row's
    referrals. Runs on the few dozen rows of one centre, never on visits.
    """
    refs = [ref_column(t.pk) for t in types]
    columns = [*PERSON_COUNTS, "referrals_total", *refs]
    everyone = [*rows, total]
    values: dict[Key, int] = {}
    for index, row in enumerate(everyone):
        for name in columns:
            values[(index, name)] = _value(row, name)
    total_index = len(rows)
    groups: list[Group] = [
        ([(i, name) for i in range(len(rows))], (total_index, name)) for name in columns
    ]
    groups += [([(i, ref) for ref in refs], (i, "referrals_total")) for i in range(len(everyone))]
    exempt = [(total_index, name) for name in columns]
    hidden = suppress(values, groups, exempt=exempt)
    for (index, name), marker in hidden.items():
        everyone[index].hidden[name] = marker


def _value(row, name: str) -> int:
    if name.startswith("ref_"):
        return row.referrals.get(int(name[4:]), 0)
    return getattr(row, name)


def apply_to_detail(records: list[dict], types: Sequence) -> list[dict]:
    """
    The stop × week records of one centre with suppressed counts replaced by their
    markers: groups are each stop's weeks, each week's stops and each record's
    referral kinds (whose sums are published on the dashboard's pages).
    """
    columns = [*PERSON_COUNTS, *(ref_column(t.pk) for t in types)]
    refs = columns[len(PERSON_COUNTS) :]
    values = {(i, name): record[name] for i, record in enumerate(records) for name in columns}
    by_stop: dict[Key, list[int]] = {}
    by_week: dict[Key, list[int]] = {}
    for i, record in enumerate(records):
        by_stop.setdefault(record["stop_id"], []).append(i)
        by_week.setdefault(record["week"], []).append(i)
    groups: list[Group] = [
        ([(i, name) for i in indices], None)
        for indices in (*by_stop.values(), *by_week.values())
        for name in columns
    ]
    groups += [([(i, ref) for ref in refs], None) for i in range(len(records))]
    shown = [dict(record) for record in records]
    for (index, name), marker in suppress(values, groups).items():
        shown[index][name] = marker
    return shown
