"""Publish the working warehouse as a read-only copy for analysts and BI tools.

DuckDB lets one process write a file, and while it writes nobody else can even open it read-only. So the
working warehouse (``POLICY_WH_DB``) belongs to the pipeline alone, and analysts read a *published* copy
(``data/published/warehouse.duckdb`` or ``POLICY_WH_PUBLISHED``) that is replaced atomically:

1. under the working file's writer lock (so no load writes meanwhile), a fresh in-memory DuckDB attaches
   the working file READ_ONLY (DuckDB's shared lock: no writer can open it meanwhile) and copies it to a
   temporary file in the published folder: a byte copy when it has no ``.wal`` (a cleanly closed file),
   else ``COPY FROM DATABASE``. Every schema, table, view and the persisted COMMENTs (dbt
   ``persist_docs``) come along;
2. the lock is released, ``meta.publication`` and ``meta.publication_tables`` are written into the copy,
   which is checkpointed and closed (no ``.wal`` is left beside it) and made read-only (mode 0444);
3. ``os.replace`` renames it over the old published file. A reader that already has the old file open
   keeps its inode, so it keeps seeing its snapshot and never blocks the rename; new connections see
   the new file. The rename is atomic, so nobody ever opens a half-written warehouse.

Any file name works for both files: dbt renders refs and sources without the catalog (DuckDB names a
file's catalog after its stem), and DuckDB binds a view's unqualified names in the view's own catalog. The
copy is attached under a name of its own (``COPY_ALIAS``) while it is written and counted, so a view that
still names a catalog (a warehouse built before that change) fails the publication instead of failing
later in a copy under another name.
"""
from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from .settings import Settings
from .warehouse import writer_lock

# The warehouse's own schemas; meta is added by the publication.
WAREHOUSE_SCHEMAS = ("raw", "staging", "marts", "reports")
SOURCE_ALIAS = "policy_wh_working_source"
# The catalog name the copy is attached under while it is written: deliberately neither file's stem.
COPY_ALIAS = "policy_wh_published_copy"


class PublishError(RuntimeError):
    """The working warehouse could not be published; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class Publication:
    """What one publication wrote (also stored in the published file's meta.publication)."""

    path: Path
    source_path: Path
    published_at: datetime
    run_id: str | None
    method: str                                         # 'file copy' or 'copy from database'
    seconds: float
    locked_seconds: float                               # how long the working file's writer lock was held
    bytes: int
    table_rows: tuple[tuple[str, str, str, int], ...]   # (schema, name, 'BASE TABLE' | 'VIEW', rows)

    @property
    def total_rows(self) -> int:
        return sum(rows for _, _, kind, rows in self.table_rows if kind == "BASE TABLE")


def published_path(settings: Settings) -> Path:
    """Where analysts read: POLICY_WH_PUBLISHED (any file name), else <data>/published/warehouse.duckdb."""
    return settings.published_path


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _literal(value: object) -> str:
    """A SQL literal. The publication binds no parameters: DuckDB's Python client imports pandas on the
    first bound parameter, which would cost a cold ``policy-wh publish`` seconds."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return f"timestamptz {_sql_string(value.isoformat())}"
    return _sql_string(str(value))


def _values(row: tuple | list) -> str:
    return "(" + ", ".join(_literal(v) for v in row) + ")"


def _copy_working_file(con: duckdb.DuckDBPyConnection, source: Path, temporary: Path) -> str:
    """Copy the whole working database into the temporary file (the caller holds the writer lock).

    Attaching the working file READ_ONLY takes DuckDB's shared file lock, so no writer can open it while
    we copy (and if one has it open, the attach fails and we say so). A cleanly closed file has no
    ``.wal``: its bytes are the whole database, and a plain file copy is the fastest consistent copy.
    Otherwise (a writer died before its checkpoint) ``COPY FROM DATABASE`` copies what DuckDB reads,
    WAL included. Returns the method used.
    """
    try:
        con.execute(f"attach {_sql_string(str(source))} as {SOURCE_ALIAS} (read_only)")
    except duckdb.Error as error:
        raise PublishError(
            f"无法只读打开工作仓库 {source}：{error}。如有其他程序（例如手工打开的 dbt 或 duckdb）正在写入，请等它结束后再发布。"
            f" Cannot open the working warehouse read-only: another process may be writing it."
        ) from error
    try:
        if not source.with_name(source.name + ".wal").exists():
            shutil.copyfile(source, temporary)
            method = "file copy"
        else:
            con.execute(f"attach {_sql_string(str(temporary))} as {COPY_ALIAS}")
            con.execute(f"copy from database {SOURCE_ALIAS} to {COPY_ALIAS}")
            con.execute(f"detach {COPY_ALIAS}")
            method = "copy from database"
    finally:
        con.execute(f"detach {SOURCE_ALIAS}")
    return method


META_DDL = """  -- {catalog} is the name the copy is attached under
create schema if not exists {catalog}.meta;
create table {catalog}.meta.publication (
    published_at timestamptz not null,
    run_id varchar,
    published_by varchar not null,
    source_path varchar not null,
    source_bytes bigint not null,
    copy_method varchar not null,
    duckdb_version varchar not null,
    table_count integer not null,
    total_rows bigint not null,
    row_counts varchar not null
);
create table {catalog}.meta.publication_tables (
    schema_name varchar not null,
    table_name varchar not null,
    table_type varchar not null,
    row_count bigint not null
);
comment on table {catalog}.meta.publication is '本发布副本的来历（一行）：发布时间、Dagster 运行号、来源文件与各表行数。Where this published copy comes from (one row): when, which Dagster run, which working file, row counts.';
comment on column {catalog}.meta.publication.published_at is '发布时间（UTC）。When the copy was published (UTC).';
comment on column {catalog}.meta.publication.run_id is '发布它的 Dagster 运行号；手工 policy-wh publish 时为空。The Dagster run that published it; empty for a manual `policy-wh publish`.';
comment on column {catalog}.meta.publication.published_by is '发布方式：dagster 或 policy-wh publish。How it was published: dagster or policy-wh publish.';
comment on column {catalog}.meta.publication.source_path is '被复制的工作仓库文件路径（仅供流水线使用）。The working warehouse file that was copied (the pipeline''s alone).';
comment on column {catalog}.meta.publication.source_bytes is '工作仓库文件大小（字节）。Size of the working file in bytes.';
comment on column {catalog}.meta.publication.copy_method is '复制方式：file copy（工作文件已完整落盘）或 copy from database（存在未合并的 .wal）。How it was copied: file copy (the working file was checkpointed) or copy from database (it had a .wal).';
comment on column {catalog}.meta.publication.duckdb_version is '写出本文件的 DuckDB 版本；读者的 DuckDB 版本须不低于它。The DuckDB version that wrote this file; readers need this version or newer.';
comment on column {catalog}.meta.publication.table_count is 'raw、staging、marts、reports 中的表和视图个数。Tables and views in raw, staging, marts and reports.';
comment on column {catalog}.meta.publication.total_rows is '各基础表（不含视图）行数之和。Rows of all base tables (views not counted).';
comment on column {catalog}.meta.publication.row_counts is '各表行数，JSON 文本，键为 schema.table。Rows per table as JSON text keyed by schema.table.';
comment on table {catalog}.meta.publication_tables is '发布时每个表和视图的行数。Rows of every table and view at publication.';
comment on column {catalog}.meta.publication_tables.schema_name is '模式名。Schema.';
comment on column {catalog}.meta.publication_tables.table_name is '表或视图名。Table or view.';
comment on column {catalog}.meta.publication_tables.table_type is 'BASE TABLE 或 VIEW。BASE TABLE or VIEW.';
comment on column {catalog}.meta.publication_tables.row_count is '发布时的行数。Rows at publication.';
"""


def _count_rows(con: duckdb.DuckDBPyConnection, catalog: str) -> tuple[tuple[str, str, str, int], ...]:
    names = con.execute(
        "select table_schema, table_name, table_type from information_schema.tables "
        f"where table_catalog = {_literal(catalog)} and table_schema in {_values(WAREHOUSE_SCHEMAS)} "
        "order by table_schema, table_name"
    ).fetchall()
    counted = []
    for schema, name, kind in names:
        try:
            rows = con.execute(f'select count(*) from "{catalog}"."{schema}"."{name}"').fetchone()[0]
        except duckdb.Error as error:
            raise PublishError(
                f"发布副本中的 {schema}.{name} 无法查询：{error}。若提示目录（Catalog）不存在，说明该视图在 SQL 中写死了"
                f"旧的目录名，请先运行 policy-wh build 重建仓库再发布。"
                f" {schema}.{name} cannot be queried in the copy: {error}. A view that names a catalog in its SQL"
                f" (built before refs were rendered without the database) only works under one file name:"
                f" rebuild with `policy-wh build`, then publish."
            ) from error
        counted.append((schema, name, kind, rows))
    return tuple(counted)


def _record_publication(con: duckdb.DuckDBPyConnection, catalog: str, source: Path, method: str,
                        run_id: str | None, published_by: str, published_at: datetime) -> tuple[tuple[str, str, str, int], ...]:
    """Count every table and view of the copy and write meta.publication / meta.publication_tables."""
    table_rows = _count_rows(con, catalog)
    meta = f'"{catalog}".meta'
    con.execute(META_DDL.replace("{catalog}", f'"{catalog}"'))
    if table_rows:
        con.execute(f"insert into {meta}.publication_tables values " + ", ".join(_values(r) for r in table_rows))
    row_counts = {f"{schema}.{name}": rows for schema, name, _, rows in table_rows}
    record = [published_at, run_id, published_by, str(source), source.stat().st_size, method, duckdb.__version__,
              len(table_rows), sum(rows for _, _, kind, rows in table_rows if kind == "BASE TABLE"),
              json.dumps(row_counts, ensure_ascii=False, sort_keys=True)]
    con.execute(f"insert into {meta}.publication values " + _values(record))
    return table_rows


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_warehouse(source: Path, target: Path, run_id: str | None = None,
                      published_by: str = "policy-wh publish") -> Publication:
    """Copy the working warehouse ``source`` to ``target`` atomically and record meta.publication."""
    started = time.perf_counter()
    source, target = Path(source).resolve(), Path(target).resolve()
    if not source.exists():
        raise PublishError(f"工作仓库文件不存在：{source}。请先运行 policy-wh build 或 policy-wh demo。"
                           f" The working warehouse {source} does not exist yet.")
    if source == target:
        raise PublishError(f"发布路径不能与工作仓库相同：{target}。The published path must differ from the working warehouse.")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    # Publishers queue on the target's own lock; loads are held back only while the working file is read.
    with writer_lock(target):
        try:
            with closing(duckdb.connect()) as con:
                with writer_lock(source):
                    locked_at = time.perf_counter()
                    method = _copy_working_file(con, source, temporary)
                    locked_seconds = time.perf_counter() - locked_at
                    published_at = datetime.now(timezone.utc)  # the moment of the snapshot
                con.execute(f"attach {_sql_string(str(temporary))} as {COPY_ALIAS}")
                table_rows = _record_publication(con, COPY_ALIAS, source, method, run_id, published_by, published_at)
                con.execute(f"checkpoint {COPY_ALIAS}")
                con.execute(f"detach {COPY_ALIAS}")
            leftover_wal = temporary.with_name(temporary.name + ".wal")
            if leftover_wal.exists():  # pragma: no cover - DuckDB checkpoints on detach
                raise PublishError(f"临时文件 {temporary} 未能完整写出（存在 .wal）。The temporary copy was not checkpointed.")
            os.chmod(temporary, 0o444)
            _fsync(temporary)
            # A .wal left by someone who opened the published file read-write would be replayed into the new file.
            target.with_name(target.name + ".wal").unlink(missing_ok=True)
            os.replace(temporary, target)
            _fsync(target.parent)
        finally:
            temporary.unlink(missing_ok=True)
            temporary.with_name(temporary.name + ".wal").unlink(missing_ok=True)
    return Publication(
        path=target, source_path=source, published_at=published_at, run_id=run_id, method=method,
        seconds=time.perf_counter() - started, locked_seconds=locked_seconds, bytes=target.stat().st_size,
        table_rows=table_rows,
    )


def read_publication(path: Path) -> dict[str, object]:
    """meta.publication of a published file, as a dict (opens it read-only)."""
    with duckdb.connect(str(path), read_only=True) as con:
        cursor = con.execute("select * from meta.publication")
        columns = [d[0] for d in cursor.description]
        row = cursor.fetchone()
    if row is None:
        raise PublishError(f"{path} 没有发布记录（meta.publication 为空）。{path} has no publication record.")
    return dict(zip(columns, row))
