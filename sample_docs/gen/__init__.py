"""Deterministic generator of evidence documents (invoices, certificates, contracts, tables)."""
