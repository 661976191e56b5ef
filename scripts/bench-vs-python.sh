#!/usr/bin/env bash
# Speed against the Python stack, in one run on the same documents: ../shared/eval/baseline.py
# (vaderSentiment, textstat, a regex quote finder, Counter) and `analyze run` with the default news
# stages (pipelines/news-corpus.yml: sentiment, readability, quotes, frequency with 1- and 2-grams),
# both on one core, then the ratio. The Python stack does about 0.3 MB/s, so by default both run on
# the corpus's first 2,000 documents. Needs `pip install vaderSentiment textstat` and
# ../shared/data/nltk_data. Each command's wall time and CPU time (user + system) are measured; the
# ratio is of CPU time, since `analyze` builds its stages' tables on two threads at start-up even with
# `--jobs 1` (the wall-time ratio is printed too). Both also run on the first document alone, and the
# ratio without either side's start-up is printed as well: the one a long corpus sees.
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
# Prints "WALL CPU" seconds of a command (process start included), its output thrown away.
seconds() {
  python3 - "$work/stderr" "$@" <<'PY'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.perf_counter()
with open(sys.argv[1], "wb") as stderr:
    status = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=stderr).returncode
wall = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
if status != 0:
    sys.stderr.write(open(sys.argv[1], encoding="utf-8", errors="replace").read())
    sys.exit(1)
print(wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
PY
}
head -n 1 "$work/corpus.jsonl" > "$work/one.jsonl"
one_bytes=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1], encoding="utf-8")))' "$work/one.jsonl")
run_python() { NLTK_DATA=../shared/data/nltk_data seconds python3 ../shared/eval/baseline.py "$1" -j 1 -o /dev/null; }
# The baseline merges word and bigram counts over the corpus, so our run writes its corpus summary too.
run_ours() { seconds "$analyze" run pipelines/news-corpus.yml --input "$1" --output /dev/null --summary /dev/null --jobs 1; }
python_s=$(run_python "$work/corpus.jsonl")
ours_s=$(run_ours "$work/corpus.jsonl")
# Each side on the first document alone: its start-up (imports, word lists), taken off for the
# throughput ratio, which is what a long corpus sees.
python_one_s=$(run_python "$work/one.jsonl")
ours_one_s=$(run_ours "$work/one.jsonl")
python3 - "$bytes" "$documents" "$one_bytes" $python_s $ours_s $python_one_s $ours_one_s <<'PY'
import sys
size, docs, one = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
py_wall, py_cpu, ours_wall, ours_cpu, py_one_wall, py_one_cpu, ours_one_wall, ours_one_cpu = map(float, sys.argv[4:12])
print(f"{docs} documents, {size / 1e6:.1f} MB of text, one worker each (process start included)")
print(f"python baseline (vaderSentiment, textstat, regex quotes, Counter): {py_wall:6.2f} s wall {py_cpu:6.2f} s CPU {size / 1e6 / py_cpu:7.2f} MB per CPU-second")
print(f"analyze run (sentiment, readability, quotes, frequency):          {ours_wall:6.2f} s wall {ours_cpu:6.2f} s CPU {size / 1e6 / ours_cpu:7.2f} MB per CPU-second")
print(f"ratio: {py_cpu / ours_cpu:.0f}x in CPU time ({py_wall / ours_wall:.0f}x in wall time)")
py_rate = (size - one) / max(py_cpu - py_one_cpu, 1e-9) / 1e6
ours_rate = (size - one) / max(ours_cpu - ours_one_cpu, 1e-9) / 1e6
print(f"start-up (the first document alone): python {py_one_cpu:.2f} s CPU, analyze {ours_one_cpu:.2f} s CPU")
print(f"without start-up: python {py_rate:.2f} MB per CPU-second, analyze {ours_rate:.2f}: {ours_rate / py_rate:.0f}x (the ratio a long corpus sees)")
PY
