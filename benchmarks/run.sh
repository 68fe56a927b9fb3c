#!/usr/bin/env bash
# Runs the side-by-side benchmarks (affrules, expr, CEL, OPA, a float64 floor) and writes their
# table into the marked section of ../BENCHMARKS.md: the agreement check first, then PROCS
# processes (default 5) timing every variant in rotated order, ratios taken within each process,
# medians across them, and a CPU profile of affrules on every row that misses a target.
# ROUNDS (default 3) and BENCHTIME (default 100ms) set the timing of each variant in a process.
set -euo pipefail
cd "$(dirname "$0")"

PROCS=${PROCS:-5}
ROUNDS=${ROUNDS:-3}
BENCHTIME=${BENCHTIME:-100ms}
if [ "$PROCS" -lt 5 ]; then
  echo "run.sh: PROCS=$PROCS: the table needs the median of at least 5 processes" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "==> agreement check: every implementation gives affrules' answer on every case"
go test -count=1 -run 'TestAgree$|TestVariantsComplete|TestMixes' .

go build -o "$work/compare" ./cmd/compare
for i in $(seq 0 $((PROCS - 1))); do
  echo "==> process $((i + 1)) of $PROCS (order rotated by $i)"
  "$work/compare" -rotate "$i" -rounds "$ROUNDS" -benchtime "$BENCHTIME" > "$work/run$i.tsv"
  grep '^# load' "$work/run$i.tsv"
done

mkdir "$work/profiles"
"$work/compare" -missed "$work"/run*.tsv > "$work/missed"
if [ -s "$work/missed" ]; then
  echo "==> profiles of affrules on the rows that miss a target"
  "$work/compare" -run "^($(paste -sd '|' "$work/missed"))\$" -benchtime 2s -cpuprofile "$work/profiles"
  while IFS= read -r variant; do
    name=$("$work/compare" -profile-name "$variant")
    go tool pprof -top -nodecount 15 "$work/compare" "$work/profiles/$name.prof" 2>/dev/null |
      sed -n '/^Showing nodes/,$p' > "$work/profiles/$name.txt"
  done < "$work/missed"
fi

"$work/compare" -merge ../BENCHMARKS.md -profiles "$work/profiles" -notes notes.md "$work"/run*.tsv
echo "==> ../BENCHMARKS.md updated"
