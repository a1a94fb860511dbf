"""Graph -> results: coverage, rollups, candidates and paths; pure functions over the model."""
