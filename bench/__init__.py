"""Benchmarks of the monitoring dashboards (issue 3, point 7). Not part of the test suite."""
