#!/usr/bin/env bash
# Quote attribution against ../shared (run by .ci/run when ../shared exists): PolNeAR dev scored by
# ../shared/eval/quotes.py over all attributions and over the direct core, and the sample article.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
analyze=.build/release/analyze
[ -x "$analyze" ] || { swift build --product analyze >/dev/null; analyze=.build/debug/analyze; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The dev articles' texts, as the input directory.
mkdir -p "$work/dev"
python3 - "$shared/data/quotes" "$work/dev" <<'PY'
import json, os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
for line in open(os.path.join(src, "polnear_dev.jsonl"), encoding="utf-8"):
    doc = json.loads(line)["id"]
    shutil.copy(os.path.join(src, "texts", doc + ".txt"), os.path.join(dst, doc + ".txt"))
PY
"$analyze" run pipelines/quotes.yml --input "$work/dev" > "$work/out.jsonl" || true
python3 - "$work/out.jsonl" > "$work/pred.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    quotes = []
    for q in record["results"].get("quotes", {}).get("quotes", []):
        speaker = q.get("speaker")
        if speaker is not None:
            speaker = dict(speaker, text=q.get("speaker_resolved") or speaker["text"])
        quotes.append({"quote": q["quote"], "speaker": speaker, "cue": q.get("cue"), "kind": q["kind"]})
    print(json.dumps({"id": record["id"][:-4], "quotes": quotes}))
PY
echo "== PolNeAR dev: all attributions"
python3 "$shared/eval/quotes.py" --gold "$shared/data/quotes/polnear_dev.jsonl" --pred "$work/pred.jsonl" --texts "$shared/data/quotes/texts"
echo "== PolNeAR dev: direct and mixed quotes"
python3 "$shared/eval/quotes.py" --gold "$shared/data/quotes/polnear_dev.jsonl" --pred "$work/pred.jsonl" --texts "$shared/data/quotes/texts" \
  --gold-kinds direct,mixed --pred-kinds direct,mixed
echo "== the sample article"
"$analyze" run pipelines/quotes.yml --input "$shared/data/samples/kazakhs-2019.txt" > "$work/sample.jsonl"
python3 - "$work/sample.jsonl" "$shared/data/samples/kazakhs-2019.quotes.json" <<'PY'
import json, sys
ours = json.loads(open(sys.argv[1], encoding="utf-8").read())["results"]["quotes"]["quotes"]
gold = json.load(open(sys.argv[2], encoding="utf-8"))["quotes"]
found = 0
for g in gold:
    match = [q for q in ours if q["quote"]["start"] < g["quote"]["end"] and g["quote"]["start"] < q["quote"]["end"]]
    ok = any(q.get("speaker_resolved") == g.get("speaker_resolved") for q in match)
    found += ok
    print(("ok  " if ok else "MISS"), g.get("speaker_resolved"), "|", g["quote"]["text"][:60])
print(f"{found} of {len(gold)} gold quotes found with the right speaker_resolved; {len(ours)} predicted")
PY
