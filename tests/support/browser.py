"""Headless Chromium for the browser tests: Debian's ``chromium`` driven by Playwright.

Why not Playwright's own browser: its download cannot reach the internet here. Why these flags: as root
Chromium needs ``--no-sandbox``, and without the background-networking flags it keeps trying to reach
Google's hosts, which this closed network refuses. A missing browser is a test failure with the command
that installs it (``make test`` runs scripts/ensure_browser.sh first), never a skip.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-dev-shm-usage"]


def chromium_path() -> Path:
    """POLICY_WH_CHROMIUM, else ``chromium`` on PATH; fails the test (not skips) when there is none."""
    configured = os.environ.get("POLICY_WH_CHROMIUM", "").strip()
    found = configured or shutil.which("chromium") or ""
    if not found or not Path(found).is_file():
        pytest.fail("no Chromium for the browser tests: run `make test` (as root on Debian it installs chromium and "
                    "fonts-noto-cjk) or `apt-get install chromium fonts-noto-cjk`, or set POLICY_WH_CHROMIUM", pytrace=False)
    return Path(found)


@contextmanager
def browser() -> Iterator[object]:
    """A Playwright Chromium browser (closed afterwards)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(chromium_path()), args=CHROMIUM_FLAGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()
