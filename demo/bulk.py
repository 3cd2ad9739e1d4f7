"""
Rows straight into tables, for the demo's history: PostgreSQL's COPY, or one
``executemany`` INSERT elsewhere (SQLite). No model instances, no signals, no
history rows: the caller gives the primary keys (``BulkTable.next_id``), so rows
of one table can point at rows of another before either is written.

Every concrete column the caller does not give gets the field's default, worked
out once (a column added later by a migration still gets its default).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator, Sequence

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone


class BulkTable:
    """One model's table, written in batches with the columns named once."""

    def __init__(self, model: type[Model], columns: Sequence[str]):
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        now = timezone.now()
        self.fixed: dict[str, object] = {}
        for name, found in fields.items():
            if name in columns or found.primary_key:
                continue  # a key not given is the sequence's
            if found.unique:
                raise ValueError(f"{model.__name__}.{name} is unique: give it")
            if getattr(found, "auto_now", False) or getattr(found, "auto_now_add", False):
                self.fixed[name] = now
            else:
                self.fixed[name] = found.get_default()  # "" for text, None if nullable
                if self.fixed[name] is None and not found.null:
                    raise ValueError(f"{model.__name__}.{name} has no default: give it")
        self.names = [*columns, *self.fixed]
        self.fields = [fields[name] for name in self.names]
        self.columns = [fields[name].column for name in self.names]
        self.tail = tuple(self.fixed.values())
        self.written = 0
        self.seconds = 0.0  # spent writing (the rows' own making is the caller's)

    def next_id(self) -> int:
        """The first free primary key (the table's highest plus one)."""
        return (self.model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(self, rows: Iterable[tuple]) -> int:
        """Write ``rows`` (tuples in the order of ``columns``); returns how many."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        tail = self.tail
        count = 0
        started = time.monotonic()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Binary COPY: two to four times faster than text here (dates, times
                # and UUIDs are not formatted and parsed); it needs the columns' types,
                # taken from the table itself.
                cursor.execute(f"SELECT {columns} FROM {table} LIMIT 0")
                types = [column.type_code for column in cursor.description]
                sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
                with cursor.cursor.copy(sql) as copy:
                    copy.set_types(types)
                    for row in rows:
                        copy.write_row(row + tail)
                        count += 1
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                # The backend's own conversions (SQLite takes no time or UUID objects).
                fields = self.fields
                batch = [
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, row + tail)]  # noqa: B905
                    for row in rows
                ]
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
                count = len(batch)
        self.written += count
        self.seconds += time.monotonic() - started
        return count


def reset_sequences(*models: type[Model]) -> None:
    """After rows were written with their own keys: the next INSERT takes the next free key."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextlib.contextmanager
def loading(*models: type[Model]) -> Iterator[None]:
    """
    On PostgreSQL, for a load into these tables inside one transaction: their
    foreign keys, unique constraints and plain indexes are dropped first and made
    again afterwards, so that each is checked or built once over all rows (one pass,
    sorted) instead of row by row (the primary keys stay). A bad row still fails the
    load: re-adding a foreign key or a unique constraint checks it. Elsewhere
    nothing changes.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        # The checks still pending from earlier writes first: ALTER TABLE refuses
        # to run while a table has some.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        uniques = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary AND NOT "
            "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in keys + uniques:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in uniques + keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Statistics for what comes next in the same transaction (the planner would
        # otherwise see the tables as empty).
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
