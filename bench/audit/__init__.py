"""Throughput of the audit ledger on PostgreSQL (see ``bench/audit/run.py``)."""
