"""Benchmark scenarios: one module per plugin (``bench/scenarios/<plugin>.py``).

A module may define ``setup(stdout)`` (creates bench data in the bench database before the
server starts), ``SCENARIOS`` (a list of ``(name, path)`` or ``(name, path, headers)`` GET
endpoints, or a function returning that list, called after ``setup``) and ``RACES`` (functions
``race(base_url) -> dict`` run against the live server). See bench/README.md.
"""
