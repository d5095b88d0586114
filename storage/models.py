"""Tables of contests and their event logs (filled in by the engine's storage step)."""
