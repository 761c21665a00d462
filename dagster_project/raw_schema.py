"""The shape of a raw table as data: its columns with types and bilingual descriptions, and the SQL made from it.

Why this module: the raw layer used to be written out four times — DDL in dbt macros, column tuples in the
loader, the dbt source YAML with the descriptions, and the GX suites (which parsed the DDL back out of the
macro with a regular expression). Now each raw table is a :class:`Table` declared once, next to the code that
writes it (the submission kinds and the loader's bookkeeping in ``submissions``, the check results in
``checks``), and everything else is generated from that value: the ``create table`` statements run by
:func:`ensure_tables`, the DuckDB comments analysts read with ``duckdb_columns()``, the dbt sources YAML
(``dagster_project/raw_layer.py``) and the GX schema expectations.

Plain data and plain SQL: no dbt, no Dagster, no pandas.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

SCHEMA = "raw"


@dataclass(frozen=True)
class Column:
    """One column: DuckDB type, whether NULL is allowed, and its description (Chinese, then English)."""

    name: str
    type: str
    description: str
    not_null: bool = False

    def ddl(self) -> str:
        return f"{self.name} {self.type}{' not null' if self.not_null else ''}"


@dataclass(frozen=True)
class Table:
    """One raw table: name (in schema ``raw``), description (Chinese, then English), columns in order."""

    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def create_sql(self) -> str:
        body = ",\n".join(f"    {c.ddl()}" for c in self.columns)
        return f"create table if not exists {SCHEMA}.{self.name} (\n{body}\n)"


def required(name: str, type_: str, description: str) -> Column:
    """A NOT NULL column (the common case, so declarations read as a list of what may be empty)."""
    return Column(name, type_, description, not_null=True)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ensure_tables(con: duckdb.DuckDBPyConnection, tables: tuple[Table, ...]) -> None:
    """Create the tables that are missing (empty: "no data yet" is a valid state) and write their descriptions
    as DuckDB comments — only the comments that differ from what the database holds, so a call on an
    unchanged warehouse costs one catalog query."""
    con.execute(f"create schema if not exists {SCHEMA}")
    for table in tables:
        con.execute(table.create_sql())
    held = {(t, c): comment for t, c, comment in con.execute(
        "select table_name, null, comment from duckdb_tables() where database_name = current_database() "
        "and schema_name = ? union all select table_name, column_name, comment from duckdb_columns() "
        "where database_name = current_database() and schema_name = ?", [SCHEMA, SCHEMA]).fetchall()}
    for table in tables:
        target = f"{SCHEMA}.{_quote(table.name)}"
        if held.get((table.name, None)) != table.description:
            con.execute(f"comment on table {target} is {_literal(table.description)}")
        for column in table.columns:
            if held.get((table.name, column.name)) != column.description:
                con.execute(f"comment on column {target}.{_quote(column.name)} is {_literal(column.description)}")
