"""What a restore or a migration round trip must keep: every table's rows, the reports."""

import hashlib

from django.db.backends.base.base import BaseDatabaseWrapper

from visits.models import ReportReferral, VisitReport

REPORT_TABLES = [VisitReport._meta.db_table, ReportReferral._meta.db_table]


def snapshot(connection: BaseDatabaseWrapper) -> dict[str, int | str]:
    """Row count per table, and a checksum of every report's and referral's values."""
    result: dict[str, int | str] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            result[table] = cursor.fetchone()[0]
        for table in REPORT_TABLES:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY id")
            digest = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
            result[f"checksum of {table}"] = digest
    return result
