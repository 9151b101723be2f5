#!/usr/bin/env bash
# Corpus and state benchmarks (issue 5): appends per second with fsync on, near-duplicate lookup
# time with 100,000 texts indexed (target: median ≤ 1 ms), and `khabar log` queries on a year of
# events. Runs the release driver `khabar-bench-corpus` (built by `make bench` / `swift build -c release`).
# Arguments are passed through: `bench/corpus.sh near 20000`.
set -euo pipefail
cd "$(dirname "$0")/.."
driver=.build/release/khabar-bench-corpus
if [ ! -x "$driver" ]; then
  swift build -c release --product khabar-bench-corpus >/dev/null
fi
"$driver" "${@:-all}"
