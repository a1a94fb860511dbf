"""Model -> results, pure: the coverage engine, coverage, candidates, scope, phrasing, SPARQL, suggestions, lint,
editions and validation.

This package may import the core modules and :mod:`controlmap.graph`; it opens no file.
"""
