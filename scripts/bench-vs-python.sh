#!/usr/bin/env bash
# Speed against the Python stack, in one run on the same documents: ../shared/eval/baseline.py
# (vaderSentiment, textstat, a regex quote finder, Counter) and `analyze run` with the default news
# stages (pipelines/news-corpus.yml: sentiment, readability, quotes, frequency with 1- and 2-grams),
# both on one core, then the ratio. The Python stack does about 0.3 MB/s, so by default both run on
# the corpus's first 2,000 documents. Needs `pip install vaderSentiment textstat` and
# ../shared/data/nltk_data.
# Usage: scripts/bench-vs-python.sh [CORPUS.jsonl] [DOCUMENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/data/corpus/news.jsonl}
documents=${2:-2000}
analyze=.build/release/analyze
[ -x "$analyze" ] || swift build -c release --product analyze >/dev/null
if ! python3 -c 'import vaderSentiment, textstat' 2>/dev/null; then
  python3 -m pip install --quiet vaderSentiment textstat >/dev/null 2>&1 || true
fi
python3 -c 'import vaderSentiment, textstat' 2>/dev/null || { echo "bench-vs-python: needs pip install vaderSentiment textstat; skipped" >&2; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n "$documents" "$corpus" > "$work/corpus.jsonl"
bytes=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1], encoding="utf-8")))' "$work/corpus.jsonl")
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2> "$work/stderr" || { cat "$work/stderr" >&2; return 1; }
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
python_s=$(NLTK_DATA=../shared/data/nltk_data seconds python3 ../shared/eval/baseline.py "$work/corpus.jsonl" -j 1 -o /dev/null)
# The baseline merges word and bigram counts over the corpus, so our run writes its corpus summary too.
ours_s=$(seconds "$analyze" run pipelines/news-corpus.yml --input "$work/corpus.jsonl" --output /dev/null --summary /dev/null --jobs 1)
python3 - "$bytes" "$python_s" "$ours_s" "$documents" <<'PY'
import sys
size, py, ours, docs = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
print(f"{docs} documents, {size / 1e6:.1f} MB of text, one core each (wall time, process start included)")
print(f"python baseline (vaderSentiment, textstat, regex quotes, Counter): {py:7.2f} s  {size / 1e6 / py:7.2f} MB/s")
print(f"analyze run (sentiment, readability, quotes, frequency):          {ours:7.2f} s  {size / 1e6 / ours:7.2f} MB/s")
print(f"ratio: {py / ours:.0f}x")
PY
