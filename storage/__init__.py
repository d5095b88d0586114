"""Persistence of contests: the append-only event log and the database set-up around it."""
