"""One module per explainer, named as the explainer is in params.yaml (explain.methods), each
ending with ``EXPLAINER``: explain@NAME loads only its own (gaitops.explain.registry)."""
