"""
Querysets compiled to SQL once and run again with each request's values.

A few statements run on every request (the role of the user, the session); for them
building the SQL in the ORM (about a millisecond of Python each) costs more than
PostgreSQL takes to answer. ``Precompiled`` builds the queryset once per database
with stand-in values, keeps the SQL and its parameters, and afterwards only puts the
request's values in the stand-ins' places: the same statement, the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models

# Stand-ins no real value equals: each argument's place in the parameters is found
# by looking for its stand-in, so they must not occur in the query otherwise.
# Within a 32-bit integer column (the ORM answers nothing for a value out of range).
STAND_IN_INT = -2_104_729_351
STAND_IN_TEXT = "\x1fprecompiled-stand-in\x1f"
STAND_IN_TIME = dt.datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=dt.UTC)
STAND_INS: dict[type, Any] = {int: STAND_IN_INT, str: STAND_IN_TEXT, dt.datetime: STAND_IN_TIME}


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: list[Any]
    # Per parameter: the argument it takes and how it is adapted, None for a constant.
    slots: list[tuple[int, Callable | None] | None]
    converters: list[tuple[int, tuple[list, Any]]]


class Precompiled:
    """
    ``build(*stand_ins)`` returns the queryset; ``kinds`` says the type of each
    argument (int, str or datetime). ``rows(*values)`` runs it with the values.
    """

    def __init__(self, build: Callable[..., models.QuerySet], kinds: Sequence[type]) -> None:
        self._build = build
        self._kinds = tuple(kinds)
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, using: str) -> _Compiled:
        stand_ins = [STAND_INS[kind] for kind in self._kinds]
        compiler = self._build(*stand_ins).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = list(params)
        # A value may reach the SQL as the database adapts it (SQLite: a time as text).
        adapt = connections[using].ops.adapt_datetimefield_value
        adapters = [adapt if kind is dt.datetime else None for kind in self._kinds]
        slots: list[tuple[int, Callable | None] | None] = []
        for param in params:
            slot: tuple[int, Callable | None] | None = None
            for i, (stand_in, adapter) in enumerate(zip(stand_ins, adapters, strict=True)):
                if param == stand_in:
                    slot = (i, None)
                elif adapter is not None and param == adapter(stand_in):
                    slot = (i, adapter)
            slots.append(slot)
        if {slot[0] for slot in slots if slot is not None} != set(range(len(stand_ins))):
            raise ValueError("Every argument of a precompiled query must reach its SQL.")
        # What the ORM does to a column's value as read (e.g. SQLite's 0/1 to a bool).
        columns = [column for column, _sql, _alias in compiler.select]
        converters = list(compiler.get_converters(columns).items())
        compiled = _Compiled(sql, params, slots, converters)
        self._compiled[using] = compiled
        return compiled

    def rows(self, *values: Any, using: str = "default") -> list[tuple]:
        """The queryset's rows (tuples, in its select order) for these values."""
        compiled = self._compiled.get(using) or self._compile(using)
        bound = [
            param if slot is None else _bind(values[slot[0]], slot[1])
            for param, slot in zip(compiled.params, compiled.slots, strict=True)
        ]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, bound)
            rows = cursor.fetchall()
        if not compiled.converters:
            return list(rows)
        converted = []
        for row in map(list, rows):
            for pos, (functions, expression) in compiled.converters:
                for function in functions:
                    row[pos] = function(row[pos], expression, connection)
            converted.append(tuple(row))
        return converted

    def instances(self, model: type[models.Model], *values: Any, using: str = "default") -> list:
        """
        The rows as ``model`` instances; the queryset must select ``model``'s concrete
        fields in order (``values_list(*attnames(model))``).
        """
        names = attnames(model)
        return [model.from_db(using, names, row) for row in self.rows(*values, using=using)]


def _bind(value: Any, adapter: Callable | None) -> Any:
    return value if adapter is None else adapter(value)


def attnames(model: type[models.Model]) -> list[str]:
    """The model's concrete columns, in the order ``Precompiled.instances`` reads them."""
    return [field.attname for field in model._meta.concrete_fields]
