"""Backups: take, encrypt, rotate and restore copies of the caseload, and check the database against them."""
