#!/usr/bin/env bash
# CI: media on S3-compatible object storage (issue 16 item 4). Starts moto's S3 server on a free
# loopback port, points the S3_* settings at it (a public bucket and a private one) and runs
# tests/storage (admin image upload, renditions served from the bucket, private files refused
# without a signature, documents behind Wagtail's privacy check) plus the photo and image tests
# that read and write files, on SQLite.
# The server is stopped however the run ends.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$(mktemp)
.venv/bin/moto_server -H 127.0.0.1 -p "$PORT" >"$LOG" 2>&1 &
MOTO=$!
trap 'kill "$MOTO" 2>/dev/null || true; wait "$MOTO" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 50); do
  "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/moto-api/', timeout=1)" 2>/dev/null && break
  kill -0 "$MOTO" 2>/dev/null || { cat "$LOG"; echo "moto_server did not start"; exit 1; }
  sleep 0.2
done

export S3_ENDPOINT_URL="http://127.0.0.1:$PORT" S3_REGION=us-east-1 S3_ADDRESSING_STYLE=path \
  S3_ACCESS_KEY_ID=ci-key S3_SECRET_ACCESS_KEY=ci-secret \
  S3_BUCKET=fengchao-media S3_PRIVATE_BUCKET=fengchao-private
"$PY" -m pytest -q -p no:cacheprovider tests/storage tests/reports/test_photos.py tests/programs/test_missing_image.py \
  tests/news/test_edge_cases.py::test_an_image_whose_file_is_lost_does_not_take_news_down
