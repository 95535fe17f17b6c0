#!/usr/bin/env bash
# Runs every test suite of the solution, exactly as CI does (.ci/run calls this script).
# It installs and starts what the suites need on a fresh machine, so a newcomer needs nothing but the .NET SDK.
set -uo pipefail
cd "$(dirname "$0")/.."

mkdir -p artifacts
log=artifacts/test-output.log

# A real PostgreSQL server for the integration suites (installed from Debian's packages if missing).
if [ -z "${FLATTR_TEST_POSTGRES:-}" ]; then
  pg=$(bash eng/postgres.sh start) || { echo "could not start PostgreSQL for the tests" >&2; exit 1; }
  eval "$pg"
  trap 'bash eng/postgres.sh stop "$FLATTR_PG_DIR"' EXIT
fi

# Debian's Chromium for the browser test: Playwright drives it at /usr/bin/chromium and never downloads a browser.
if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing Debian's chromium package" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  else
    sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  fi || { echo "could not install chromium for the browser test" >&2; exit 1; }
fi

dotnet test --solution Flattr.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One plain summary line for people and CI: the runner prints per-assembly results and a total block.
total=$(grep -E '^\s+total: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
failed=$(grep -E '^\s+failed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
passed=$(grep -E '^\s+succeeded: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
skipped=$(grep -E '^\s+skipped: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
if [ -z "${total:-}" ] || [ "${total:-0}" -eq 0 ]; then
  echo "tests: no test ran (exit $status)" >&2
  exit 1
fi
# dotnet test hides build output, so the default build's note about the Orchard layer is repeated here.
echo "Flattr.OrchardCore (Orchard layer) was not compiled: pass -p:WithOrchardCore=true on a machine that can restore OrchardCore 3.x packages (bash eng/orchardcore.sh)."
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
