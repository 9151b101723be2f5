"""Runs Khabar's client and curl on one URL list, alternately, ROUNDS times each; prints medians.

CPU time is the children's user+system time (resource.RUSAGE_CHILDREN), taken the same way for both.
"""
import re
import resource
import statistics
import subprocess
import sys
import time

urls_file, probe, parallel, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
urls = [u for u in open(urls_file).read().split() if u]
config = urls_file + ".curl"
with open(config, "w") as f:
    for u in urls:
        f.write(f'url = "{u}"\noutput = "/dev/null"\n')


def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.stdout


results = {"khabar": [], "curl": []}
for r in range(rounds):
    wall, cpu, out = timed([probe, "fetch-list", urls_file, "--concurrency", str(parallel)])
    pages = int(re.search(r"pages=(\d+)", out).group(1))
    failed = int(re.search(r"failed=(\d+)", out).group(1))
    if failed or pages != len(urls):
        sys.exit(f"khabar: {pages} pages, {failed} failed")
    results["khabar"].append((pages / wall, cpu * 1000 / pages))
    wall, cpu, _ = timed(["curl", "--silent", "--fail", "--parallel", "--parallel-max", str(parallel), "-K", config])
    results["curl"].append((len(urls) / wall, cpu * 1000 / len(urls)))

print(f"{len(urls)} pages, {parallel} in flight, {rounds} rounds (medians):")
med = {}
for name, rows in results.items():
    rate = statistics.median(r[0] for r in rows)
    cpu = statistics.median(r[1] for r in rows)
    med[name] = (rate, cpu)
    runs = ", ".join(f"{r[0]:.0f}" for r in rows)
    print(f"  {name:7s} {rate:8.0f} pages/s  {cpu:6.3f} ms CPU/page   (pages/s per round: {runs})")
ratio = med["khabar"][0] / med["curl"][0]
print(f"  khabar/curl pages/s: {ratio:.2f}  (target >= 0.80)  CPU/page ratio: {med['khabar'][1] / med['curl'][1]:.2f}")
