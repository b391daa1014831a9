"""Benchmarks: harnesses that print numbers and write them to bench/results/."""
