"""The walking-diagnostics area: walks and their route, plan, observations, photos,
before/after comparison and documents (one module per part)."""
