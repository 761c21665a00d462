"""Helper of scripts/try_superset.sh; runs with the Superset venv's Python, never the project's.

Two things in one file:

* Importing it registers ``duckdb+policy_wh://`` for Superset 6.1 (the generated superset_config.py imports it):
  duckdb-engine's dialect with the one change ``dagster_project/bi_dialect.py`` makes, ``get_schema_names``
  listing the opened file's schemas by their plain names (``reports``, not ``warehouse.reports``).
  ``bi_dialect.py`` itself is built on duckdb-sqlalchemy, which needs SQLAlchemy 2; Superset 6.1 pins
  SQLAlchemy ``>=1.4,<2``, so it cannot be installed next to Superset (see docs/access.md).
* ``python try_superset.py probe FILE`` reflects the published file through SQLAlchemy as Superset will, and
  ``python try_superset.py rest URL FILE USER`` drives a running Superset through its REST API: registers the file
  (read-only), lists schemas and tables, creates a dataset by reflection, runs a chart query and a SQL Lab
  query, and prints what came back. Both exit non-zero with a message at the first failure.

Only the standard library besides what Superset installs.
"""
import json
import os
import sys
import urllib.error
import urllib.request
from http.cookiejar import CookieJar

from duckdb_engine import Dialect as DuckDBEngineDialect
from sqlalchemy import text
from sqlalchemy.dialects import registry
from sqlalchemy.engine import reflection

# The same query as dagster_project/bi_dialect.py: the opened file's schemas first, then other attached ones.
SCHEMAS_SQL = """
    select schemas.database_name, schemas.schema_name, schemas.database_name = current_database() as is_current
    from duckdb_schemas() as schemas
    join duckdb_databases() as databases on databases.database_name = schemas.database_name
    where not databases.internal and schemas.schema_name not in ('information_schema', 'pg_catalog')
    order by not is_current, schemas.database_name, schemas.schema_name
"""


class PolicyWarehouseEngineDialect(DuckDBEngineDialect):
    """duckdb-engine's dialect; the opened file's schemas by their plain names."""

    driver = "policy_wh"
    supports_statement_cache = False   # as duckdb-engine; must be set on the subclass itself

    # No annotations here: SQLAlchemy 1.4's reflection.cache rebuilds the signature from its text and fails on
    # string annotations (`from __future__ import annotations`, as in bi_dialect.py) with a SyntaxError.
    @reflection.cache
    def get_schema_names(self, connection, **kw):
        quote = self.identifier_preparer.quote
        return [schema if is_current else f"{quote(database)}.{quote(schema)}"
                for database, schema, is_current in connection.execute(text(SCHEMAS_SQL))]


registry.register("duckdb.policy_wh", __name__, "PolicyWarehouseEngineDialect")

TABLE = ("reports", "rpt_department_scorecard")
READ_ONLY_EXTRA = {"engine_params": {"connect_args": {"read_only": True}}}


class Failed(Exception):
    pass


def urls(path):
    return {"duckdb-engine": f"duckdb:///{path}", "policy_wh": f"duckdb+policy_wh:///{path}"}


# ---------------------------------------------------------------------------------------------------- probe
def probe(path):
    import duckdb
    import duckdb_engine
    import sqlalchemy
    from importlib.metadata import version
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.pool import NullPool

    print(f"versions: apache-superset {version('apache-superset')}, SQLAlchemy {sqlalchemy.__version__}, "
          f"duckdb {duckdb.__version__}, duckdb-engine {duckdb_engine.__version__}, "
          f"flask-caching {version('flask-caching')}, Python {sys.version.split()[0]}")
    with duckdb.connect(path, read_only=True) as con:
        published_at, written_by, tables, rows = con.sql(
            "select published_at, duckdb_version, table_count, total_rows from meta.publication").fetchone()
    print(f"published file: {path}\n  meta.publication: published_at {published_at}, written by duckdb "
          f"{written_by}, {tables} tables, {rows} rows")
    if tuple(int(p) for p in duckdb.__version__.split(".")[:3]) < tuple(int(p) for p in written_by.lstrip("v").split(".")[:3]):
        raise Failed(f"duckdb {duckdb.__version__} in the Superset venv is older than {written_by}, which wrote the file")

    for label, url in urls(path).items():
        engine = create_engine(url, connect_args={"read_only": True}, poolclass=NullPool)
        inspector = inspect(engine)
        print(f"{label}: {url}  (dialect {type(engine.dialect).__module__}.{type(engine.dialect).__name__})")
        steps = [
            ("get_schema_names()", lambda: inspector.get_schema_names()),
            ("get_table_names('reports')", lambda: inspector.get_table_names("reports")),
            ("get_view_names('reports')", lambda: inspector.get_view_names("reports")),
            (f"get_columns('{TABLE[1]}', schema='reports')",
             lambda: [f"{c['name']} {c['type']}" for c in inspector.get_columns(TABLE[1], schema=TABLE[0])]),
            (f"get_pk_constraint('{TABLE[1]}', schema='reports')",
             lambda: inspector.get_pk_constraint(TABLE[1], schema=TABLE[0])),
            (f"Table('{TABLE[1]}', autoload_with=engine) columns", lambda: len(sqlalchemy.Table(
                TABLE[1], sqlalchemy.MetaData(), schema=TABLE[0], autoload_with=engine).columns)),
        ]
        for name, call in steps:
            try:
                print(f"  {name}: {call()}")
            except Exception as error:   # the exact text is what this try is for
                raise Failed(f"{label}: {name} failed: {type(error).__name__}: {error}") from error
        with engine.connect() as connection:
            try:
                connection.execute(text("create table reports.superset_probe as select 1 as x"))
            except Exception as error:
                print(f"  a write is refused (read-only): {str(error).splitlines()[0]}")
            else:
                raise Failed(f"{label}: a write through connect_args read_only succeeded")
        engine.dispose()


# ---------------------------------------------------------------------------------------------------- REST
class Superset:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.headers = {"Content-Type": "application/json", "Referer": self.base}

    def call(self, method, path, body=None, expect=(200, 201)):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=self.headers)
        try:
            with self.opener.open(request, timeout=300) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        try:
            result = json.loads(payload)
        except ValueError:
            result = payload.decode(errors="replace")
        if status not in expect:
            raise Failed(f"{method} {path} answered HTTP {status}: {str(result)[:2000]}")
        return result

    def login(self, user, password):
        token = self.call("POST", "/api/v1/security/login",
                          {"username": user, "password": password, "provider": "db", "refresh": False})
        self.headers["Authorization"] = "Bearer " + token["access_token"]
        self.headers["X-CSRFToken"] = self.call("GET", "/api/v1/security/csrf_token/")["result"]


def metric(column, aggregate):
    return {"expressionType": "SIMPLE", "column": {"column_name": column}, "aggregate": aggregate,
            "label": f"{aggregate.lower()}_{column}"}


def chart_data(api, dataset_id, query):
    body = {"datasource": {"id": dataset_id, "type": "table"}, "force": True, "queries": [query],
            "result_format": "json", "result_type": "full"}
    result = api.call("POST", "/api/v1/chart/data", body)["result"][0]
    if result.get("error") or result.get("status") != "success":
        raise Failed(f"chart query failed: {result.get('error')}")
    return result


def rest(base, path, user, password):
    api = Superset(base)
    api.login(user, password)
    print(f"logged in to {base} as {user}")
    databases = {}
    for label, url in urls(path).items():
        name = f"policy-wh published ({label})"
        api.call("POST", "/api/v1/database/test_connection/",
                 {"database_name": name, "sqlalchemy_uri": url, "extra": json.dumps(READ_ONLY_EXTRA)})
        created = api.call("POST", "/api/v1/database/", {
            "database_name": name, "sqlalchemy_uri": url, "expose_in_sqllab": True,
            "extra": json.dumps(READ_ONLY_EXTRA)})
        databases[label] = created["id"]
        print(f"database {created['id']} '{name}': {url}  driver {created['result']['driver']}, "
              f"extra {created['result']['extra']}")
        schemas = api.call("GET", f"/api/v1/database/{created['id']}/schemas/")["result"]
        print(f"  schemas (Superset's schema list): {sorted(schemas)}")

    db_id = databases["policy_wh"]
    tables = api.call("GET", f"/api/v1/database/{db_id}/tables/?q=(schema_name:reports)")["result"]
    print(f"tables and views in reports: {[(t['value'], t['type']) for t in tables]}")

    created = api.call("POST", "/api/v1/dataset/", {"database": db_id, "schema": TABLE[0], "table_name": TABLE[1]})
    dataset_id = created["id"]
    dataset = api.call("GET", f"/api/v1/dataset/{dataset_id}")["result"]
    columns = dataset["columns"]
    print(f"dataset {dataset_id}: {dataset['schema']}.{dataset['table_name']} on database {db_id}, "
          f"{len(columns)} columns reflected:")
    for column in columns:
        print(f"  {column['column_name']:<20} {column['type']:<10} temporal={column['is_dttm']}  "
              f"{(column.get('description') or '')[:60]}")
    described = sum(1 for column in columns if column.get("description"))
    print(f"  {described} of {len(columns)} columns carry the file's comment as their description")

    ordering = metric("tasks_led", "SUM")
    result = chart_data(api, dataset_id, {
        "columns": ["short_name"],
        "metrics": [ordering, metric("tasks_overdue", "SUM"), metric("reporting_rate", "AVG"),
                    metric("month_start", "COUNT")],
        "orderby": [[ordering, False]], "row_limit": 10})
    print(f"chart query (POST /api/v1/chart/data), SQL Superset generated:\n{result['query'].strip()}")
    print(f"  {result['rowcount']} rows: {result['colnames']}")
    for row in result["data"]:
        print("  " + " | ".join(str(row[name]) for name in result["colnames"]))

    # The same file through plain duckdb:// and the schema as Superset lists it there (catalog-prefixed).
    # (A second dataset of the same table name would fail on the sqlite metadata DB: UNIQUE tables.table_name.)
    plain_id = databases["duckdb-engine"]
    other = api.call("POST", "/api/v1/dataset/",
                     {"database": plain_id, "schema": "warehouse.reports", "table_name": "rpt_overdue_tasks"})
    result = chart_data(api, other["id"], {"columns": [], "metrics": [
        {"expressionType": "SQL", "sqlExpression": "count(*)", "label": "overdue_tasks"}], "row_limit": 1})
    print(f"dataset {other['id']} on database {plain_id} (duckdb://, schema 'warehouse.reports'): SQL "
          f"{' '.join(result['query'].split())!r} -> {result['data']}")

    executed = api.call("POST", "/api/v1/sqllab/execute/", {
        "database_id": db_id, "schema": "reports", "runAsync": False,
        "sql": "select current_setting('access_mode') as access_mode, current_database() as catalog, "
               "count(*) as scorecard_rows, min(month_start) as first_month, max(month_start) as last_month "
               "from reports.rpt_department_scorecard"})
    if executed.get("status") != "success":
        raise Failed(f"SQL Lab query failed: {executed}")
    print(f"SQL Lab (POST /api/v1/sqllab/execute/) on database {db_id}: {executed['data']}")


def main(argv):
    try:
        if argv[:1] == ["probe"] and len(argv) == 2:
            probe(argv[1])
        elif argv[:1] == ["rest"] and len(argv) == 4:
            rest(*argv[1:], os.environ["SUPERSET_TRY_PASSWORD"])
        else:
            print("usage: try_superset.py probe FILE | rest BASE_URL FILE USER (password in SUPERSET_TRY_PASSWORD)",
                  file=sys.stderr)
            return 2
    except Failed as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
