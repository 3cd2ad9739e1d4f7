"""
Small-number suppression for publication (``publication=1``), in one place for the
dashboard, the exports and the API.

Primary suppression: a stop-level count of people or of things handed out that is
1 or 2 is shown as "<3" (0 stays 0: it points at nobody). Complementary
suppression: a hidden number must not come back as a total minus the other cells.
One centre's figures are treated as one linked table, whatever shows them (the
dashboard, the workbook's two sheets, the CSV, the API): the stop × week cells,
each stop's figure for the period (the sum of its weeks), the centre's total, and
the centre's weekly figures (in its trends). In every equation among them (a
stop's weeks and its period figure, the stops and the total, the stops of one
week, the referral kinds of a row and its referrals) that has exactly one hidden
member, another member is hidden too, as "x": the smallest cell above 0, else the
total (hiding a 0 protects nothing). This repeats until no equation has exactly
one hidden member. It is a rule, not optimal cell suppression: several equations
combined can in rare tables still narrow a cell down, and a centre with a single
stop cannot be protected, since its total is the stop's figure and the region
page shows it. Numbers of cafés and volunteer time are never hidden; regions and
centres are not suppressed.

What is hidden is applied once, here (``Published``): the dashboard's key figures
and tables, the workbook's overview and the API read the same published rows, so
none of them can show a figure another hides, nor one worked out from it (a share
of the target, a change from a year earlier).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from reach.selectors.figures import ref_column
from visits.models import COUNT_FIELDS

SMALL = "<3"  # a count of 1 or 2
HIDDEN = "x"  # hidden so that a "<3" cannot be worked out from a total
PERSON_COUNTS = COUNT_FIELDS  # people met and things handed out

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

    Each group is an equation, its cells adding up to its total (a cell of the table,
    or ``None`` for a sum published elsewhere). An equation with exactly one hidden
    member gives it away, so another member is hidden: the smallest cell above 0
    (a hidden 0 protects nothing), else the total, else, when there is nothing else
    left, a 0.
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
            members = cells if total is None else [*cells, total]
            if sum(1 for key in members if key in hidden) != 1:
                continue
            shown = [key for key in cells if key not in hidden]
            above_zero = [key for key in shown if values[key] != 0]
            if above_zero:
                pick = min(above_zero, key=lambda key: values[key])
            elif total is not None and total not in hidden:
                pick = total
            elif shown and total is None:
                pick = shown[0]
            else:
                continue  # the lone hidden member is the total of zeros: it is 0 anyway
            hidden[pick] = HIDDEN
            changed = True
    return hidden


def centre_hidden(records: Sequence[Mapping], types: Sequence) -> dict[Key, str]:
    """
    What to hide of one centre's figures for publication, as ONE linked table, so
    that no page, sheet or file can be set against another to work a number out:
    the stop × week records (keys ``("week", index, column)``), each stop's figures
    for the period, the sum of its weeks (``("stop", stop id, column)``) and the
    centre's total (``("total", column)``). The equations: each stop's weeks add up
    to its period figure, the stops to the total, the stops of a week to the centre's
    week (published in its trends), and the referral kinds of a row to its referrals.
    """
    refs = [ref_column(t.pk) for t in types]
    detail_columns = [*PERSON_COUNTS, *refs]
    overview_columns = [*PERSON_COUNTS, "referrals_total", *refs]
    values: dict[Key, int] = {}
    by_stop: dict[Key, list[int]] = {}
    by_week: dict[Key, list[int]] = {}
    for i, record in enumerate(records):
        by_stop.setdefault(record["stop_id"], []).append(i)
        by_week.setdefault(record["week"], []).append(i)
        for name in detail_columns:
            values[("week", i, name)] = record[name]
    for row in (*by_stop, None):
        indices = by_stop[row] if row is not None else range(len(records))
        key = ("stop", row) if row is not None else ("total",)
        for name in detail_columns:
            values[(*key, name)] = sum(records[i][name] for i in indices)
        values[(*key, "referrals_total")] = sum(values[(*key, ref)] for ref in refs)
    stops = list(by_stop)
    groups: list[Group] = [
        ([("stop", stop, name) for stop in stops], ("total", name)) for name in overview_columns
    ]
    groups += [
        ([(*key, ref) for ref in refs], (*key, "referrals_total"))
        for key in (*[("stop", stop) for stop in stops], ("total",))
    ]
    groups += [
        ([("week", i, name) for i in by_stop[stop]], ("stop", stop, name))
        for stop in stops
        for name in detail_columns
    ]
    groups += [
        ([("week", i, name) for i in indices], None)
        for indices in by_week.values()
        for name in detail_columns
    ]
    groups += [([("week", i, ref) for ref in refs], None) for i in range(len(records))]
    exempt = [("total", name) for name in overview_columns]
    return suppress(values, groups, exempt=exempt)


def apply_to_rows(rows: Sequence, total, types: Sequence, records: Sequence[Mapping]) -> None:
    """
    Fill ``row.hidden`` (column name → marker) of one centre's stop rows and their
    total row, from the centre's stop × week ``records`` (``reach.selectors.export_rows``),
    so that the page hides what the export hides (``centre_hidden``).
    """
    hidden = centre_hidden(records, types)
    by_stop = {row.id: row for row in rows}
    for key, marker in hidden.items():
        if key[0] == "stop" and key[1] in by_stop:
            by_stop[key[1]].hidden[key[2]] = marker
        elif key[0] == "total":
            total.hidden[key[1]] = marker


def apply_to_detail(records: list[dict], types: Sequence) -> list[dict]:
    """The stop × week records of one centre with suppressed counts replaced by their markers."""
    shown = [dict(record) for record in records]
    for key, marker in centre_hidden(records, types).items():
        if key[0] == "week":
            shown[key[1]][key[2]] = marker
    return shown


# What a row's hidden counts give away when shown beside it: people met as a share
# of the target (the target is published), referrals in all as their sum.
DERIVED_FROM = {"target_share": "people_met"}


class Published:
    """
    A reach row as it may be published, read by every page, file and answer that
    shows it. A hidden count (a person count, ``referrals_total``) reads as its
    marker, "<3" or "x"; a figure worked out from one (``DERIVED_FROM``) reads as
    None; everything else is the row's. Without publication nothing is hidden and
    it reads as the row itself.
    """

    def __init__(self, row) -> None:
        self._row = row

    def __getattr__(self, name: str) -> Any:
        row = self.__dict__.get("_row")
        if row is None or name.startswith("__"):
            raise AttributeError(name)
        hidden = row.hidden
        if name in hidden:
            return hidden[name]
        if DERIVED_FROM.get(name) in hidden:
            return None
        return getattr(row, name)

    def __repr__(self) -> str:
        return f"Published({self._row!r})"

    @property
    def raw(self):
        """The row as counted (for tests and sums, never to be shown)."""
        return self._row

    def is_hidden(self, name: str) -> bool:
        return name in self._row.hidden or DERIVED_FROM.get(name) in self._row.hidden


def published(rows: Sequence, total) -> tuple[list[Published], Published]:
    """The rows and total of one selection as published (see ``Published``)."""
    return [Published(row) for row in rows], Published(total)
