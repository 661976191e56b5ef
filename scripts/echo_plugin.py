#!/usr/bin/env python3
"""The smallest process plugin: answers every request with an empty output. The benchmark runs it to
measure what a process stage costs per document (analyze-bench CORPUS --process-echo scripts/echo_plugin.py)."""
import json
import sys

print('{"name": "echo", "version": "1.0", "options": []}', flush=True)
for line in sys.stdin:
    sys.stdout.write(json.dumps({"id": json.loads(line)["id"], "output": {}}) + "\n")
    sys.stdout.flush()
