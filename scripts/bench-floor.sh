#!/usr/bin/env bash
# Text layer + frequency against its floor, in one run: `analyze run --jobs 1` with the frequency
# stage (1- and 2-grams, English stop words, no corpus aggregate) and `scripts/floor/FrequencyFloor`,
# a program that does the least work giving a similar record (ASCII words only, no sentences, no
# spans: see its header). Both read the same JSONL file and write to /dev/null; they alternate, and
# each figure is the best of ROUNDS, wall time of the whole process over the documents' text bytes.
# With valgrind, also the instructions per document of each (the corpus's first 300 documents, the
# first one's start-up taken off). The floor is a bound on what any design could reach on this
# machine, not a target: it leaves out most of what the product does.
# Usage: scripts/bench-floor.sh [CORPUS.jsonl] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(realpath "${1:-../shared/data/corpus/news.jsonl}")
rounds=${2:-5}
analyze=.build/release/analyze
[ -x "$analyze" ] || swift build -c release --product analyze >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swiftc -O scripts/floor/FrequencyFloor.swift -o "$work/floor"
# The stage's English stop words, read from its source: the text between the triple quotes.
awk '/"""/ { inside = !inside; next } inside { gsub(/\\/, ""); print }' \
  Sources/AnalyticsKit/Stages/Frequency/EnglishStopwords.swift > "$work/stopwords"
[ "$(wc -w < "$work/stopwords")" -gt 100 ] || { echo "bench-floor: could not read the stop words" >&2; exit 1; }
cat > "$work/frequency.yml" <<'YAML'
version: 1
input: { path: "-", format: jsonl }  # --input names the corpus
output: { path: /dev/null, format: jsonl }
stages:
  - { id: terms, type: frequency, with: { ngrams: [1, 2], stopwords: english, corpus: false } }
YAML
# The documents' text bytes, the measure analyze-bench divides by.
megabytes=$("$work/floor" "$work/stopwords" "$corpus" 2>&1 >/dev/null | awk '{print $3}')

seconds() {  # wall seconds of a command
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}
smaller() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }
rate() { awk -v m="$megabytes" -v s="$1" 'BEGIN { print m / s }'; }
best_analyze=999 best_floor=999
for _ in $(seq "$rounds"); do
  a=$(seconds "$analyze" run "$work/frequency.yml" --input "$corpus" --jobs 1)
  f=$(seconds "$work/floor" "$work/stopwords" "$corpus")
  best_analyze=$(smaller "$a" "$best_analyze")
  best_floor=$(smaller "$f" "$best_floor")
done
printf 'text bytes: %s MB; best of %d rounds, wall time of the whole process\n' "$megabytes" "$rounds"
printf '%-44s %6.2f s %7.1f MB/s\n' "analyze, text layer + frequency, jobs 1" "$best_analyze" "$(rate "$best_analyze")"
printf '%-44s %6.2f s %7.1f MB/s\n' "FrequencyFloor (the floor)" "$best_floor" "$(rate "$best_floor")"
printf 'the floor is %.2fx as fast\n' "$(awk -v a="$best_analyze" -v f="$best_floor" 'BEGIN { print a / f }')"

if command -v valgrind >/dev/null; then
  head -n 300 "$corpus" > "$work/many.jsonl"
  head -n 1 "$corpus" > "$work/one.jsonl"
  strip --strip-debug -o "$work/analyze" "$analyze"
  refs() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/refs/ {gsub(",", "", $4); print $4}'; }
  per_document() { awk -v m="$(refs "$@" "$work/many.jsonl")" -v o="$(refs "$@" "$work/one.jsonl")" 'BEGIN { printf "%d", (m - o) / 299 }'; }
  analyze_count=$(per_document "$work/analyze" run "$work/frequency.yml" --jobs 1 --input)
  floor_count=$(per_document "$work/floor" "$work/stopwords")
  printf 'instructions per document (callgrind, first 300): analyze %s, floor %s\n' "$analyze_count" "$floor_count"
fi
