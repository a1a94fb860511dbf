"""Use cases: the only room that combines reading files, queries and the yearly cycle, exports and stores.

Load and analyse (:mod:`.kg`), validate and export RDF (:mod:`.validate`), the committee pages
(:mod:`.viz`, :mod:`.committee`, :mod:`.pages`), publishing to and asking the shared knowledge base
(:mod:`.publish`, :mod:`.peers`). This package may import every package but :mod:`controlmap.cli`.
"""
