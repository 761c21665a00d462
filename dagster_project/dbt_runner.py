"""Run dbt in this process against the configured warehouse.

dbt's start-up (parsing the project) costs seconds; running it in-process through
``dbtRunner`` avoids a second Python start-up and lets callers read the results directly.

Why :func:`parsed_manifest`: the daily job passes ``--vars`` (the window of data days it loaded), and dbt
throws its partial-parse cache away whenever the vars change, so every daily ``dbt build`` used to parse
the whole project again (~5 s). The manifest does not depend on those vars (they are only read when a
model is compiled, at run time), so we parse WITHOUT vars — which partial parsing serves from
``target/partial_parse.msgpack`` in well under a second — keep the Manifest for the life of the process,
and hand it to ``dbtRunner(manifest=...)``, which then skips parsing and compiles with the run's vars.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .settings import Settings


class DbtFailed(RuntimeError):
    """dbt returned an error; the message lists the failing nodes."""


def dbt_executable() -> str:
    """The dbt command installed next to this Python (works without an activated venv)."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


# dbt commands that never open the warehouse (everything else may read the raw tables).
OFFLINE_COMMANDS = frozenset({"parse", "deps", "clean", "ls", "list", "debug", "init", "--version"})


def prepare_warehouse(settings: Settings) -> None:
    """The raw tables dbt's staging views read, created if missing (the Python that writes them owns their DDL)."""
    from .raw_layer import ensure_raw_tables_at

    ensure_raw_tables_at(settings.warehouse_path)


def invoke_dbt(settings: Settings, args: Sequence[str], manifest: Any = None,
               callbacks: Sequence[Callable[[Any], None]] = ()) -> Any:
    """``dbt <args>`` in this process; returns dbt's ``dbtRunnerResult`` whether or not dbt succeeded.

    ``manifest`` (from :func:`parsed_manifest`) makes dbt skip parsing; ``callbacks`` receive every dbt
    event as it is fired (the Dagster assets turn the node results into materializations and checks)."""
    from dbt.cli.main import dbtRunner

    if args and args[0] not in OFFLINE_COMMANDS:
        prepare_warehouse(settings)
    full_args = [
        *args,
        "--project-dir", str(settings.dbt_project_dir),
        "--profiles-dir", str(settings.dbt_project_dir),
    ]
    try:
        with dbt_environment(settings):
            return dbtRunner(manifest=manifest, callbacks=list(callbacks)).invoke(full_args)
    finally:
        _release_duckdb()


@contextmanager
def dbt_environment(settings: Settings) -> Iterator[None]:
    """The environment dbt reads while one dbt call runs: profiles.yml takes the warehouse from POLICY_WH_DB
    (dbt offers no other way into a profile). Set for the call and put back afterwards, so the settings of
    the caller (a Dagster resource, a command's) decide, never what an earlier call left in os.environ."""
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    values = {"POLICY_WH_DB": str(settings.warehouse_path), "DBT_SEND_ANONYMOUS_USAGE_STATS":
              os.environ.get("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")}
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def failure_message(args: Sequence[str], result: Any) -> str:
    """The failing nodes of a dbt invocation, one line for an exception or a log."""
    failures = []
    for node_result in getattr(result.result, "results", None) or []:
        status = str(getattr(node_result, "status", ""))
        if status in ("error", "fail", "runtime error"):
            failures.append(f"{node_result.node.name}: {node_result.message}")
    detail = "; ".join(failures) if failures else str(result.exception or "see the dbt log above")
    return f"dbt {' '.join(args)} failed: {detail}"


def run_dbt(settings: Settings, args: Sequence[str], manifest: Any = None) -> object:
    """Invoke ``dbt <args>`` for the project; raise :class:`DbtFailed` on failure."""
    result = invoke_dbt(settings, args, manifest=manifest)
    if not result.success:
        raise DbtFailed(failure_message(args, result))
    return result.result


# (project dir, warehouse) -> ((newest input mtime, list of input files) when parsed, dbt Manifest)
_MANIFESTS: dict[tuple[str, str], tuple[tuple[float, str], Any]] = {}


def parsed_manifest(settings: Settings) -> Any:
    """The project's dbt Manifest, parsed once per process and again only when a project file changes.

    Parsed without ``--vars`` on purpose (see the module docstring), into a folder of its own
    (``target/parse``): its ``partial_parse.msgpack`` is then never overwritten by a run with vars, so every
    later process parses partially, and ``target/manifest.json``, which the Dagster definitions read while a
    run may be parsing, is left alone."""
    key = (str(settings.dbt_project_dir), str(settings.warehouse_path))
    files = _project_inputs(settings)
    seeds = list(settings.seeds_dir.glob("*.csv"))
    inputs = (_newest(files + seeds), _input_list(settings, files))   # a moved file changes the list, not the time
    cached = _MANIFESTS.get(key)
    if cached is not None and cached[0][0] >= inputs[0] and cached[0][1] == inputs[1]:
        return cached[1]
    manifest = run_dbt(settings, ["parse", "--quiet", "--target-path", str(settings.dbt_target_dir / "parse")])
    _MANIFESTS[key] = (inputs, manifest)
    return manifest


def run_dbt_parsed(settings: Settings, args: Sequence[str]) -> object:
    """``run_dbt`` with the process's parsed manifest: what the daily job does (no re-parse for --vars)."""
    return run_dbt(settings, args, manifest=parsed_manifest(settings))


def _release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after an in-process run.

    Otherwise the same process cannot open the warehouse again with another configuration (for
    example read-only), and the file stays locked against other processes until we exit.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a pinned dependency
        return
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def parse_project(settings: Settings) -> Path:
    """Write target/manifest.json (what Dagster reads to build its asset graph), and beside it the list of the
    project files it was parsed from (a moved or deleted file changes no modification time)."""
    inputs = _input_list(settings)
    run_dbt(settings, ["parse", "--quiet"])
    _inputs_record(settings).write_text(inputs, encoding="utf-8")
    return settings.dbt_manifest_path


def _inputs_record(settings: Settings) -> Path:
    return settings.dbt_target_dir / "manifest.inputs"


def _input_list(settings: Settings, files: list[Path] | None = None) -> str:
    """The project files a parse reads (``files``, else found now), relative to the project, one per line, sorted."""
    project = settings.dbt_project_dir
    files = _project_inputs(settings) if files is None else files
    return "\n".join(sorted(p.relative_to(project).as_posix() for p in files)) + "\n"


def _project_inputs(settings: Settings) -> list[Path]:
    project = settings.dbt_project_dir
    return [project / "dbt_project.yml", *(p for folder in ("models", "macros", "tests", "analyses")
                                          for p in (project / folder).rglob("*") if p.is_file())]


def _newest(files: list[Path]) -> float:
    """Newest modification time of ``files`` (those that still exist)."""
    return max((p.stat().st_mtime for p in files if p.exists()), default=0.0)


def manifest_is_stale(settings: Settings) -> bool:
    """True when target/manifest.json is missing, older than any file of the dbt project, or was parsed from
    another set of files (a model moved, renamed or deleted: mv keeps the file's modification time)."""
    manifest, record = settings.dbt_manifest_path, _inputs_record(settings)
    if not manifest.exists() or not record.exists():
        return True
    files = _project_inputs(settings)
    if _newest(files) > manifest.stat().st_mtime:
        return True
    return record.read_text(encoding="utf-8") != _input_list(settings, files)


def ensure_manifest(settings: Settings) -> Path:
    """Parse the project only when needed, so each process does not pay dbt's start-up again."""
    if manifest_is_stale(settings):
        parse_project(settings)
    return settings.dbt_manifest_path


class ManifestMissing(RuntimeError):
    """dbt/target/manifest.json is not there: the Dagster definitions cannot be built without it."""


def require_manifest(settings: Settings) -> Path:
    """The manifest the Dagster definitions are built from, WITHOUT parsing (importing the definitions must not
    run dbt): a clear error if it is missing, a warning if the dbt project changed since it was parsed.
    ``policy-wh build``, ``ui``, ``load`` and ``demo``, ``make manifest`` and ``make ui`` prepare it
    (:func:`ensure_manifest`)."""
    path = settings.dbt_manifest_path
    if not path.exists():
        raise ManifestMissing(
            f"{path} is missing: the Dagster definitions are built from the parsed dbt project. Prepare it with "
            f"`make manifest` (or `.venv/bin/policy-wh build`), then load the definitions again; `make ui` "
            f"prepares it by itself.")
    if manifest_is_stale(settings):
        import warnings

        warnings.warn(f"{path} is older than the dbt project it was parsed from: the Dagster asset graph may not "
                      f"match the models; run `make manifest` to parse it again", stacklevel=2)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dagster_project.dbt_runner``: prepare target/manifest.json (``make manifest``)."""
    from .settings import load_settings

    settings = load_settings()
    stale = manifest_is_stale(settings)
    path = ensure_manifest(settings)
    print(f"dbt manifest {'parsed' if stale else 'up to date'}: {path}")
    return 0


def build_warehouse(settings: Settings, select: Sequence[str] = ()) -> object:
    """``dbt build``: seeds, models and tests, in dependency order."""
    args = ["build"]
    if select:
        args += ["--select", *select]
    return run_dbt(settings, args)


def generate_docs(settings: Settings) -> Path:
    """Build the dbt docs site (index.html + manifest + catalog) into data/docs; return index.html."""
    settings.docs_dir.mkdir(parents=True, exist_ok=True)
    run_dbt(settings, ["docs", "generate", "--target-path", str(settings.docs_dir), "--static"])
    return settings.docs_dir / "static_index.html"


if __name__ == "__main__":
    sys.exit(main())
