"""/stats and /map: the record counted per year and kind, and the launch sites on a map."""
