"""
The database cache, with an increment that processes cannot lose.

Django's ``DatabaseCache.incr`` reads the value and writes it back: two server
processes incrementing at once both write the same number, and a rate limit lets
through more than its limit. Here the row is locked while it is read and written
(``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the write transaction, which
the settings open with ``BEGIN IMMEDIATE``, serialises writers).

It is the production default (``CACHE_URL`` unset, ``DEBUG`` off): counters are
shared by every process on the database with no extra service. The table,
``drivein_cache``, is created by a migration (``drivein.0001_cache_table``).
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

TABLE = "drivein_cache"


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, column_key = quote(self._table), quote("cache_key")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "
                f"WHERE {column_key} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or _as_datetime(row[1], connection) < tz_now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {column_key} = %s",
                [base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"), key],
            )
        return value


def _as_datetime(value, connection):
    """The ``expires`` column as an aware datetime, as Django's cache reads it."""
    expression = models.Expression(output_field=models.DateTimeField())
    converters = connection.ops.get_db_converters(expression)
    for converter in converters + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value
