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


# Flattr.Umbraco's backoffice client (Flattr.Umbraco/Client): type-check, unit tests, and a rebuild that must reproduce
# the bundle committed in Flattr.Umbraco/wwwroot (so `dotnet build` and `dotnet pack` never need Node.js).
client_status=0
client_note=""
if node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then
  (cd Flattr.Umbraco/Client && export NO_COLOR=1 && npm ci --no-audit --no-fund && npm run typecheck && npm test && npm run build) 2>&1 | tee artifacts/client-output.log
  client_status=${PIPESTATUS[0]}
  if [ "$client_status" -eq 0 ] && git rev-parse --is-inside-work-tree >/dev/null 2>&1 \
      && ! git diff --quiet -- Flattr.Umbraco/wwwroot; then
    echo "Flattr.Umbraco/wwwroot differs from a fresh client build; run 'npm run build' in Flattr.Umbraco/Client and commit it." >&2
    client_status=1
  fi
elif [ -n "${CI:-}" ]; then
  echo "Node.js >= 20.19 is required on CI for the Flattr.Umbraco client checks." >&2
  client_status=1
else
  client_note=" (Umbraco client checks skipped: Node.js >= 20.19 not found)"
fi

# Both Umbraco package lines, and Flattr.Core they depend on, for the package tests (tests/Flattr.Umbraco.Tests/Packaging).
rm -rf artifacts/packages
: > artifacts/pack-output.log
pack_status=0
for pack in "Flattr.Core/Flattr.Core.csproj" "Flattr.Umbraco/Flattr.Umbraco.csproj" "Flattr.Umbraco/Flattr.Umbraco.csproj -p:UmbracoMajor=18"; do
  # shellcheck disable=SC2086 # the word splitting of $pack is intended
  dotnet pack $pack -c Release -o artifacts/packages -nologo >> artifacts/pack-output.log 2>&1 || { echo "dotnet pack $pack failed (artifacts/pack-output.log)" >&2; pack_status=1; }
done
export FLATTR_PACKAGES="$PWD/artifacts/packages"

dotnet test --solution Flattr.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The Umbraco suite once more, built against Umbraco 18 (the solution run above covers Umbraco 17).
log18=artifacts/test-output-umbraco18.log
dotnet test --project tests/Flattr.Umbraco.Tests -c Release -p:UmbracoMajor=18 2>&1 | tee "$log18"
status18=${PIPESTATUS[0]}

# The performance harness at smoke size (seconds a step; figures are not judged): every benchmark, the load tests on
# SQLite and PostgreSQL, and the plan-versus-simulate check still run, so the harness never rots.
perf_log=artifacts/perf-smoke.log
PERF_MODE=smoke bash eng/perf.sh > "$perf_log" 2>&1
perf_status=$?
if [ "$perf_status" -eq 0 ]; then
  perf_line="perf smoke (eng/perf.sh, PERF_MODE=smoke): every step ran ($perf_log)"
else
  tail -30 "$perf_log" >&2
  perf_line="perf smoke (eng/perf.sh, PERF_MODE=smoke): FAILED, see $perf_log"
fi

# One plain summary line for people and CI: the runner prints per-assembly results and a total block.
count() { grep -E "^\s+$1: [0-9]+" "$2" | tail -1 | grep -oE '[0-9]+'; }
total=$(( $(count total "$log" || echo 0) + $(count total "$log18" || echo 0) ))
failed=$(( $(count failed "$log" || echo 0) + $(count failed "$log18" || echo 0) ))
passed=$(( $(count succeeded "$log" || echo 0) + $(count succeeded "$log18" || echo 0) ))
skipped=$(( $(count skipped "$log" || echo 0) + $(count skipped "$log18" || echo 0) ))
if [ "$total" -eq 0 ]; then
  echo "tests: no test ran (exit $status)" >&2
  exit 1
fi
# dotnet test hides build output, so the default build's note about the Orchard layer is repeated here.
echo "Flattr.OrchardCore (Orchard layer) was not compiled: pass -p:WithOrchardCore=true on a machine that can restore OrchardCore 3.x packages (bash eng/orchardcore.sh)."
client_tests=$(grep -oE 'Tests +[0-9]+ passed' artifacts/client-output.log 2>/dev/null | grep -oE '[0-9]+' | tail -1)
client_failed=$(grep -oE 'Tests +.*[0-9]+ failed' artifacts/client-output.log 2>/dev/null | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' | tail -1)
echo "Umbraco backoffice client (Vitest): ${client_tests:-0} passed, ${client_failed:-0} failed${client_note}"
echo "$perf_line"
# The last line stays in the plain "N passed, N failed, N skipped" form, counting every suite above.
echo "tests: $((passed + ${client_tests:-0})) passed, $((failed + ${client_failed:-0})) failed, ${skipped} skipped"
for s in "$status" "$status18" "$client_status" "$pack_status" "$perf_status"; do
  [ "$s" -eq 0 ] || exit "$s"
done
exit 0
