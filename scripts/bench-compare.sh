#!/usr/bin/env bash
# Speed of this checkout against an earlier revision, measured in one run so that the machine's noise
# hits both alike: builds REVISION's `analyze` in a temporary git worktree, then runs three pipelines
# (frequency per document only, frequency with the corpus summary, the four default news stages with
# the summary and without it, results only) at --jobs 1 and 2 with both builds, alternating, best of
# three, process start and summary included.
# Usage: scripts/bench-compare.sh REVISION [CORPUS.jsonl]
set -euo pipefail
cd "$(dirname "$0")/.."
revision=${1:?usage: scripts/bench-compare.sh REVISION [CORPUS.jsonl]}
corpus=$(realpath "${2:-../shared/data/corpus/news.jsonl}")
work=$(mktemp -d)
trap 'git worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --quiet "$work/old" "$revision"
(cd "$work/old" && swift build -c release --product analyze >/dev/null)
swift build -c release --product analyze >/dev/null
frequency='{ id: terms, type: frequency, with: { ngrams: [1, 2], stopwords: english'
stages='{ id: tone, type: sentiment }, { id: reading, type: readability }, { id: quotes, type: quotes }'
for name in per-document summary four-stages four-results; do
  case $name in
    per-document) list="[$frequency, corpus: false } }]" ;;
    summary) list="[$frequency } }]" ;;
    four-stages | four-results) list="[$stages, $frequency } }]" ;;
  esac
  printf 'version: 1\ninput: { path: "%s", format: jsonl }\noutput: { path: /dev/null, format: jsonl }\nstages: %s\n' \
    "$corpus" "$list" > "$work/$name.yml"
done
bytes=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1], encoding="utf-8") if l.strip()))' "$corpus")
echo "MB/s on $corpus (best of 3, builds alternating): $revision against this checkout"
printf '%-14s %5s %12s %12s %8s\n' pipeline jobs "$revision" checkout gain
for name in per-document summary four-stages four-results; do
  summary=(--summary /dev/null)
  [ "$name" = four-results ] && summary=()
  for jobs in 1 2; do
    old=999 new=999
    for _ in 1 2 3; do
      for build in old new; do
        binary=.build/release/analyze
        [ "$build" = old ] && binary="$work/old/.build/release/analyze"
        start=$(date +%s.%N)
        "$binary" run "$work/$name.yml" --jobs "$jobs" "${summary[@]}" >/dev/null
        seconds=$(python3 -c "import sys; print($(date +%s.%N) - $start)")
        if [ "$build" = old ]; then old=$(python3 -c "print(min($old, $seconds))"); else new=$(python3 -c "print(min($new, $seconds))"); fi
      done
    done
    python3 -c "
b, o, n = $bytes / 1e6, $old, $new
print(f'{\"$name\":<14} {$jobs:>5} {b / o:12.1f} {b / n:12.1f} {100 * (o / n - 1):+7.0f}%')"
  done
done
