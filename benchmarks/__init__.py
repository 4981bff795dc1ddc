"""`make bench`: measurements written to BENCHMARKS.md (a benchmark, never a timed test)."""
