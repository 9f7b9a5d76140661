"""Speed and memory benchmarks on generated data (never run by the tests)."""
