#!/usr/bin/env bash
# Readability evaluation against ../shared (run by .ci/run when ../shared exists):
#  1. syllable counts, rules alone and with the dictionary, scored by ../shared/eval/syllables.py;
#  2. every formula on the OneStopEnglish excerpts, scored by ../shared/eval/ranking.py, beside
#     textstat on the same excerpts when textstat can be installed from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
analyze=.build/release/analyze
[ -x "$analyze" ] || { swift build --product analyze >/dev/null; analyze=.build/debug/analyze; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== syllables: rules alone"
cut -f1 "$shared/data/readability/syllables.tsv" | "$analyze" syllables --mode rules > "$work/rules.tsv"
python3 "$shared/eval/syllables.py" "$work/rules.tsv"
echo "== syllables: dictionary (CMUdict, then rules)"
cut -f1 "$shared/data/readability/syllables.tsv" | "$analyze" syllables --mode dictionary > "$work/dictionary.tsv"
python3 "$shared/eval/syllables.py" "$work/dictionary.tsv"

echo "== OneStopEnglish ranking: AnalyticsKit"
python3 "$shared/eval/onestop_excerpts.py" > "$work/excerpts.jsonl"
"$analyze" run pipelines/readability.yml < "$work/excerpts.jsonl" > "$work/readability.jsonl"
python3 - "$work/readability.jsonl" > "$work/ours.csv" <<'PY'
import json, sys
print("path,formula,score")
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    for formula, score in record["results"]["reading"]["scores"].items():
        if score is not None:
            print(f'{record["id"]},{formula},{score}')
PY
python3 "$shared/eval/ranking.py" "$work/ours.csv"

echo "== OneStopEnglish ranking: textstat on the same excerpts"
if ! python3 -c "import textstat" 2>/dev/null; then
  python3 -m pip install --quiet textstat >/dev/null 2>&1 || true
fi
if python3 -c "import textstat" 2>/dev/null; then
  NLTK_DATA="$shared/data/nltk_data" python3 - "$work/excerpts.jsonl" > "$work/textstat.csv" <<'PY'
import json, sys, textstat
formulas = {
    "flesch_reading_ease": textstat.flesch_reading_ease, "flesch_kincaid_grade": textstat.flesch_kincaid_grade,
    "gunning_fog": textstat.gunning_fog, "smog": textstat.smog_index, "coleman_liau": textstat.coleman_liau_index,
    "automated_readability_index": textstat.automated_readability_index,
    "dale_chall": textstat.dale_chall_readability_score, "spache": textstat.spache_readability,
    "linsear_write": textstat.linsear_write_formula, "lix": textstat.lix,
}
print("path,formula,score")
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    for name, formula in formulas.items():
        print(f'{record["id"]},{name},{formula(record["text"])}')
PY
  python3 "$shared/eval/ranking.py" "$work/textstat.csv"
else
  echo "textstat is not installed and could not be installed from PyPI; skipped"
fi
