#!/usr/bin/env bash
# HTTP client benchmark (docs/http.md): 5,000 pages of ~50 KB from a local nginx on loopback,
# fetched by Khabar's client (politeness off, 16 in flight) and by `curl --parallel --parallel-max 16`
# on the same URL list, alternately, five rounds each; prints the medians of pages/s and CPU time
# per page, and Khabar/curl. Then the peak RSS of a process fetching a 1 GB gzip and zstd bomb.
# Installs nginx with apt when it is missing; stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

PAGES="${PAGES:-5000}"
ROUNDS="${ROUNDS:-5}"
PARALLEL="${PARALLEL:-16}"

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "installing nginx"
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light >/dev/null \
    || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

PROBE=.build/release/khabar-http-probe
if [ ! -x "$PROBE" ]; then swift build -c release --product khabar-http-probe >/dev/null; fi

WORK=$(mktemp -d /tmp/khabar-bench-http.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  if [ -f "$WORK/nginx.pid" ]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; sleep 0.5; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 bench/http/make_site.py "$WORK/site" "$PAGES" "http://127.0.0.1:$PORT" > "$WORK/urls.txt"
sed "s|@PORT@|$PORT|; s|@ROOT@|$WORK/site|; s|@WORK@|$WORK|g" bench/http/nginx.conf > "$WORK/nginx.conf"
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/error.log"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/p/0.html" && break; sleep 0.1; done

python3 bench/http/measure.py "$WORK/urls.txt" "$PROBE" "$PARALLEL" "$ROUNDS"

for coding in gzip zstd; do
  line=$("$PROBE" bomb --coding "$coding" --expanded $((1 << 30)) --limit 5000000)
  echo "1 GB $coding bomb: $line (limit 300 MB)"
done
