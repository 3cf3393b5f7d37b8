"""The internal REST API for the platform records (datasets, assets, subjects, consent)."""
