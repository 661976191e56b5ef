#!/usr/bin/env python3
"""A test plugin for `type: process` stages, standard library only.

It upper-cases the text and counts its words. Special texts make it misbehave on purpose, so the
tests can check that the engine copes: CRASH exits, SLEEP hangs, GARBAGE answers with non-JSON,
WRONGID answers for another document, FAIL reports an error.
"""
import json
import sys
import time

print(json.dumps({"name": "shout", "version": "1.0", "options": ["suffix"]}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    text = request["text"]
    if text == "CRASH":
        sys.exit(3)
    if text == "SLEEP":
        time.sleep(60)
    if text == "GARBAGE":
        print("this is not json", flush=True)
        continue
    if text == "WRONGID":
        print(json.dumps({"id": "someone-else", "output": {}}), flush=True)
        continue
    if text == "FAIL":
        print(json.dumps({"id": request["id"], "error": "cannot shout at FAIL"}), flush=True)
        continue
    suffix = request["options"].get("suffix", "")
    needs = sorted(request["needs"].keys())
    print(json.dumps({"id": request["id"], "output": {"shout": text.upper() + suffix, "words": len(text.split()), "needs": needs}}), flush=True)
