#!/usr/bin/env bash
# End-to-end ingestion benchmark (issue 6): `khabar poll` against a loopback fixture news site of
# 2,000 articles made from the extraction benchmark's pages (../shared/bench aeb and wcxb html),
# each at its own URL, found through a sitemap index (gzipped and plain sitemaps) named by
# robots.txt. Prints articles per second and peak RSS of the `khabar poll` process (targets:
# >= 100 articles/s on 2 cores, <= 200 MB), the median of ROUNDS runs, each on a fresh corpus.
#
# Politeness is off for this run only, on our own loopback server: `per_host_delay = "0s"` in the
# configuration and KHABAR_UNSAFE_IGNORE_ROBOTS=1 in the environment (docs/daemon.md). The 892
# pages are served more than once to make 2,000; each copy's headline is marked with its number, so
# every copy is a distinct text, and the near-duplicate check is off (its headline is all that
# differs). Everything else is the daemon as shipped: fetch, extract, judge, dedupe, append with
# fsync, index, events, frontier.
#
#   ROUNDS=3 ARTICLES=2000 CONCURRENCY=8 bench/e2e.sh
#   WRAP="perf record -F 499 -g -o /tmp/khabar.perf --" ROUNDS=1 bench/e2e.sh    # a profile
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
ARTICLES=${ARTICLES:-2000}
CONCURRENCY=${CONCURRENCY:-8}
shared=../shared/bench

swift build -c release --product khabar >/dev/null
swift build -c release --product khabar-fixture-site >/dev/null
bin=.build/release

work=$(mktemp -d /tmp/khabar-e2e-bench.XXXXXX)
site_pid=""
cleanup() {
  [ -n "$site_pid" ] && kill "$site_pid" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/pages"
for set in aeb wcxb; do
  for f in "$shared/$set"/html/*.html.gz; do
    gunzip -c "$f" > "$work/pages/$set-$(basename "$f" .gz)"
  done
done
pages=$(ls "$work/pages" | wc -l)

# The site serves until its stdin closes: keep a pipe open on fd 3.
mkfifo "$work/site.in"
"$bin/khabar-fixture-site" --pages "$work/pages" --count "$ARTICLES" < "$work/site.in" > "$work/site.out" &
site_pid=$!
exec 3>"$work/site.in"
for _ in $(seq 1 100); do grep -q '^ready ' "$work/site.out" 2>/dev/null && break; sleep 0.1; done
base=$(awk '/^ready /{print $2}' "$work/site.out")
[ -n "$base" ] || { echo "the fixture site did not start" >&2; exit 1; }

echo "fixture site: $base — $ARTICLES articles from $pages pages; per_host_concurrency $CONCURRENCY; $(nproc) cores"
results=()
for round in $(seq 1 "$ROUNDS"); do
  run="$work/run-$round"
  mkdir -p "$run"
  cat > "$run/khabar.toml" <<EOF
[daemon]
corpus_dir = "$run/corpus"
state_db = "$run/state/khabar.sqlite"
per_host_delay = "0s"
per_host_concurrency = $CONCURRENCY
max_concurrency = 16
near_duplicate_distance = 0

[[source]]
name = "fixture"
url = "$base/"
EOF
  chmod 644 "$run/khabar.toml"
  KHABAR_UNSAFE_IGNORE_ROBOTS=1 /usr/bin/time -f "%e %M %U %S" -o "$run/time" \
    ${WRAP:-} "$bin/khabar" poll --config "$run/khabar.toml" --log-level warning > "$run/summary" 2> "$run/stderr"
  read -r elapsed rss_kb user sys < "$run/time"
  files=$(find "$run/corpus" -name '[0-9]*_*.txt' | wc -l)
  fetched=$(awk '$1=="fixture"{print $4}' "$run/summary" | tr -d ,)
  rate=$(python3 -c "print(f'{$files/$elapsed:.1f}')")
  printf 'round %d: %d articles added of %s fetched in %.2f s = %s articles/s; peak RSS %d MB; CPU %.1f s user + %.1f s sys\n' \
    "$round" "$files" "$fetched" "$elapsed" "$rate" "$((rss_kb / 1024))" "$user" "$sys"
  results+=("$rate $((rss_kb / 1024))")
  if [ "$round" = 1 ]; then
    sed 's/^/  /' "$run/summary"
    "$bin/khabar" verify --config "$run/khabar.toml" | tail -1 | sed 's/^/  verify: /'
  fi
  rm -rf "$run/corpus" "$run/state"
done
printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
rate = statistics.median(r[0] for r in rows)
rss = max(r[1] for r in rows)
print(f"median: {rate:.1f} articles/s (target >= 100); peak RSS {rss:.0f} MB (target <= 200)")
'
