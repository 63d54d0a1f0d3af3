"""ambassade's performance benchmark: `invoke bench` (see benchmarks/run.py)."""
