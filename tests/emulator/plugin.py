"""pytest fixtures over the emulator (filled in by the emulator work)."""
