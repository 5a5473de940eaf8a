"""Benchmarks: `make bench` (python -m bench.run) prints the figures."""
