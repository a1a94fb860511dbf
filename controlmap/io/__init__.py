"""Files -> model: tabular (CSV/XLSX), YAML, SSSOM and RDF readers, and the READERS registry."""
