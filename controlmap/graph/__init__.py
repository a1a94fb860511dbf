"""Model -> graphs: the rdflib Graph (SKOS/DCTERMS/PROV + cm:) and the NetworkX view; no files, no queries."""
