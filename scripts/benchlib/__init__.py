"""The parts of scripts/bench: one module per kind of measurement."""
