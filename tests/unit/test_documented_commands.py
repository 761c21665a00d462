"""Every `policy-wh` command and option the README and docs/ mention exists (docs drifted from code before:
docs/access.md documented `policy-wh docs --static`, which never existed).

An option counts as documented for the `policy-wh` commands of its paragraph, whether it is written right
after the command (`policy-wh docs --serve`) or on its own (`--static` makes it …)."""
from __future__ import annotations

import argparse
import re

from dagster_project.cli import build_parser
from tests.conftest import REPO_ROOT

DOCUMENTS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
COMMAND = re.compile(r"policy-wh ([a-z]+)")
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")
# options of the other tools the same paragraphs mention (dbt, uv, pytest, the duckdb CLI)
OTHER_TOOLS = {"--vars", "--select", "--full-refresh", "--exclude", "--frozen", "--target", "--profiles-dir",
               "--project-dir", "--quiet"}


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    return dict(action.choices)


def _paragraphs():
    for document in DOCUMENTS:
        for paragraph in re.split(r"\n\s*\n", document.read_text(encoding="utf-8")):
            commands = set(COMMAND.findall(paragraph))
            if commands:
                yield document.name, commands, set(OPTION.findall(paragraph)) - OTHER_TOOLS


def test_the_documents_mention_commands_and_options():
    paragraphs = list(_paragraphs())
    assert len(set().union(*(commands for _, commands, _ in paragraphs))) >= 10
    assert any(options for _, _, options in paragraphs)


def test_every_documented_command_and_option_exists():
    subcommands = _subcommands()
    missing = []
    for document, commands, options in _paragraphs():
        missing += [f"{document}: policy-wh {command}" for command in sorted(commands - set(subcommands))]
        known = {flag for command in commands & set(subcommands)
                 for action in subcommands[command]._actions for flag in action.option_strings}  # noqa: SLF001
        missing += [f"{document}: {option} (with policy-wh {', '.join(sorted(commands))})"
                    for option in sorted(options - known)]
    assert missing == []
