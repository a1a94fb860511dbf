"""Files -> model: every reader (CSV/XLSX tables, framework YAML, SSSOM, OSCAL, CISO Assistant, RDF) and the loader.

This package may import only the core modules (``controlmap.errors``, ``controlmap.model``,
``controlmap.rdfterms``, ...). Parse functions are pure (text in, model out); the ``read_*``
functions only open the file and call them.
"""
