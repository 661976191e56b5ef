#!/usr/bin/env bash
# Scaling of the default news stages (pipelines/news-corpus.yml: sentiment, readability, quotes,
# frequency with 1- and 2-grams)
# with `analyze run --jobs 1 --summary FILE` (the corpus summary, per-document TF-IDF included, is
# written), each run its own process so that peak memory is its own:
#   the corpus as it is; the corpus repeated to about 100 MB (new ids); one 20 MB document made of
#   the corpus's texts. Streaming means peak memory at 100 MB close to that at the corpus size (only
#   corpus aggregates grow, bounded by the vocabulary); no quadratic step means the 20 MB document
#   runs at a MB/s comparable to small documents.
# Usage: scripts/bench-scaling.sh [CORPUS.jsonl]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(realpath "${1:-../shared/data/corpus/news.jsonl}")
analyze=.build/release/analyze
[ -x "$analyze" ] || swift build -c release --product analyze >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$corpus" "$work" <<'PY'
import json, sys
corpus, work = sys.argv[1], sys.argv[2]
docs = [json.loads(line) for line in open(corpus, encoding="utf-8") if line.strip()]
size = sum(len(d["text"].encode()) for d in docs)
with open(f"{work}/repeated.jsonl", "w", encoding="utf-8") as out:
    written, copy = 0, 0
    while written < 100_000_000:
        for d in docs:
            out.write(json.dumps({"id": f"{d['id']}#{copy}", "text": d["text"]}, ensure_ascii=False) + "\n")
            written += len(d["text"].encode())
        copy += 1
with open(f"{work}/single.jsonl", "w", encoding="utf-8") as out:
    parts, total = [], 0
    while total < 20_000_000:
        for d in docs:
            parts.append(d["text"]); total += len(d["text"].encode()) + 2
            if total >= 20_000_000: break
    out.write(json.dumps({"id": "single", "text": "\n\n".join(parts)}, ensure_ascii=False) + "\n")
PY
run() {  # name, input
  local bytes start end
  bytes=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1], encoding="utf-8")))' "$2")
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$analyze" run pipelines/news-corpus.yml --input "$2" --output /dev/null --summary "$work/summary.json" --jobs 1
  end=$(date +%s.%N)
  python3 -c "
b, s, rss = $bytes, $end - $start, int(open('$work/rss').read().split()[-1])
print(f'{\"$1\":<44} {b / 1e6:8.1f} MB {s:8.2f} s {b / 1e6 / s:8.2f} MB/s  peak {rss / 1024:6.0f} MB')"
}
echo "default news stages, analyze run --jobs 1 (wall time and peak resident memory per process)"
run "the corpus" "$corpus"
run "the corpus repeated to 100 MB" "$work/repeated.jsonl"
run "one 20 MB document" "$work/single.jsonl"
