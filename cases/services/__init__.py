"""Writes to a case file. Each service validates, saves in one transaction and keeps history."""
