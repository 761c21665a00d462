"""Run a query of dashboards/queries.py on the current publication, cached until the next publication.

Why: many people look at the same pages, and the published file changes at most a few times a day, so a
result is computed once per publication. The cache key holds the publication's identity
(connection.Snapshot.key), and when a new publication is picked up every cached result is dropped
(``st.cache_data.clear`` on this function). A page run reads one publication from start to end: app.py pins
the current one (:func:`pin`) before the page runs, so a publication that lands mid-run shows on the next run.
"""
from __future__ import annotations

from typing import Any, Callable, TypeVar

import streamlit as st

from . import connection

T = TypeVar("T")


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(publication_key: str, query_name: str, args: tuple, kwargs: tuple, _query: Callable[..., Any],
            _snapshot: connection.Snapshot) -> Any:
    with _snapshot.cursor() as con:
        return _query(con, *args, **dict(kwargs))


def _drop_cached_results(snapshot: connection.Snapshot) -> None:
    _cached.clear()


connection.on_new_publication(_drop_cached_results)


_PINNED = "dashboards.publication"


def pin() -> connection.Snapshot:
    """Take the current publication for this page run (called once per run, before the page)."""
    current = connection.current()
    try:
        st.session_state[_PINNED] = current
    except Exception:  # noqa: BLE001 - outside a Streamlit run there is no session to pin it in
        pass
    return current


def snapshot() -> connection.Snapshot:
    """The publication this page run reads: the pinned one, else the current one."""
    try:
        pinned = st.session_state.get(_PINNED)
    except Exception:  # noqa: BLE001 - outside a Streamlit run
        pinned = None
    if isinstance(pinned, connection.Snapshot) and pinned.path == connection.reader().path:
        return pinned
    return connection.current()


def load(query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``query(con, *args, **kwargs)`` on this run's publication (cached for that publication)."""
    snapshot_ = snapshot()
    name = f"{query.__module__}.{query.__qualname__}"
    return _cached(snapshot_.key, name, args, tuple(sorted(kwargs.items())), _query=query, _snapshot=snapshot_)
