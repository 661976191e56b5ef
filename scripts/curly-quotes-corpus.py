#!/usr/bin/env python3
"""Writes a copy of a JSONL corpus with typographic punctuation, as most news is written today:
straight double quotes become curly pairs, an apostrophe between letters becomes U+2019, and a
double hyphen an em dash. The benchmark corpus is plain ASCII, and the text layer's paths for
bytes outside ASCII are measured on this copy (see docs/performance.md).

Usage: scripts/curly-quotes-corpus.py CORPUS.jsonl OUT.jsonl
"""
import json
import re
import sys


def typographic(text):
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        else:
            out.append(ch)
    text = re.sub(r"(\w)'(\w)", "\\1\u2019\\2", "".join(out))
    return text.replace(" -- ", "\u2014").replace("--", "\u2014")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scripts/curly-quotes-corpus.py CORPUS.jsonl OUT.jsonl")
    with open(sys.argv[1], encoding="utf-8") as source, open(sys.argv[2], "w", encoding="utf-8") as out:
        for line in source:
            if not line.strip():
                continue
            record = json.loads(line)
            record["text"] = typographic(record["text"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
