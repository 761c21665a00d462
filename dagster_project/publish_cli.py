"""``policy-wh publish``: copy the working warehouse to the read-only published file by hand.

The daily job publishes by itself (asset ``published_warehouse``); this command is for after a
``policy-wh build`` or whenever the published copy must be refreshed without a load.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .settings import Settings


def cmd_publish(settings: Settings, args: argparse.Namespace) -> int:
    from .publish import publish_warehouse, published_path

    target = Path(args.to).expanduser().resolve() if args.to else published_path(settings)
    publication = publish_warehouse(settings.warehouse_path, target)
    print(f"published {publication.path}: {len(publication.table_rows)} tables and views, "
          f"{publication.total_rows} rows, {publication.bytes / 1_048_576:.1f} MiB in {publication.seconds:.2f} s")
    print(f'query it read-only: duckdb -readonly {publication.path} "select * from meta.publication"')
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``publish`` to policy-wh's subcommands."""
    publish = subparsers.add_parser(
        "publish", help="copy the working warehouse atomically to the read-only published file analysts use")
    publish.add_argument("--to", help="the published file (default: POLICY_WH_PUBLISHED or data/published/warehouse.duckdb)")
    publish.set_defaults(handler=cmd_publish)
