#!/usr/bin/env bash
# Every benchmark at tiny size (--smoke), two at a time (the machine's two cores); each one's output is printed
# whole when it ends with its wall time, and the run fails naming every benchmark that failed.
#   tools/bench_smoke.sh PYTHON [JOBS]
set -uo pipefail
python=$1
jobs=${2:-2}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

run() {  # one benchmark; its output to a log, its name to failed.txt when it fails
    local bench=$1 log start
    log="$logs/$(basename "$bench" .py).log"
    start=$(date +%s.%N)
    if "$python" "$bench" --smoke >"$log" 2>&1; then status=ok; else status=FAILED; echo "$bench" >>"$logs/failed.txt"; fi
    status="$status, $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f s wall", e - s }')"
    { echo "== $bench --smoke ($status)"; cat "$log"; } | flock "$logs/print.lock" cat
}
export -f run
export python logs
ls benchmarks/bench_*.py | xargs -P "$jobs" -I{} bash -c 'run {}'
if [ -s "$logs/failed.txt" ]; then
    echo "FAILED --smoke: $(tr '\n' ' ' <"$logs/failed.txt")"
    exit 1
fi
echo "all $(ls benchmarks/bench_*.py | wc -l) benchmarks ran at smoke size"
