"""Comparison: spec set x catalog → one result per expectation (``engine.compare_specs``).

Runs no SQL of its own except through the narrow :class:`~.canonical.Canonicalizer`
interface, which asks the server for canonical spellings in a few bulk round trips.
"""
