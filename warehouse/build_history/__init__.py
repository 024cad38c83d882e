"""History: carry the published history into the new build, record its lineage, export it."""
