"""One module per params.yaml section (gaitops.config assembles them): a stage depends on the
modules of the sections it reads, not on every section's code."""
