"""A local emulator of Discord's Gateway and REST API for end-to-end tests."""
