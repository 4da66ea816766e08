"""DPRK Watch benchmarks: `python -m bench [--smoke] [--only NAME] [--out PATH]` (see bench/README.md)."""
