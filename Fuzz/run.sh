#!/usr/bin/env bash
# Builds every fuzzer with libFuzzer + AddressSanitizer and runs each for FUZZ_SECONDS seconds,
# starting from the seeds in Fuzz/seeds/NAME (kept in the repository) and a working corpus in
# .build-fuzz/corpus/NAME, with the dictionary Fuzz/dicts/NAME.dict when there is one. Prints
# executions per second and coverage for each; fails on a crash. FUZZERS="A B" selects fuzzers.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
only="${FUZZERS:-}"
fuzzers=$(sed -n 's/^ *("\(Fuzz[A-Za-z]*\)", .*/\1/p' Package.swift)
[ -n "$only" ] && fuzzers="$only"
export KHABAR_FUZZ=1
# Release (optimised) with libFuzzer and AddressSanitizer: about 5 times the executions per second of
# a debug build. `-enable-testing` lets fuzzers `@testable import` internal parsers.
# One product per build: `swift build` honours only the last of several `--product` options.
mkdir -p .build-fuzz
for f in $fuzzers; do
  if ! swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing \
       --product "$f" >".build-fuzz/build-$f.log" 2>&1; then
    grep -E "error" ".build-fuzz/build-$f.log" >&2; echo "fuzzer $f did not build (.build-fuzz/build-$f.log)" >&2; exit 1
  fi
  grep -E "^Build" ".build-fuzz/build-$f.log" || true
done
export SWIFT_BACKTRACE=enable=no
# Short allocation stacks: ASan records one per malloc, which dominates a Swift fuzzer's time at the
# default depth of 30. To see a deeper stack for a finding, rerun its artifact with a larger value.
export ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=5}"
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0"
status=0
printf '%-16s %10s %8s %8s %s\n' fuzzer "exec/s" cov ft result
for f in $fuzzers; do
  work=".build-fuzz/corpus/$f"; mkdir -p "$work" ".build-fuzz/artifacts/$f"
  log=".build-fuzz/$f.log"
  seeds="Fuzz/seeds/$f"; [ -d "$seeds" ] || seeds=""
  dict=""; [ -f "Fuzz/dicts/$f.dict" ] && dict="-dict=Fuzz/dicts/$f.dict"
  if ./.build-fuzz/release/"$f" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 -timeout=20 \
       -artifact_prefix=".build-fuzz/artifacts/$f/" $dict "$work" $seeds >"$log" 2>&1; then result=ok; else result="CRASH (see $log)"; status=1; fi
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-16s %10s %8s %8s %s\n' "$f" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit $status
