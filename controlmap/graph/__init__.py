"""Model -> graphs: the rdflib Graph (SKOS/DCTERMS/PROV + cm:), the NetworkX view, a municipality's publication graph.

This package may import only the core modules; it opens no file and runs no query.
"""
