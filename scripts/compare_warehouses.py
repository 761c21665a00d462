#!/usr/bin/env python3
"""Compare two warehouse files table by table: same relations, same columns, identical rows.

    .venv/bin/python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb [--rename old=new ...]

The behaviour check of a refactoring (issue 16): build a warehouse with the old code and one with the new,
from the same inputs, and compare them. Every table and view of the compared schemas (default: raw,
staging, marts, reports) is matched by name — a relation the refactoring renamed is matched through
``--rename old=new`` (``stg_tasks=stg_extracted__tasks``; either side may name its schema,
``staging.stg_tasks=staging.stg_extracted__tasks``) — and its rows are compared with ``EXCEPT ALL`` both
ways, so duplicates count. For each relation it prints the row counts before and after and the rows found
only before and only after (with a few of them); a missing or extra relation, a column that appeared,
disappeared or changed type, and any differing row is a difference. Exits 1 on any difference, 0 when
there is none, 2 on a usage error.

Two warehouses loaded by separate runs differ in what the clock and Dagster put into them (load times,
run ids): ``--ignore-column loaded_at`` (or ``table.column``, ``schema.table.column``) leaves such a column
out of the row comparison, and says so. ``--added schema.table`` names a relation that is new in AFTER and
expected. ``--comments`` also compares the DuckDB comments (the Chinese and English descriptions) of every
relation and column. Both files are opened read-only.
"""
from __future__ import annotations

import argparse
import fnmatch
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

DEFAULT_SCHEMAS = ("raw", "staging", "marts", "reports")


@dataclass(frozen=True)
class Relation:
    schema: str
    name: str
    kind: str                                  # table | view
    columns: tuple[tuple[str, str], ...]       # (name, type) in column order
    comment: str | None = None                 # the DuckDB comment of the relation
    column_comments: tuple[tuple[str, str | None], ...] = ()

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass
class Outcome:
    label: str
    rows_before: int | None = None
    rows_after: int | None = None
    only_before: int = 0
    only_after: int = 0
    problems: list[str] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not self.problems and self.only_before == 0 and self.only_after == 0


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def relations(con: duckdb.DuckDBPyConnection, catalog: str, schemas: tuple[str, ...]) -> dict[str, Relation]:
    rows = con.execute(
        "select schema_name, table_name, 'table', comment from duckdb_tables() where database_name = ? and not internal "
        "union all "
        "select schema_name, view_name, 'view', comment from duckdb_views() where database_name = ? and not internal",
        [catalog, catalog]).fetchall()
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    comments: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    for schema, table, column, data_type, comment in con.execute(
            "select schema_name, table_name, column_name, data_type, comment from duckdb_columns() "
            "where database_name = ? order by schema_name, table_name, column_index", [catalog]).fetchall():
        columns.setdefault((schema, table), []).append((column, data_type))
        comments.setdefault((schema, table), []).append((column, comment))
    return {f"{schema}.{name}": Relation(schema, name, kind, tuple(columns.get((schema, name), ())), comment,
                                         tuple(comments.get((schema, name), ())))
            for schema, name, kind, comment in rows if schema in schemas}


def parse_renames(pairs: list[str]) -> dict[str, str]:
    """old=new → {old: new}; a name without a schema keeps the schema it is found in."""
    renames = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise SystemExit(f"compare_warehouses: --rename wants old=new, not {pair!r}")
        renames[old.strip()] = new.strip()
    return renames


def renamed(relation: Relation, renames: dict[str, str]) -> str:
    for old in (relation.qualified, relation.name):
        if old in renames:
            new = renames[old]
            return new if "." in new else f"{relation.schema}.{new}"
    return relation.qualified


def is_ignored(column: str, relation: Relation, patterns: list[str]) -> bool:
    names = (column, f"{relation.name}.{column}", f"{relation.qualified}.{column}")
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns for name in names)


def compare(con: duckdb.DuckDBPyConnection, before: Relation, after: Relation, ignore: list[str],
            show: int, comments: bool = False) -> Outcome:
    label = before.qualified if before.qualified == after.qualified else (
        f"{before.qualified} → {after.name if after.schema == before.schema else after.qualified}")
    outcome = Outcome(label)
    before_columns, after_columns = dict(before.columns), dict(after.columns)
    for column in sorted(before_columns.keys() - after_columns.keys()):
        outcome.problems.append(f"column {column} only in BEFORE")
    for column in sorted(after_columns.keys() - before_columns.keys()):
        outcome.problems.append(f"column {column} only in AFTER")
    for column in sorted(before_columns.keys() & after_columns.keys()):
        if before_columns[column] != after_columns[column]:
            outcome.problems.append(f"column {column}: {before_columns[column]} → {after_columns[column]}")
    if before.kind != after.kind:
        outcome.problems.append(f"{before.kind} → {after.kind}")
    if comments:
        if before.comment != after.comment:
            outcome.problems.append("its comment changed")
        after_comments = dict(after.column_comments)
        changed = [column for column, comment in before.column_comments
                   if column in after_comments and after_comments[column] != comment]
        if changed:
            outcome.problems.append(f"comment of {', '.join(changed)} changed")
    common = [column for column, _ in before.columns if column in after_columns]
    outcome.ignored = [column for column in common if is_ignored(column, before, ignore)]
    compared = [column for column in common if column not in outcome.ignored]
    b = f"before.{quote(before.schema)}.{quote(before.name)}"
    a = f"after.{quote(after.schema)}.{quote(after.name)}"
    outcome.rows_before = con.execute(f"select count(*) from {b}").fetchone()[0]
    outcome.rows_after = con.execute(f"select count(*) from {a}").fetchone()[0]
    if not compared:
        if outcome.rows_before != outcome.rows_after:
            outcome.problems.append("no column left to compare, and the row counts differ")
        return outcome
    select = ", ".join(quote(column) for column in compared)
    for side, first, second in (("before", b, a), ("after", a, b)):
        difference = f"select {select} from {first} except all select {select} from {second}"
        count = con.execute(f"select count(*) from ({difference})").fetchone()[0]
        setattr(outcome, f"only_{side}", count)
        if count and show:
            cursor = con.execute(f"{difference} limit {int(show)}")
            names = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                values = ", ".join(f"{name}={value!r}" for name, value in zip(names, row))
                outcome.samples.append(f"only {side.upper()}: {values}")
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path, help="the warehouse built with the old code")
    parser.add_argument("after", type=Path, help="the warehouse built with the new code")
    parser.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                        help="a relation renamed from OLD (in BEFORE) to NEW (in AFTER); repeatable")
    parser.add_argument("--added", action="append", default=[], metavar="SCHEMA.TABLE",
                        help="a relation expected only in AFTER (glob patterns allowed); repeatable")
    parser.add_argument("--ignore-column", action="append", default=[], metavar="[SCHEMA.][TABLE.]COLUMN",
                        help="leave a column out of the row comparison (glob patterns allowed); repeatable")
    parser.add_argument("--schemas", default=",".join(DEFAULT_SCHEMAS),
                        help=f"comma-separated schemas to compare (default: {','.join(DEFAULT_SCHEMAS)})")
    parser.add_argument("--show", type=int, default=5, help="differing rows to print per table and side (default 5)")
    parser.add_argument("--comments", action="store_true",
                        help="also compare the DuckDB comments (descriptions) of every relation and column")
    args = parser.parse_args(argv)

    for path in (args.before, args.after):
        if not path.is_file():
            print(f"compare_warehouses: no such file: {path}", file=sys.stderr)
            return 2
    schemas = tuple(s.strip() for s in args.schemas.split(",") if s.strip())
    renames = parse_renames(args.rename)

    con = duckdb.connect()
    for catalog, path in (("before", args.before), ("after", args.after)):
        con.execute(f"attach '{str(path.resolve()).replace(chr(39), chr(39) * 2)}' as {catalog} (read_only)")
    before, after = relations(con, "before", schemas), relations(con, "after", schemas)

    unknown = [old for old in renames
               if old not in before and not any(relation.name == old for relation in before.values())]
    if unknown:
        print(f"compare_warehouses: --rename names no relation of BEFORE: {', '.join(unknown)}", file=sys.stderr)
        return 2

    print(f"BEFORE {args.before}\nAFTER  {args.after}\nschemas: {', '.join(schemas)}")
    outcomes: list[Outcome] = []
    matched: set[str] = set()
    for key in sorted(before):
        target = renamed(before[key], renames)
        if target not in after:
            outcome = Outcome(key if target == key else f"{key} → {target}")   # the name it was looked for under
            outcome.rows_before = con.execute(
                f"select count(*) from before.{quote(before[key].schema)}.{quote(before[key].name)}").fetchone()[0]
            outcome.problems.append("missing in AFTER")
            outcomes.append(outcome)
            continue
        matched.add(target)
        outcomes.append(compare(con, before[key], after[target], args.ignore_column, args.show, args.comments))
    extra = []
    for key in sorted(after.keys() - matched):
        outcome = Outcome(key)
        outcome.rows_after = con.execute(
            f"select count(*) from after.{quote(after[key].schema)}.{quote(after[key].name)}").fetchone()[0]
        if any(fnmatch.fnmatchcase(key, pattern) or fnmatch.fnmatchcase(after[key].name, pattern)
               for pattern in args.added):
            extra.append(outcome)
        else:
            outcome.problems.append("only in AFTER")
            outcomes.append(outcome)

    width = max([len(o.label) for o in outcomes + extra] + [8])

    def number(value: int | None) -> str:
        return "-" if value is None else f"{value:,}"

    print(f"\n{'relation':<{width}}  {'before':>9}  {'after':>9}  {'only before':>11}  {'only after':>10}  result")
    for outcome in outcomes:
        result = "same" if outcome.same else "DIFFERENT: " + "; ".join(
            outcome.problems or [f"{outcome.only_before:,} rows only before, {outcome.only_after:,} only after"])
        if outcome.ignored:
            result += f" (not compared: {', '.join(outcome.ignored)})"
        print(f"{outcome.label:<{width}}  {number(outcome.rows_before):>9}  {number(outcome.rows_after):>9}  "
              f"{outcome.only_before:>11,}  {outcome.only_after:>10,}  {result}")
        for sample in outcome.samples:
            print(f"{'':<{width}}    {sample}")
    for outcome in extra:
        print(f"{outcome.label:<{width}}  {'-':>9}  {number(outcome.rows_after):>9}  {'':>11}  {'':>10}  new in AFTER (--added)")

    different = [o for o in outcomes if not o.same]
    print(f"\n{len(outcomes)} relations compared, {len(outcomes) - len(different)} the same, "
          f"{len(different)} different" + (f"; {len(extra)} new in AFTER as expected" if extra else ""))
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
