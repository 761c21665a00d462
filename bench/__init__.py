"""Benchmarks of the warehouse at city, province and national scale (``python -m bench.run``).

Everything here writes under ``bench/out/`` (gitignored) or a temporary directory, never into
``data/`` or ``seeds/``; ``bench/results.md`` is the one committed output.
"""
