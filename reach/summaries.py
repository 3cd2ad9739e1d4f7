"""
The reach summaries (``reach.models``) and the triggers that keep them.

Every insert, update and delete of a visit, report, referral or assignment
recomputes the summary rows of the stops and days it touches, in the same
statement's trigger and so in the same transaction: there is no job to run and
nothing stale, and no write path can forget it (the report service, planning's
moves and cancellations, the admin, ``QuerySet.update``, a bulk load). The figures
are recomputed from the raw rows of that stop and day, not adjusted by a
difference, so a summary row is always what ``refresh`` would write.

- PostgreSQL: one statement-level trigger per table and event, with transition
  tables, so a bulk statement refreshes its stop-days in one set-based pass. The
  stop-days are locked (a transaction-level advisory lock each, in order) before
  they are recomputed: two transactions writing the same stop and day take turns,
  and the second reads what the first committed.
- SQLite (development): row-level triggers with the same statements.

``rebuild()`` writes every row anew (after a bulk load, with ``paused()``);
``differences()`` compares the rows with the raw tables (``manage.py reach_verify``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection, connections

from visits.choices import VisitStatus

HELD = VisitStatus.HELD.value
CANCELLED = VisitStatus.CANCELLED.value
PLANNED = VisitStatus.PLANNED.value

SUMS = (
    "people_met",
    "new_people",
    "meals",
    "food_bags",
    "clothing_items",
    "other_items",
    "volunteer_minutes",
)
DAY_COLUMNS = ("planned", "held", "cancelled", "open", "reported", *SUMS)


def _day_select(where: str) -> str:
    """A stop-day's figures from the raw visits and reports (reports of held visits)."""
    sums = ", ".join(f"COALESCE(SUM(r.{name}), 0)" for name in SUMS)
    return f"""
        SELECT v.stop_id, v.date,
               COUNT(*),
               SUM(CASE WHEN v.status = '{HELD}' THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.status = '{CANCELLED}' THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.status = '{PLANNED}' THEN 1 ELSE 0 END),
               COUNT(r.id), {sums}
        FROM visits_visit v
        LEFT JOIN visits_visitreport r ON r.visit_id = v.id AND v.status = '{HELD}'
        WHERE {where}
        GROUP BY v.stop_id, v.date"""


def _referral_select(where: str) -> str:
    return f"""
        SELECT sd.id, rr.service_type_id, SUM(rr.count)
        FROM reach_stopday sd
        JOIN visits_visit v ON v.stop_id = sd.stop_id AND v.date = sd.day
             AND v.status = '{HELD}'
        JOIN visits_visitreport r ON r.visit_id = v.id
        JOIN visits_reportreferral rr ON rr.report_id = r.id
        WHERE {where}
        GROUP BY sd.id, rr.service_type_id"""


def _volunteer_select(where: str) -> str:
    return f"""
        SELECT v.stop_id, v.date, a.volunteer_id, COUNT(*)
        FROM visits_visit v
        JOIN volunteers_assignment a ON a.visit_id = v.id
        WHERE v.status = '{HELD}' AND {where}
        GROUP BY v.stop_id, v.date, a.volunteer_id"""


_DAY_INSERT = f"INSERT INTO reach_stopday (stop_id, day, {', '.join(DAY_COLUMNS)})"
_REFERRAL_INSERT = "INSERT INTO reach_stopdayreferral (stop_day_id, service_type_id, count)"
_VOLUNTEER_INSERT = "INSERT INTO reach_stopvolunteerday (stop_id, day, volunteer_id, visits)"


def _pairs_insert(where: str) -> str:
    """The (stop, volunteer) pairs of those volunteer-days (kept: a superset is harmless)."""
    return (
        "INSERT INTO reach_stopvolunteer (stop_id, volunteer_id) "
        f"SELECT DISTINCT stop_id, volunteer_id FROM reach_stopvolunteerday WHERE {where} "
        "ON CONFLICT (stop_id, volunteer_id) DO NOTHING"
    )


def refresh_statements(keys: str) -> list[str]:
    """
    The statements that recompute the stop-days in ``keys`` (SQL giving rows of
    ``stop_id, day``): the same on both databases.
    """
    in_keys = f"IN (SELECT stop_id, day FROM {keys} AS keys)"
    updates = ", ".join(f"{name} = excluded.{name}" for name in DAY_COLUMNS)
    children = f"SELECT id FROM reach_stopday WHERE (stop_id, day) {in_keys}"
    return [
        f"DELETE FROM reach_stopdayreferral WHERE stop_day_id IN ({children})",
        f"DELETE FROM reach_stopvolunteerday WHERE (stop_id, day) {in_keys}",
        f"{_DAY_INSERT} {_day_select(f'(v.stop_id, v.date) {in_keys}')} "
        f"ON CONFLICT (stop_id, day) DO UPDATE SET {updates}",
        f"DELETE FROM reach_stopday WHERE (stop_id, day) {in_keys} AND NOT EXISTS "
        "(SELECT 1 FROM visits_visit v WHERE v.stop_id = reach_stopday.stop_id "
        "AND v.date = reach_stopday.day)",
        f"{_REFERRAL_INSERT} {_referral_select(f'(sd.stop_id, sd.day) {in_keys}')}",
        f"{_VOLUNTEER_INSERT} {_volunteer_select(f'(v.stop_id, v.date) {in_keys}')}",
        _pairs_insert(f"(stop_id, day) {in_keys}"),
    ]


# Where each table's rows touch a stop and day, from a set of its rows ``x``.
_TABLES = {
    "visits_visit": (
        "SELECT x.stop_id, x.date AS day FROM {rows} x",
        ("stop_id", "date", "status"),
    ),
    "visits_visitreport": (
        "SELECT v.stop_id, v.date AS day FROM {rows} x JOIN visits_visit v ON v.id = x.visit_id",
        ("visit_id", *SUMS),
    ),
    "visits_reportreferral": (
        "SELECT v.stop_id, v.date AS day FROM {rows} x "
        "JOIN visits_visitreport r ON r.id = x.report_id JOIN visits_visit v ON v.id = r.visit_id",
        ("report_id", "service_type_id", "count"),
    ),
    "volunteers_assignment": (
        "SELECT v.stop_id, v.date AS day FROM {rows} x JOIN visits_visit v ON v.id = x.visit_id",
        ("visit_id", "volunteer_id"),
    ),
}
_EVENTS = {"INSERT": "ins", "UPDATE": "upd", "DELETE": "del"}


def _trigger_name(table: str, event: str) -> str:
    return f"reach_{table.split('_', 1)[1]}_{_EVENTS[event]}"


# PostgreSQL ------------------------------------------------------------------

# Stop-days share LOCK_BUCKETS advisory locks: a bulk statement touching 30,000
# stop-days takes at most that many (the server's lock table is small and shared).
LOCK_BUCKETS = 64
LOCK_NAMESPACE = 0x7265  # the first key of the two-key advisory locks: "re"(ach)

_PG_REFRESH = f"""
CREATE OR REPLACE FUNCTION reach_refresh(p_stops bigint[], p_days date[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- One writer per stop and day at a time (a bucket of them), in a fixed order (no
    -- deadlock between two statements' refreshes); each statement below then sees
    -- what the other writer committed.
    PERFORM pg_advisory_xact_lock({LOCK_NAMESPACE}, b.bucket)
    FROM (SELECT DISTINCT (
              (((stop_id * 53 + (day - DATE '2000-01-01')) % {LOCK_BUCKETS}) + {LOCK_BUCKETS})
              % {LOCK_BUCKETS})::int AS bucket
          FROM unnest(p_stops, p_days) AS u(stop_id, day)
          ORDER BY 1) b;
    {{statements}}
END $$;
"""


def _pg_function(table: str) -> str:
    keys, watched = _TABLES[table]
    changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in watched)
    moved = (
        "(SELECT x.* FROM {side} x WHERE x.id IN "
        f"(SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}))"
    )
    update_keys = (
        keys.format(rows=moved.format(side="old_rows"))
        + " UNION "
        + keys.format(rows=moved.format(side="new_rows"))
    )
    name = table.split("_", 1)[1]
    return f"""
CREATE OR REPLACE FUNCTION reach_{name}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s bigint[]; d date[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(k.stop_id), array_agg(k.day) INTO s, d
        FROM ({keys.format(rows="new_rows")}) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(k.stop_id), array_agg(k.day) INTO s, d
        FROM ({keys.format(rows="old_rows")}) k;
    ELSE
        SELECT array_agg(k.stop_id), array_agg(k.day) INTO s, d FROM ({update_keys}) k;
    END IF;
    IF s IS NOT NULL THEN
        PERFORM reach_refresh(s, d);
    END IF;
    RETURN NULL;
END $$;
"""


def _pg_triggers(table: str) -> list[str]:
    name = table.split("_", 1)[1]
    found = []
    for event in _EVENTS:
        tables = {
            "INSERT": "NEW TABLE AS new_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "DELETE": "OLD TABLE AS old_rows",
        }[event]
        trigger = _trigger_name(table, event)
        found.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        found.append(
            f"CREATE TRIGGER {trigger} AFTER {event} ON {table} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION reach_{name}_changed()"
        )
    return found


def _pg_install() -> list[str]:
    keys = "(SELECT * FROM unnest(p_stops, p_days) AS u(stop_id, day))"
    body = ";\n    ".join(refresh_statements(keys)) + ";"
    out = [_PG_REFRESH.replace("{statements}", body)]
    for table in _TABLES:
        out.append(_pg_function(table))
        out.extend(_pg_triggers(table))
    return out


def _pg_uninstall() -> list[str]:
    out = []
    for table in _TABLES:
        name = table.split("_", 1)[1]
        out.extend(f"DROP TRIGGER IF EXISTS {_trigger_name(table, e)} ON {table}" for e in _EVENTS)
        out.append(f"DROP FUNCTION IF EXISTS reach_{name}_changed()")
    out.append("DROP FUNCTION IF EXISTS reach_refresh(bigint[], date[])")
    return out


# SQLite ----------------------------------------------------------------------


def _sqlite_install() -> list[str]:
    out = []
    for table, (keys, watched) in _TABLES.items():
        # SQLite cannot SELECT NEW.*: the one row is made of the columns the keys read.
        one = {
            side: keys.format(
                rows="(SELECT " + ", ".join(f"{side}.{c} AS {c}" for c in _key_columns(table)) + ")"
            )
            for side in ("NEW", "OLD")
        }
        for event in _EVENTS:
            if event == "INSERT":
                key_sql = one["NEW"]
            elif event == "DELETE":
                key_sql = one["OLD"]
            else:
                key_sql = f"{one['OLD']} UNION {one['NEW']}"
            of = f" OF {', '.join(watched)}" if event == "UPDATE" else ""
            trigger = _trigger_name(table, event)
            body = ";\n".join(refresh_statements(f"({key_sql})"))
            out.append(f"DROP TRIGGER IF EXISTS {trigger}")
            out.append(
                f"CREATE TRIGGER {trigger} AFTER {event}{of} ON {table} FOR EACH ROW "
                f"BEGIN\n{body};\nEND"
            )
    return out


def _key_columns(table: str) -> tuple[str, ...]:
    return {
        "visits_visit": ("stop_id", "date"),
        "visits_visitreport": ("visit_id",),
        "visits_reportreferral": ("report_id",),
        "volunteers_assignment": ("visit_id",),
    }[table]


def _sqlite_uninstall() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {_trigger_name(t, e)}" for t in _TABLES for e in _EVENTS]


# Install, pause, rebuild, verify ---------------------------------------------


def _run(statements: list[str], conn=None) -> None:
    with (conn or connection).cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _names() -> list[tuple[str, str]]:
    return [(table, _trigger_name(table, event)) for table in _TABLES for event in _EVENTS]


def missing_triggers(conn=None) -> list[str]:
    """The summary triggers the database lacks (a migration that remade a table drops its)."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'reach\\_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    return [name for _table, name in _names() if name not in present]


def install(conn=None) -> None:
    """Create (or replace) the triggers: the migration, and after every migrate."""
    conn = conn or connection
    _run(_pg_install() if conn.vendor == "postgresql" else _sqlite_install(), conn)


def uninstall(conn=None) -> None:
    conn = conn or connection
    _run(_pg_uninstall() if conn.vendor == "postgresql" else _sqlite_uninstall(), conn)


# The tables ``rebuild`` writes (a bulk loader may drop their indexes meanwhile).
SUMMARY_MODELS = ("reach.StopDay", "reach.StopDayReferral", "reach.StopVolunteerDay",
                  "reach.StopVolunteer")  # fmt: skip


def rebuild(conn=None) -> None:
    """Every summary row anew from the raw tables (one pass each)."""
    _run(
        [
            "DELETE FROM reach_stopdayreferral",
            "DELETE FROM reach_stopvolunteerday",
            "DELETE FROM reach_stopvolunteer",
            "DELETE FROM reach_stopday",
            f"{_DAY_INSERT} {_day_select('1 = 1')}",
            f"{_REFERRAL_INSERT} {_referral_select('1 = 1')}",
            f"{_VOLUNTEER_INSERT} {_volunteer_select('1 = 1')}",
            # Into an empty table: no ON CONFLICT (and so no unique index) needed.
            "INSERT INTO reach_stopvolunteer (stop_id, volunteer_id) "
            "SELECT DISTINCT stop_id, volunteer_id FROM reach_stopvolunteerday",
        ],
        conn,
    )


def drop_before_migrating(using: str = "default", plan=None, **kwargs) -> None:
    """
    Before migrate (pre_migrate) on SQLite, when migrations are to run: the triggers
    go, since SQLite cannot remake a table (Django's way to alter one) while a
    trigger on another table names it; post_migrate puts them back and rebuilds.
    """
    conn = connections[using]
    if conn.vendor == "sqlite" and plan:
        uninstall(conn)


def ensure_installed(using: str = "default", **kwargs) -> None:
    """
    After migrate (post_migrate): the triggers as this code writes them (CREATE OR
    REPLACE, cheap), and, if a migration had dropped one (SQLite drops a table's
    triggers when Django remakes the table to alter it), the rows rebuilt, since
    they may have missed writes meanwhile.
    """
    conn = connections[using]
    if "reach_stopvolunteer" not in conn.introspection.table_names():
        return  # not migrated yet
    missing = missing_triggers(conn)
    install(conn)
    if missing:
        rebuild(conn)


@contextlib.contextmanager
def paused(*, rebuilt: bool = True) -> Iterator[None]:
    """
    For a bulk load in one transaction: no trigger runs per statement; every row is
    rebuilt once at the end (``rebuilt=False``: the caller calls ``rebuild()`` right
    after, e.g. with the summary tables' own indexes dropped meanwhile). On
    PostgreSQL the triggers are disabled (ALTER TABLE, so the tables are locked
    until the transaction ends); SQLite keeps them.
    """
    if connection.vendor != "postgresql":
        yield
        return
    # Pending foreign key checks first: ALTER TABLE refuses to run while some wait.
    _run(["SET CONSTRAINTS ALL IMMEDIATE"])
    _run([f"ALTER TABLE {t} DISABLE TRIGGER {n}" for t, n in _names()])
    try:
        yield
    finally:
        _run([f"ALTER TABLE {t} ENABLE TRIGGER {n}" for t, n in _names()])
        _run(["SET CONSTRAINTS ALL DEFERRED"])
    if rebuilt:
        rebuild()


def differences(limit: int = 20) -> dict[str, list[tuple]]:
    """
    Summary rows that differ from the raw aggregate, per table: each entry is
    ("summary" or "raw", row) for a row found only on that side. Empty when equal.
    """
    held = f"v.status = '{HELD}'"
    pairs = {
        "stop days": (
            f"SELECT stop_id, day, {', '.join(DAY_COLUMNS)} FROM reach_stopday",
            _day_select("1 = 1"),
        ),
        "referrals": (
            "SELECT sd.stop_id, sd.day, c.service_type_id, c.count FROM reach_stopdayreferral c "
            "JOIN reach_stopday sd ON sd.id = c.stop_day_id",
            "SELECT v.stop_id, v.date, rr.service_type_id, SUM(rr.count) FROM visits_visit v "
            "JOIN visits_visitreport r ON r.visit_id = v.id "
            "JOIN visits_reportreferral rr ON rr.report_id = r.id "
            f"WHERE {held} GROUP BY v.stop_id, v.date, rr.service_type_id",
        ),
        "volunteers": (
            "SELECT stop_id, day, volunteer_id, visits FROM reach_stopvolunteerday",
            "SELECT v.stop_id, v.date, a.volunteer_id, COUNT(*) FROM visits_visit v "
            "JOIN volunteers_assignment a ON a.visit_id = v.id "
            f"WHERE {held} GROUP BY v.stop_id, v.date, a.volunteer_id",
        ),
    }
    found: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        for name, (summary, raw) in pairs.items():
            rows = []
            for side, first, second in (("summary", summary, raw), ("raw", raw, summary)):
                cursor.execute(f"SELECT * FROM ({first} EXCEPT {second}) AS d LIMIT {limit}")
                rows.extend((side, tuple(row)) for row in cursor.fetchall())
            if rows:
                found[name] = rows
        # Pairs may be more than the volunteer-days have (kept), never fewer.
        cursor.execute(
            "SELECT * FROM (SELECT DISTINCT stop_id, volunteer_id FROM reach_stopvolunteerday "
            "EXCEPT SELECT stop_id, volunteer_id FROM reach_stopvolunteer) AS d "
            f"LIMIT {limit}"
        )
        missing = [("raw", tuple(row)) for row in cursor.fetchall()]
        if missing:
            found["volunteer pairs"] = missing
    return found
