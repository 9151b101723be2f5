#!/usr/bin/env python3
"""trafilatura on the same pages, for the ratio: trafilatura_speed.py DIR RUNS.
Prints MB of HTML per CPU second (median of RUNS), as bench/extract.sh prints Khabar's."""
import os, sys, time, statistics
try:
    import trafilatura
except ImportError:
    print("trafilatura not installed (pip install trafilatura): no side-by-side figure")
    sys.exit(0)
d, runs = sys.argv[1], int(sys.argv[2])
pages = [open(os.path.join(d, n), "rb").read() for n in sorted(os.listdir(d)) if n.endswith(".html")]
size = sum(len(p) for p in pages)
rates = []
for _ in range(runs):
    t = time.process_time()
    for p in pages:
        trafilatura.extract(p, include_comments=False)
    rates.append(size / 1e6 / (time.process_time() - t))
print("trafilatura %s throughput: %.1f MB of HTML per CPU second (median of %d runs)" % (trafilatura.__version__, statistics.median(rates), runs))
