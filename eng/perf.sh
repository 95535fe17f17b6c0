#!/usr/bin/env bash
# Every performance figure of the project in one run (docs/performance.md explains each one and the targets).
#
#   bash eng/perf.sh                     # quick: a 1M-click month, 5 s load phases (~2-3 minutes)
#   PERF_MODE=full bash eng/perf.sh      # the targets' month: 10M clicks, 1M readers, 200k things (~15-25 minutes)
#   PERF_MODE=smoke bash eng/perf.sh     # seconds per step; eng/test.sh runs this so the harness never rots
#
# Sizes: PERF_READERS PERF_THINGS PERF_CREATORS PERF_CLICKS PERF_TOKENS; load phases: PERF_DURATION and PERF_WARMUP (s),
# PERF_CONNECTIONS (wrk); things sync: PERF_SYNC_THINGS and PERF_SYNC_WARMUP (unmeasured batches); BenchmarkDotNet: PERF_BENCH_ARGS; PERF_PROVIDERS="Sqlite Postgres";
# PERF_NO_BUILD=1 uses the Release build in artifacts/ as it is; PERF_WORK=DIR keeps the work files there.
# Every figure is printed with the load average at the time it was taken: on a busy machine the figures are low.
# Exits non-zero when a step fails (a wrong answer, a failed request), never because a figure misses its target.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=${PERF_MODE:-quick}
# BenchmarkDotNet runs in process: it runs from the work folder, where it cannot find the project to build a child process.
case "$mode" in
  smoke) d_readers=2000;    d_things=500;    d_creators=50;    d_clicks=20000;    d_tokens=200;   d_duration=2;  d_warmup=1;  d_sync=1000;  d_sync_warmup=1
         d_bench="--job Dry --inProcess --filter *" ;;
  quick) d_readers=100000;  d_things=20000;  d_creators=2000;  d_clicks=1000000;  d_tokens=5000;  d_duration=5;  d_warmup=15; d_sync=10000; d_sync_warmup=20
         d_bench="--job Dry --inProcess --filter *" ;;
  full)  d_readers=1000000; d_things=200000; d_creators=20000; d_clicks=10000000; d_tokens=20000; d_duration=20; d_warmup=20; d_sync=50000; d_sync_warmup=20
         d_bench="--job Short --inProcess --filter *" ;;
  *) echo "perf.sh: PERF_MODE must be smoke, quick or full" >&2; exit 2 ;;
esac
readers=${PERF_READERS:-$d_readers}
things=${PERF_THINGS:-$d_things}
creators=${PERF_CREATORS:-$d_creators}
clicks=${PERF_CLICKS:-$d_clicks}
tokens=${PERF_TOKENS:-$d_tokens}
duration=${PERF_DURATION:-$d_duration}
warmup=${PERF_WARMUP:-$d_warmup}
connections=${PERF_CONNECTIONS:-64}
sync_things=${PERF_SYNC_THINGS:-$d_sync}
sync_warmup=${PERF_SYNC_WARMUP:-$d_sync_warmup}
bench_args=${PERF_BENCH_ARGS:-$d_bench}
providers=${PERF_PROVIDERS:-Sqlite Postgres}
period=${PERF_PERIOD:-$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)} # the month that ended last; a payout run needs an ended month

work=${PERF_WORK:-$(mktemp -d /tmp/flattr-perf.XXXXXX)}
mkdir -p "$work"
hub_dll=$root/artifacts/bin/Flattr.Hub/release/Flattr.Hub.dll
tool_dll=$root/artifacts/bin/Flattr.Benchmarks/release/Flattr.Benchmarks.dll
results=$work/figures.txt
: > "$results"
hub_pid=
pg_dir=

cleanup() {
  if [ -n "$hub_pid" ]; then kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; fi
  if [ -n "$pg_dir" ]; then bash "$root/eng/postgres.sh" stop "$pg_dir"; fi
  if [ -z "${PERF_WORK:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
say() { echo "perf: $*"; }
# figure NAME VALUE [TARGET]: one line per figure, with the load average, collected for the summary at the end.
figure() {
  local line
  line=$(printf '%-58s %-44s %-26s load %s' "$1" "$2" "${3:-}" "$(load_avg)")
  echo "FIGURE $line"
  echo "$line" >> "$results"
}
fail() { echo "perf: FAILED: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

say "mode $mode: $readers readers, $things things, $creators creators, $clicks click rows of $period; $tokens API tokens; load phases ${duration}s; work $work"
say "machine: $(nproc) cores; $(free -h | awk '/^Mem:/ {print $2 " memory, " $7 " available"}'); $(lscpu | sed -n 's/^Model name: *//p' | head -1); load $(load_avg)"

# The load generator and the tools the figures are read with, from Debian's packages on a fresh machine.
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v jq >/dev/null || missing+=(jq)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing Debian's packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; fi
fi

if [ -z "${PERF_NO_BUILD:-}" ]; then
  say "building Release"
  dotnet build -c Release tests/Flattr.Benchmarks -nologo -v q -clp:ErrorsOnly >/dev/null || fail "Release build"
fi
[ -f "$hub_dll" ] && [ -f "$tool_dll" ] || fail "no Release build in artifacts/ (run without PERF_NO_BUILD)"

shape=(--readers "$readers" --things "$things" --creators "$creators" --clicks "$clicks" --period "$period")

# 1. payouts simulate, end to end, as an admin runs it.
say "generating the month's CSV files"
dotnet "$tool_dll" generate --out "$work/csv" "${shape[@]}" >/dev/null
/usr/bin/time -f '%e %M' -o "$work/simulate.time" dotnet "$hub_dll" payouts simulate --period "$period" \
  --budgets "$work/csv/budgets.csv" --clicks "$work/csv/clicks.csv" > "$work/simulate.json" || fail "payouts simulate"
read -r sim_seconds sim_kb < "$work/simulate.time"
figure "payouts simulate, $clicks rows" \
  "$(awk -v c="$clicks" -v s="$sim_seconds" -v k="$sim_kb" 'BEGIN {printf "%.2f s, %.2fM rows/s, peak %.0f MB", s, c/s/1e6, k/1024}')" \
  ">= 2M rows/s, < 1 GiB"

# 2. BenchmarkDotNet suites (split engine, simulate on files, request signing, button renderer).
say "BenchmarkDotNet: $bench_args"
mkdir -p "$work/bench"
# shellcheck disable=SC2086 # the arguments are meant to split
(cd "$work/bench" && set -f && dotnet "$tool_dll" bench $bench_args) > "$work/bench.log" 2>&1 || { tail -40 "$work/bench.log"; fail "BenchmarkDotNet"; }
grep -E '^\|' "$work/bench.log" | grep -vE '^\|[-:| ]+\|$' || true
figure "BenchmarkDotNet ($bench_args)" "$(grep -cE '^\| (Split|SimulateFromCsv|Sign|Verify|Render|Create)' "$work/bench.log") results, see above"

# 3. The Hub under load, per database.
start_hub() { # provider connection data-dir
  local port
  port=$(free_port)
  hub_url="http://127.0.0.1:$port"
  dotnet "$hub_dll" --urls "$hub_url" --Hub:Database:Provider "$1" --ConnectionStrings:Hub "$2" --Hub:DataDirectory "$3" \
    --Hub:RateLimits:PerIp 1000000 --Hub:RateLimits:PerReader 1000000 --Hub:RateLimits:Window 00:00:01 \
    --Logging:LogLevel:Default Warning > "$3/hub.log" 2>&1 &
  hub_pid=$!
  for _ in $(seq 1 120); do
    if curl -sf "$hub_url/health/ready" >/dev/null; then return 0; fi
    kill -0 "$hub_pid" 2>/dev/null || { cat "$3/hub.log"; fail "the Hub did not start"; }
    sleep 0.5
  done
  fail "the Hub was not ready after 60 s"
}
stop_hub() { kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true; hub_pid=; }
wrk_rate() { sed -n 's/^Requests\/sec: *//p' "$1"; }
wrk_pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
wrk_created() { sed -n 's/^clicks: created \([0-9]*\).*/\1/p' "$1"; }

for provider in $providers; do
  data=$work/$provider
  mkdir -p "$data"
  if [ "$provider" = Postgres ]; then
    if [ -z "$pg_dir" ]; then
      pg_env=$(FLATTR_PG_DURABLE=1 bash eng/postgres.sh start) || fail "could not start PostgreSQL"
      eval "$pg_env"
      pg_dir=$FLATTR_PG_DIR
      pg_connection=$FLATTR_TEST_POSTGRES
      psql_conn=$(echo "$pg_connection" | sed -E 's/Host=([^;]*);Port=([0-9]*);Username=([^;]*);Database=([^;]*).*/host=\1 port=\2 user=\3 dbname=\4/')
      psql "$psql_conn" -qc 'CREATE DATABASE flattr_perf' >/dev/null
    fi
    connection="${pg_connection/Database=postgres/Database=flattr_perf};Maximum Pool Size=100"
  else
    connection="Data Source=$data/hub.db"
  fi
  db=(--provider "$provider" --connection "$connection" --data "$data")

  say "$provider: loading the month"
  /usr/bin/time -f '%e %M' -o "$data/load.time" dotnet "$tool_dll" load "${db[@]}" "${shape[@]}" --tokens "$tokens" --out "$data" \
    | tee "$data/load.log" || fail "$provider load"
  read -r load_seconds _ < "$data/load.time"
  # shellcheck disable=SC1091
  source <(sed 's/^/export /' "$data/hub.env")
  figure "$provider load ($FLATTR_PERF_CLICKS_LOADED clicks and the rest)" "$(printf '%.1f s' "$load_seconds")"

  start_hub "$provider" "$connection" "$data"
  lua=$root/eng/perf/clicks.lua
  segment=$(( FLATTR_PERF_TOKENS * FLATTR_PERF_THINGS / 4 )) # each phase numbers its clicks from its own segment: no pair repeats
  # Warm-up, not reported: tiered JIT needs some seconds of load before the click path runs optimised code, and the
  # connection pools fill.
  wrk -t2 -c"$connections" -d"$(( warmup < 3 ? warmup : 3 ))s" "$hub_url/health/live" > /dev/null
  wrk -t2 -c"$connections" -d"${warmup}s" -s "$lua" "$hub_url/api/v1/flattrs" \
    -- "$data/tokens.txt" "$FLATTR_PERF_THINGS" 0 2 > "$data/wrk-warm.txt"
  created=$(wrk_created "$data/wrk-warm.txt")

  wrk -t2 -c"$connections" -d"${duration}s" --latency "$hub_url/health/live" > "$data/wrk-live.txt"
  live=$(wrk_rate "$data/wrk-live.txt")
  figure "$provider GET /health/live, wrk -c$connections" "$(printf '%.0f req/s, p99 %s' "$live" "$(wrk_pct "$data/wrk-live.txt" 99%)")"

  wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$lua" "$hub_url/api/v1/flattrs" \
    -- "$data/tokens.txt" "$FLATTR_PERF_THINGS" "$segment" 2 > "$data/wrk-clicks.txt"
  cat "$data/wrk-clicks.txt"
  max=$(wrk_rate "$data/wrk-clicks.txt")
  max_created=$(wrk_created "$data/wrk-clicks.txt")
  created=$(( created + max_created ))
  grep -q 'clicks: created [0-9]*, repeated 0, other 0' "$data/wrk-clicks.txt" || fail "$provider: a click was not created (see above)"
  figure "$provider POST /api/v1/flattrs max, wrk -c$connections" \
    "$(printf '%.0f clicks/s (%.1f%% of live), p50 %s p99 %s' "$max" "$(awk -v a="$max" -v b="$live" 'BEGIN {print 100*a/b}')" \
      "$(wrk_pct "$data/wrk-clicks.txt" 50%)" "$(wrk_pct "$data/wrk-clicks.txt" 99%)")" ">= 5000 clicks/s"

  # The target's latency is asked at 80% of the target's 5,000 clicks/s; a Hub that does not reach 5,000 here is
  # measured at 80% of its own maximum instead (at 4,000/s it would only show its queue growing).
  rate=$(awk -v m="$max" 'BEGIN {t = (m < 5000 ? m : 5000); r = int(t * 0.8); print (r < 1 ? 1 : r)}')
  rate_of=$(awk -v m="$max" 'BEGIN {print (m < 5000 ? "80% of max" : "80% of 5000")}')
  dotnet "$tool_dll" click-rate --url "$hub_url" --tokens "$data/tokens.txt" --things "$FLATTR_PERF_THINGS" \
    --rate "$rate" --duration "$duration" --warmup "$(( warmup < 3 ? warmup : 3 ))" --connections "$connections" --offset $(( 2 * segment )) > "$data/rate.txt" || { cat "$data/rate.txt"; fail "$provider click-rate"; }
  cat "$data/rate.txt"
  created=$(( created + $(sed -n 's/.*created \([0-9]*\),.*/\1/p' "$data/rate.txt") ))
  figure "$provider POST /api/v1/flattrs at $rate_of ($rate/s), open loop" \
    "$(sed -n 's/.*p50 \([0-9.]*\) ms, p90 \([0-9.]*\) ms, p99 \([0-9.]*\) ms.*/p50 \1 p90 \2 p99 \3 ms/p' "$data/rate.txt")" "p99 < 50 ms"

  stored=$(dotnet "$tool_dll" count-clicks "${db[@]}")
  say "$provider: $created clicks answered 201, $stored stored this month"
  [ "$stored" -ge "$created" ] || fail "$provider: fewer clicks stored ($stored) than answered 201 ($created)"

  dotnet "$tool_dll" sync-things --url "$hub_url" --installation "$FLATTR_PERF_INSTALLATION" --secret "$FLATTR_PERF_SECRET" \
    --things "$sync_things" --warmup "$sync_warmup" > "$data/sync.txt" || { cat "$data/sync.txt"; fail "$provider sync-things"; }
  cat "$data/sync.txt"
  figure "$provider things:batch create, 500/batch" "$(sed -n 's/.*create: .* s, \([0-9]*\) things\/s.*/\1 things\/s/p' "$data/sync.txt")" ">= 2000 things/s"
  figure "$provider things:batch update, 500/batch" "$(sed -n 's/.*update: .* s, \([0-9]*\) things\/s.*/\1 things\/s/p' "$data/sync.txt")" ">= 2000 things/s"
  stop_hub

  if [ "$provider" = Postgres ]; then
    # 4. The payout plan inside the Hub, from PostgreSQL.
    /usr/bin/time -f '%e %M' -o "$data/plan.time" dotnet "$tool_dll" plan "${db[@]}" --period "$period" --approve true | tee "$data/plan.txt" \
      || fail "plan"
    read -r plan_seconds plan_kb < "$data/plan.time"
    figure "payout plan create+compute from PostgreSQL" \
      "$(sed -n 's/.*create + compute \([0-9.]*\) s.*/\1 s/p' "$data/plan.txt"), peak $(( plan_kb / 1024 )) MB (process ${plan_seconds} s)" "< 60 s, bounded memory"
    figure "payout approve (the plan booked in the ledger)" "$(sed -n 's/^plan: approve: \([0-9.]*\) s.*/\1 s/p' "$data/plan.txt")"
    # The Hub's plan and payouts simulate saw the same month: their totals must agree to the minor unit.
    plan_totals=$(sed -n 's/^plan-totals: //p' "$data/plan.txt" | jq -c '{totalBudget, fee, carriedOver, distributed, countedClicks}')
    sim_totals=$(jq -c '{totalBudget, fee, carriedOver, distributed, countedClicks: .statistics.countedClicks}' "$work/simulate.json")
    [ "$plan_totals" = "$sim_totals" ] || fail "the Hub's plan $plan_totals differs from payouts simulate $sim_totals"
    say "the Hub's plan and payouts simulate agree: $plan_totals"
  fi
done

echo
echo "perf summary ($mode; $(nproc) cores; load generator on the same machine; load average = 1, 5, 15 min at the time)"
cat "$results"
