"""Benchmarks: each module's run() measures and returns figures; nothing here passes or fails."""
