"""
Reach figures, read straight from the database as plain rows, one module per job:

- ``query``: what is counted (``ReachQuery``, ``Level``); every selector takes one;
- ``figures``: the rows of a level and their total (``reach_rows``, ``reach_total``);
- ``targets``: the people targets of those rows (``apply_targets``);
- ``completeness``: reports due and in, per centre, and the past visits to fix;
- ``timeliness``: of the reports in, those captured within 24 hours (``timeliness``,
  re-exported here: ``from reach.selectors import timeliness``);
- ``totals``: cafés, people and meals over a span of days (a year earlier);
- ``trends``: the weekly trend and the running totals since the start;
- ``export_rows``: the exports' stop × week rows, streamed;
- ``aggregates``: the sum they share.

Import from the module that holds a name; this package re-exports only ``timeliness``.

Every function takes a ``ReachQuery`` (period, level, filters, the user's centre
scope; nothing about HTTP) and runs a fixed number of aggregate queries, whatever
the amount of data. They read the summaries (``reach.models``: one row per stop
and day with visits, per kind of referral, per volunteer), which the database keeps
up to date in the same transaction as every write (``reach.summaries``): a report
sent is counted by the next request, and a period costs the stop-days it covers,
never the reports and referrals of the whole history. The rows of one level come
from ONE query that groups the level's model (regions, centres or stops) over a
day-filtered join to its summary rows (``FilteredRelation``, so the dates sit in
the JOIN and the index serves them) with each kind of referral joined once (at most
one row per stop-day, so no join multiplies another); distinct volunteers come
from one more query of (row, volunteer) pairs, which also gives the total's.
No Python loop ever walks visit rows; the few loops here walk groups (at most a
few thousand stops), volunteers of the selection, days or weeks.

For a "raw SQL floor" benchmark, ``reach_rows_queryset(q, types=…).query`` is the
SQL of the level's one query.

Definitions (README, "For leadership"):
- planned: every visit on the schedule in the period, whatever its status;
  held / cancelled by status; open: past visits still marked planned.
- reports due: held visits plus open ones (a café nobody marked held or cancelled
  may well have been held; it must count as a report due and not in, not vanish). Completeness is
  reports / reports due.
- people met, new, meals, food bags, clothing, other items and volunteer minutes
  come from the reports of held visits; hours = volunteer minutes / 60.
- volunteers: distinct volunteers assigned to held visits (checked in or not).
- referrals: café referrals (ReportReferral) of held visits, per service type.
- home visits belong to a centre, not a stop: counted for regions and centres,
  shown as none for stops; under a funder only for centres the grant covers whole.
- a funder narrows everything to its covered stops and to the grant's dates.
"""

from reach.selectors.timeliness import Timeliness, timeliness

__all__ = ["Timeliness", "timeliness"]
