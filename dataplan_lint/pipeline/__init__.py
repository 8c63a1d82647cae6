"""One run over many plans: runner, workers and the filters (suppression, baseline, diff)."""
