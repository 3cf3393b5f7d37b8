"""The compliance officers' portal: server-rendered pages over the audit ledger."""
