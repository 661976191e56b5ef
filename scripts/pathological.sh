#!/usr/bin/env bash
# Pathological documents through the default news stages: each of 178 motifs (every ASCII
# punctuation mark, quote marks and dashes of every kind, symbols, emoji, glued and spaced, and a
# few phrases the rules look for) repeated into one document of 250 KB and one of 1 MB. A step
# that is linear takes about four times as long on the larger; a quadratic one about sixteen. The
# script prints the motifs that grew most and the slowest MB/s, so that a regression shows as a
# number; it fails only when a run fails. Two such steps were found this way (docs/performance.md).
#
#   [ANALYZE=binary] [PIPELINE=file.yml] scripts/pathological.sh [MOTIF_FILTER]   (default pipelines/news.yml)
set -euo pipefail
cd "$(dirname "$0")/.."
analyze=${ANALYZE:-.build/release/analyze}
[ -x "$analyze" ] || swift build -c release --product analyze >/dev/null
python3 - "$analyze" "${1:-}" <<'PY'
import json, os, string, subprocess, sys, tempfile, time
analyze, wanted = sys.argv[1], sys.argv[2]
marks = list(string.punctuation) + list("—–‘’“”«»„…•·→€£§°©®™😀") + ["\n", "\t"]
motifs = {}
for c in marks:
    motifs[f"{c!r} alone"] = c
    motifs[f"{c!r} after a letter"] = "a" + c
    motifs[f"{c!r} in quotes"] = '"' + c + '" '
for phrase in ["“a” said Bob, ", "he said that ", "good but bad ", "Mr. Smith, ", "According to Smith, ",
               "voted, saying ", "“‘a’” ", "“a ", "a” ", "U.S. ", "1,234.5 ", "http://a.b/c ", "the "]:
    motifs[repr(phrase)] = phrase
with tempfile.TemporaryDirectory() as work:
    rows = []
    for name, motif in motifs.items():
        if wanted and wanted not in name:
            continue
        seconds = []
        for size in (250_000, 1_000_000):
            text = motif * (size // len(motif.encode()))
            path = os.path.join(work, "doc.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                f.write(json.dumps({"id": "x", "text": text}) + "\n")
            start = time.perf_counter()
            run = subprocess.run([analyze, "run", os.environ.get("PIPELINE", "pipelines/news.yml"), "--input", path, "--output", "/dev/null", "--jobs", "1"],
                                 stderr=subprocess.PIPE, text=True)
            seconds.append(time.perf_counter() - start)
            if run.returncode not in (0, 1):
                sys.exit(f"{name}: analyze exited with {run.returncode}: {run.stderr.strip()}")
        rows.append((seconds[1] / seconds[0], 1.0 / seconds[1], name))
    print(f"{len(rows)} motifs, 0.25 MB and 1 MB each; time growth 4x is linear, 16x quadratic")
    print("largest growth:")
    for growth, rate, name in sorted(rows, reverse=True)[:5]:
        print(f"  {growth:5.1f}x  {rate:6.2f} MB/s at 1 MB  {name}")
    print("slowest at 1 MB:")
    for growth, rate, name in sorted(rows, key=lambda r: r[1])[:5]:
        print(f"  {rate:6.2f} MB/s  {growth:5.1f}x  {name}")
PY
