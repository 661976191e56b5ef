#!/usr/bin/env bash
# Instructions and mispredicted branches per document, counted by valgrind's callgrind: the measure
# to compare builds by on a shared machine, where the same binary's wall time moves by a quarter
# from run to run and the counts by less than 0.1%. For each build and each pipeline (frequency per
# document with 1- and 2-grams and English stop words, each plugin stage alone, the four default
# news stages, results only), `analyze run --jobs 1` runs on the corpus's first DOCUMENTS documents
# and on its first document alone; the difference, divided by DOCUMENTS - 1, is the cost of a
# document without the start-up. Binaries are stripped of debug information first (callgrind cannot
# read Swift's). Mispredictions come from callgrind's simple branch predictor (`--branch-sim=yes`):
# a guide to what a real processor sees, not its figure. Takes about a minute per build.
# Usage: scripts/bench-instructions.sh [OTHER_ANALYZE_BINARY] [CORPUS.jsonl] [DOCUMENTS]
#   With OTHER_ANALYZE_BINARY (an earlier build, say), both are measured and compared.
set -euo pipefail
cd "$(dirname "$0")/.."
other=${1:-}
corpus=$(realpath "${2:-../shared/data/corpus/news.jsonl}")
documents=${3:-500}
command -v valgrind >/dev/null && command -v strip >/dev/null || { echo "bench-instructions: needs valgrind and strip; skipped" >&2; exit 0; }
analyze=.build/release/analyze
[ -x "$analyze" ] || swift build -c release --product analyze >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n "$documents" "$corpus" > "$work/many.jsonl"
head -n 1 "$corpus" > "$work/one.jsonl"
strip --strip-debug -o "$work/this" "$analyze"
builds=(this)
if [ -n "$other" ]; then
  strip --strip-debug -o "$work/other" "$other"
  builds=(other this)
fi
frequency='{ id: terms, type: frequency, with: { ngrams: [1, 2], stopwords: english, corpus: false } }'
pipelines=(frequency sentiment readability quotes four-stages)
for name in "${pipelines[@]}"; do
  case $name in
    frequency) list="[$frequency]" ;;
    sentiment | readability | quotes) list="[{ id: $name, type: $name }]" ;;
    four-stages) list="[{ id: tone, type: sentiment }, { id: reading, type: readability }, { id: quotes, type: quotes }, $frequency]" ;;
  esac
  printf 'version: 1\ninput: { path: "-", format: jsonl }\noutput: { path: /dev/null, format: jsonl }\nstages: %s\n' "$list" > "$work/$name.yml"
done
# Prints "INSTRUCTIONS MISPREDICTS" of one run.
count() {
  valgrind --tool=callgrind --branch-sim=yes --callgrind-out-file="$work/out" "$work/$1" run "$work/$2.yml" --jobs 1 \
    < "$work/$3.jsonl" 2> "$work/log" > /dev/null || true
  python3 - "$work/log" <<'PY'
import re, sys
log = open(sys.argv[1]).read()
refs = re.search(r'I\s+refs:\s+([\d,]+)', log)
mispredicts = re.search(r'Mispredicts:\s+([\d,]+)', log)
if not refs or not mispredicts:
    sys.exit('bench-instructions: callgrind gave no counts:\n' + log[-2000:])
print(refs.group(1).replace(',', ''), mispredicts.group(1).replace(',', ''))
PY
}
echo "per document of the first $documents in $corpus (analyze run --jobs 1, start-up taken off)"
printf '%-12s %-6s %14s %12s\n' pipeline build instructions mispredicts
for name in "${pipelines[@]}"; do
  declare -A per=()
  for build in "${builds[@]}"; do
    read -r many_i many_m <<<"$(count "$build" "$name" many)"
    read -r one_i one_m <<<"$(count "$build" "$name" one)"
    read -r i m <<<"$(python3 -c "n = $documents - 1; print(round(($many_i - $one_i) / n), round(($many_m - $one_m) / n, 1))")"
    per[$build]="$i $m"
    printf '%-12s %-6s %14s %12s\n' "$name" "$build" "$i" "$m"
  done
  if [ -n "$other" ]; then
    python3 -c "
o, t = '${per[other]}'.split(), '${per[this]}'.split()
print(f'{\"\":<12} {\"change\":<6} {100 * (int(t[0]) / int(o[0]) - 1):+13.1f}% {100 * (float(t[1]) / float(o[1]) - 1):+11.1f}%')"
  fi
done
