"""The yearly cycle, as pure logic: committee decisions, the I-sheet, the staff survey, mapping review, sharing.

This package may import the core modules, :mod:`controlmap.graph` and :mod:`controlmap.queries`;
it reads and writes no file itself (the readers are in :mod:`controlmap.io`, the writers in
:mod:`controlmap.export`).
"""
