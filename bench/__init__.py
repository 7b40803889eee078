"""Benchmarks: movierec against the classic implementation, in one run (`make bench`)."""
