#!/usr/bin/env bash
# Extraction benchmark: quality on ../shared/bench (aeb F1/P/R, rtl snippets and ZWNJ, WCXB dev),
# throughput in MB of HTML per CPU second on one core (median of 5 runs) beside trafilatura on the
# same pages when it is installed, and memory over 10,000 extractions of one page.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH_DATA:-../shared/bench}
[ -d "$BENCH/aeb" ] || BENCH=/work/shared/bench
swift build -c release --product khabar >/dev/null
swift build -c release --product KhabarExtractBench >/dev/null
BIN=.build/release
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "-- quality"
"$BIN/khabar" extract "$BENCH/aeb/html" --json "$TMP/aeb.json"
python3 "$BENCH/score_aeb.py" "$TMP/aeb.json" "$BENCH/aeb/ground-truth.json" | sed -n 2p | sed 's/^/aeb: /'
"$BIN/khabar" extract "$BENCH/rtl/html" --json "$TMP/rtl.json"
python3 "$BENCH/score_rtl.py" "$TMP/rtl.json" "$BENCH/rtl/annotations.json" | sed 's/^/rtl: /' || true
if [ -d "$BENCH/wcxb" ]; then
  "$BIN/khabar" extract "$BENCH/wcxb/html" --json "$TMP/wcxb.json"
  python3 "$BENCH/score_wcxb.py" "$TMP/wcxb.json" "$BENCH/wcxb/ground-truth.json" | sed 's/^/wcxb dev: /'
fi

echo "-- speed (aeb pages, decompressed, one core)"
mkdir -p "$TMP/pages"
for f in "$BENCH"/aeb/html/*.html.gz; do gzip -dc "$f" > "$TMP/pages/$(basename "$f" .gz)"; done
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
$PIN "$BIN/KhabarExtractBench" speed "$TMP/pages" 5 | tee "$TMP/khabar-speed.txt"
$PIN python3 bench/extract/trafilatura_speed.py "$TMP/pages" 3 | tee "$TMP/trafilatura-speed.txt"
K=$(sed -n 's/.*throughput: \([0-9.]*\) MB.*/\1/p' "$TMP/khabar-speed.txt")
T=$(sed -n 's/.*throughput: \([0-9.]*\) MB.*/\1/p' "$TMP/trafilatura-speed.txt")
if [ -n "$K" ] && [ -n "$T" ]; then
  python3 -c "print('khabar / trafilatura throughput ratio: %.1fx (target >= 3x, i.e. >= 27 MB/s)' % ($K / $T))"
fi

echo "-- memory (10,000 extractions of one page)"
PAGE=$(ls -S "$TMP"/pages/*.html | sed -n 20p)
"$BIN/KhabarExtractBench" memory "$PAGE" 10000
