#!/usr/bin/env bash
# Sentiment evaluation against ../shared (run by .ci/run when ../shared exists): Pearson r, Spearman
# and 3-class figures on the human-rated sets, by ../shared/eval/sentiment.py, beside vaderSentiment
# on the same texts when it can be installed from PyPI. Also the share of texts scored exactly 0.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
analyze=.build/release/analyze
[ -x "$analyze" ] || { swift build --product analyze >/dev/null; analyze=.build/debug/analyze; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$shared/eval/sentiment.py" --dump-texts "$work/texts.tsv" >/dev/null
python3 - "$work/texts.tsv" > "$work/texts.jsonl" <<'PY'
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    dataset, ident, text = line.rstrip("\n").split("\t", 2)
    print(json.dumps({"id": str(n), "text": text, "dataset": dataset}, ensure_ascii=False))
PY
"$analyze" run pipelines/sentiment.yml < "$work/texts.jsonl" > "$work/out.jsonl"
python3 - "$work/out.jsonl" > "$work/scores.txt" <<'PY'
import json, sys
zero = {}
total = {}
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    score = record["results"]["tone"]["compound"]
    print(score)
    dataset = record["metadata"]["dataset"]
    total[dataset] = total.get(dataset, 0) + 1
    zero[dataset] = zero.get(dataset, 0) + (score == 0)
for dataset in total:
    print(f"{dataset}: {zero[dataset]} of {total[dataset]} texts scored exactly 0 ({100 * zero[dataset] / total[dataset]:.1f}%)", file=sys.stderr)
PY
echo "== AnalyticsKit sentiment"
python3 "$shared/eval/sentiment.py" --scores "$work/scores.txt"
echo "== vaderSentiment 3.3.2 on the same texts"
if ! python3 -c "import vaderSentiment" 2>/dev/null; then
  python3 -m pip install --quiet vaderSentiment >/dev/null 2>&1 || true
fi
if python3 -c "import vaderSentiment" 2>/dev/null; then
  python3 "$shared/eval/sentiment.py"
else
  echo "vaderSentiment is not installed and could not be installed from PyPI; skipped"
fi
