#!/usr/bin/env bash
# Schemathesis against the API's own OpenAPI schema, on a live server with the demo loaded
# (SQLite, a throwaway data directory). Passes only with zero server errors (5xx), and
# with every response matching its documented status codes and content type.
#
# Two runs: anonymous (the demo plans published, so the public rule is exercised) and with
# the demo coordinator's token (internal content, agency reports and their writes).
# Usage: scripts/api_fuzz.sh [max examples per operation, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES=${1:-20}
PORT=${NAP1325_FUZZ_PORT:-8769}
DATA="$(mktemp -d)"
export NAP1325_DATA_DIR="$DATA"
unset DATABASE_URL
NAP=.venv/bin/nap1325

$NAP migrate -v0
$NAP load-demo >/dev/null
$NAP shell -c "from nap1325.plans.models import Plan; Plan.objects.update(is_published=True)"
TOKEN="$($NAP api-token coordinator 2>/dev/null)"

$NAP serve --port "$PORT" >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$DATA"' EXIT

BASE="http://127.0.0.1:$PORT"
cat >"$DATA/schemathesis.toml" <<TOML
[parameters]
"path.slug" = "kg-nap-2018"
TOML

run() {
  .venv/bin/schemathesis --config-file "$DATA/schemathesis.toml" run "$BASE/api/schema/" \
    --url "$BASE" --wait-for-schema 60 --workers 1 \
    --checks not_a_server_error,status_code_conformance,content_type_conformance \
    --phases examples,coverage,fuzzing --max-examples "$EXAMPLES" \
    --generation-database none --no-color "$@"
}

echo "-- anonymous"
run
echo "-- the demo coordinator's token"
run -H "Authorization: Token $TOKEN"
if grep -q "Internal Server Error" "$DATA/server.log"; then
  echo "The server logged an internal error:" >&2
  grep -A20 "Internal Server Error" "$DATA/server.log" >&2
  exit 1
fi
