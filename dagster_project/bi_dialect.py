"""``duckdb+policy_wh://``: the SQLAlchemy dialect for BI tools that read the published warehouse.

It is the DuckDB dialect of the ``duckdb-sqlalchemy`` package, with one change: ``get_schema_names`` lists
the opened file's own schemas by their plain names — ``main, marts, meta, raw, reports, staging`` — the
names analysts use in SQL. The upstream dialect lists every schema of every catalog DuckDB has open,
prefixed with the catalog: ``warehouse.reports`` next to DuckDB's own ``system.main`` and ``temp.main``.
The prefix is the file's stem (DuckDB names a file's catalog after it), so a dataset saved under
``warehouse.reports`` would stop working in a copy named ``langfang_2016.duckdb``; ``reports`` keeps
working, because an unqualified schema resolves in the opened file. Schemas of other databases ATTACHed
into the same connection keep their ``catalog.schema`` names. Everything else (tables, views, columns,
types, comments, ``Table(..., autoload_with=engine)``, ``pandas.read_sql_table``) is the upstream dialect's.

Why ``duckdb-sqlalchemy`` and not ``duckdb-engine``: duckdb-engine 0.17.0 (its latest release) reflects
columns with SQLAlchemy's PostgreSQL catalog queries, and with SQLAlchemy 2.1 those no longer run on DuckDB
1.5 (``Referenced table "pg_catalog.pg_collation" not found``; see docs/access.md). duckdb-sqlalchemy, a
maintained fork of it, reflects from DuckDB's own catalog (``duckdb_columns()`` and friends).

Use: ``pip install duckdb-sqlalchemy`` (not together with duckdb-engine: both claim the ``duckdb://``
scheme), then either install this project (its ``sqlalchemy.dialects`` entry point registers the name)
or put this one file on the tool's ``PYTHONPATH`` and import it once (for Superset, in
``superset_config.py``) — importing it registers ``duckdb+policy_wh``. It needs nothing else from this
project, so the file can be copied as it is.
"""
from __future__ import annotations

from typing import Any

from duckdb_sqlalchemy import Dialect as DuckDBDialect
from sqlalchemy import text
from sqlalchemy.dialects import registry
from sqlalchemy.engine import reflection

__all__ = ["PolicyWarehouseDialect"]

# Schemas of the opened file first (plain names), then those of other attached user databases (catalog.schema).
SCHEMAS_SQL = """
    select schemas.database_name, schemas.schema_name, schemas.database_name = current_database() as is_current
    from duckdb_schemas() as schemas
    join duckdb_databases() as databases on databases.database_name = schemas.database_name
    where not databases.internal and schemas.schema_name not in ('information_schema', 'pg_catalog')
    order by not is_current, schemas.database_name, schemas.schema_name
"""


class PolicyWarehouseDialect(DuckDBDialect):
    """duckdb-sqlalchemy's dialect; schemas of the opened file by their plain names (see the module docstring)."""

    driver = "policy_wh"
    supports_statement_cache = DuckDBDialect.supports_statement_cache

    @reflection.cache
    def get_schema_names(self, connection: Any, **kw: Any) -> list[str]:
        quote = self.identifier_preparer.quote
        return [schema if is_current else f"{quote(database)}.{quote(schema)}"
                for database, schema, is_current in connection.execute(text(SCHEMAS_SQL))]


# Importing the module is enough: duckdb+policy_wh:///path/to/warehouse.duckdb then resolves to the class above.
registry.register("duckdb.policy_wh", __name__, "PolicyWarehouseDialect")
