"""Deterministic demo data and the end-to-end demo run."""
