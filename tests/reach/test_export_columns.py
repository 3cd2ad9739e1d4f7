"""The CSV (and the detail sheet) and the overview sheet name the visits columns alike."""

from django.utils import translation

from reach.exports import detail_header, overview_header

VISITS = ["Planlagte besøg", "Afholdt", "Aflyst", "Rapporter", "Ingen status"]


def _after(header: list[str], first: str, count: int) -> list[str]:
    at = header.index(first)
    return header[at : at + count]


def test_both_sheets_have_the_visits_columns_in_the_same_order():
    with translation.override("da"):
        detail = detail_header([])
        overview = overview_header([], home_visits=True)
    first = _after(detail, detail[4], 6)
    assert first == _after(overview, overview[1], 6)
    assert [str(c) for c in first[:5]] == VISITS
    # The stop × week rows add the reports on time before the people met.
    assert str(detail[detail.index(first[-1]) + 1]) == "Rapporter til tiden (%)"
