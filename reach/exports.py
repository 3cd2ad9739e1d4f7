"""
CSV and XLSX exports of a selection, built to stay small in memory however long
the period: the CSV is streamed row by row from a database iterator; the workbook is
written by xlsxwriter in constant-memory mode to a temporary file and sent from disk.

Both carry one row per stop and ISO week (weeks cut at the period's ends). The
workbook adds an overview sheet with the page's rows and total. With
``publication=1`` every count of people or things at stop level from 1 to 2 is
written as "<3" (0 stays 0: it points at nobody) and the cells that would let one
be worked out from a total as "x" (reach.publication); numbers of visits and
volunteer time are never suppressed. Text cells never become formulas: the CSV
neutralises them, the workbook writes every string as a string.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterator, Mapping

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from reach import publication
from reach.dashboard import Overview, overview_for
from reach.params import Selection
from reach.publication import PERSON_COUNTS
from reach.selectors.export_rows import export_rows
from reach.selectors.figures import ref_column, service_types
from reach.selectors.timeliness import Timeliness, on_time_by_stop_week

# A text cell starting with one of these is read as a formula by Excel, LibreOffice
# and Google Sheets ("=HYPERLINK(…)" in a stop name would run on a funder's machine).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
VISIT_COUNTS = ("planned", "held", "cancelled", "reported")


def neutralise(value):
    """A text cell a spreadsheet would run as a formula gets a leading ' (numbers stay)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def share_percent(reported: int, due: int) -> int | str:
    """Reports in as a whole percentage of the reports due (empty when none were due)."""
    return round(100 * reported / due) if due else ""


def _visit_columns(*, on_time: bool) -> list[str]:
    """
    The visits' and people's columns, alike on both sheets (and the CSV); the stop ×
    week rows also say how many reports came in on time (the overview gives the
    period's count below its table).
    """
    return [
        _("Visits planned"),
        _("Held"),
        _("Cancelled"),
        _("Reports"),
        _("No status"),
        _("Reports in (%)"),
        *([_("Reports on time (%)")] if on_time else []),
        _("People met"),
    ]


def detail_header(types: list, *, minutes: bool = True) -> list[str]:
    return [
        _("Region"),
        _("Centre"),
        _("Stop"),
        _("Week"),
        *_visit_columns(on_time=True),
        _("Of whom new"),
        _("Meals"),
        _("Food bags"),
        _("Clothing items"),
        _("Other items"),
        _("Volunteer minutes") if minutes else _("Volunteer hours"),
        *[_("Referrals: %(service)s") % {"service": t.display_name} for t in types],
    ]


def _records(selection: Selection, types: list, loaded: list[dict] | None = None) -> Iterator[dict]:
    """
    The stop × week records (``loaded`` when the overview already read them); for
    publication suppressed one centre at a time (the records come ordered by
    centre), so memory holds one centre's weeks, not all.
    """
    records = loaded if loaded is not None else export_rows(selection.query, types=types)
    if not selection.publication:
        yield from records
        return
    centre: list[dict] = []
    for record in records:
        if centre and record["stop__centre_id"] != centre[0]["stop__centre_id"]:
            yield from publication.apply_to_detail(centre, types)
            centre = []
        centre.append(record)
    yield from publication.apply_to_detail(centre, types)


def detail_rows(
    selection: Selection,
    types: list,
    *,
    minutes: bool = True,
    loaded: list[dict] | None = None,
    on_time: Mapping[tuple[int, dt.date], Timeliness] | None = None,
) -> Iterator[list]:
    """
    The stop × week rows as lists of cells, suppressed for publication if asked.
    Volunteer time in minutes (the CSV) or hours (the workbook), as the header says.
    ``on_time``: timeliness per stop-week (a share, like "Reports in (%)").
    """
    on_time = on_time or {}
    referrals = [ref_column(t.pk) for t in types]
    for record in _records(selection, types, loaded):
        timely = on_time.get((record["stop_id"], record["monday"]))
        time = record["volunteer_minutes"]
        yield [
            record["stop__centre__region__name"],
            record["stop__centre__name"],
            record["stop__community"],
            str(record["week"]),
            *[record[name] for name in VISIT_COUNTS],
            record["open_past"],
            share_percent(record["reported"], record["held"] + record["open_past"]),
            share_percent(timely.on_time, timely.reports) if timely else "",
            *[record[name] for name in PERSON_COUNTS],
            time if minutes else round(time / 60, 2),
            *[record[name] for name in referrals],
        ]


class _Echo:
    """A file-like object whose write returns the line: csv.writer into a stream."""

    def write(self, value: str) -> str:
        return value


# Lines sent together: one chunk per line would cost a write (and an HTTP chunk) per
# line, about a third of a year's export (make bench).
CSV_LINES_PER_CHUNK = 500


def csv_response(selection: Selection) -> StreamingHttpResponse:
    """Semicolon-separated UTF-8 with a byte order mark, so Danish Excel opens it as is."""
    types = service_types()
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        chunk = ["\ufeff" + writer.writerow(detail_header(types))]
        timely = on_time_by_stop_week(selection.query)
        for row in detail_rows(selection, types, on_time=timely):
            # The names are the only text from users; the other cells are numbers,
            # the week or a suppression marker ("<3", "x"), never a formula.
            row[0], row[1], row[2] = neutralise(row[0]), neutralise(row[1]), neutralise(row[2])
            chunk.append(writer.writerow(row))
            if len(chunk) >= CSV_LINES_PER_CHUNK:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{selection.slug}.csv"'
    return response


def overview_header(types: list, *, home_visits: bool) -> list[str]:
    return [
        _("Name"),
        *_visit_columns(on_time=False),
        _("Target"),
        _("Of whom new"),
        _("Meals"),
        _("Food bags"),
        _("Clothing items"),
        _("Other items"),
        *([_("Home visits")] if home_visits else []),
        _("Volunteers"),
        _("Volunteer hours"),
        *[_("Referrals: %(service)s") % {"service": t.display_name} for t in types],
    ]


def overview_row(row: publication.Published, types: list, *, home_visits: bool) -> list:
    """A row of the overview sheet, as published (reach.publication.Published)."""
    return [
        row.name,
        row.planned,
        row.held,
        row.cancelled,
        row.reported,
        row.open_past,
        share_percent(row.reported, row.reports_due),
        row.people_met,
        row.target_rounded if row.target_rounded is not None else "",
        *[getattr(row, n) for n in PERSON_COUNTS[1:]],
        *([row.home_visits if row.home_visits is not None else ""] if home_visits else []),
        row.volunteers,
        round(row.volunteer_hours, 2),
        *[row.shown_referral(t.pk) for t in types],
    ]


def xlsx_response(selection: Selection) -> FileResponse:
    """An overview sheet and a stops × weeks sheet, written in constant memory."""
    data = overview_for(selection)
    types = data.types
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="drivein-reach-")
    os.close(fd)
    try:
        _write_workbook(path, selection, data, types)
        stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    finally:
        os.unlink(path)  # the open handle keeps the data until it is sent
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"{selection.slug}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _write_workbook(path: str, selection: Selection, data: Overview, types: list) -> None:
    # Every string is written as text: never a formula, a number or a link, whatever a
    # stop, venue or centre is called (spreadsheet formula injection).
    book = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    overview = book.add_worksheet(_("Overview")[:31])
    overview.write_string(0, 0, _("Reach: %(place)s") % {"place": selection.place_label}, title)
    overview.write_string(1, 0, selection.period.label)
    line = 2
    if selection.funder is not None:
        overview.write_string(line, 0, _("Funder: %(name)s") % {"name": selection.funder.name})
        line += 1
    if selection.publication:
        overview.write_string(
            line,
            0,
            _(
                "For publication: stop counts of 1 or 2 are shown as <3; x hides the "
                "next-smallest count where a <3 could be worked out from a total."
            ),
        )
        line += 1
    overview.write_string(
        line, 0, _("Made %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    )
    line += 2
    home = data.total.home_visits is not None
    overview.write_row(line, 0, overview_header(types, home_visits=home), bold)
    for row in data.rows:
        line += 1
        overview.write_row(line, 0, overview_row(row, types, home_visits=home))
    line += 1
    total = data.total
    total.name = _("Total")
    overview.write_row(line, 0, overview_row(total, types, home_visits=home), bold)
    timely = on_time_by_stop_week(selection.query)
    reports = sum(t.reports for t in timely.values())
    in_time = sum(t.on_time for t in timely.values())
    line += 2
    overview.write_string(
        line,
        0,
        _("Reports on time: %(on_time)s of %(reports)s (%(share)s %%) written within 24 hours")
        % {"on_time": in_time, "reports": reports, "share": share_percent(in_time, reports)},
    )
    overview.set_column(0, 0, 28)
    detail = book.add_worksheet(_("Stops by week")[:31])
    detail.write_row(0, 0, detail_header(types, minutes=False), bold)
    rows = detail_rows(selection, types, minutes=False, loaded=data.records, on_time=timely)
    for index, cells in enumerate(rows, start=1):
        detail.write_row(index, 0, cells)
    detail.set_column(0, 2, 20)
    book.close()
