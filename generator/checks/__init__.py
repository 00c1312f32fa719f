"""Checks that run on a built Handbook: staleness (expiry) and links. Each returns Diagnostics."""
