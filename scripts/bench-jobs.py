#!/usr/bin/env python3
"""How much of a second core `analyze run --jobs 2` gets, beside what the machine gives two programs
that share nothing but the hardware.

Issue 7 asks for `--jobs 2` at 1.8 times `--jobs 1` or more. On a virtual machine the second core
may not be a whole core: two processes running at once can each be slower than one alone (a shared
cache, a busy host, sibling hardware threads). This script tells that apart from a cost of the
program's own (locks, shared reference counts, the allocator). For text layer + frequency and for
the four news stages it runs, alternating, ROUNDS times each:

  one:   `analyze run --jobs 1` on the whole corpus;
  jobs2: `analyze run --jobs 2` on the whole corpus;
  pair:  two `analyze run --jobs 1` processes at once, each on one half of the corpus (halves of
         equal bytes); its time is until both have finished.

It prints the best and the median wall time and CPU time (user + system) of each, and the ratios
one / jobs2 (what issue 7 measures) and one / pair (the most any design of one process could expect
from a second worker here). When jobs2 is as fast as the pair and spends as much CPU, the shortfall
is the machine's; when jobs2 spends more CPU than the pair, it is the program's.

Usage: scripts/bench-jobs.py [CORPUS.jsonl] [ROUNDS]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FREQUENCY = "{ id: terms, type: frequency, with: { ngrams: [1, 2], stopwords: english, corpus: false } }"
PIPELINES = {
    "text layer + frequency": f"[{FREQUENCY}]",
    "four news stages": "[{ id: tone, type: sentiment }, { id: reading, type: readability }, "
                        f"{{ id: quotes, type: quotes }}, {FREQUENCY}]",
}


def run_at_once(commands):
    """Starts every (argv, input path) at once; returns (wall seconds until all end, CPU seconds)."""
    start = time.perf_counter()
    children = []
    for argv, path in commands:
        with open(path, "rb") as source:
            children.append(subprocess.Popen(argv, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    cpu = 0.0
    for child in children:
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            sys.exit(f"bench-jobs: {' '.join(child.args)} failed ({child.returncode}): {child.stderr.read().decode()[-500:]}")
        child.stderr.close()
        cpu += usage.ru_utime + usage.ru_stime
    return time.perf_counter() - start, cpu


def halves(corpus, work):
    """Writes the corpus's two halves of about equal bytes, split between lines."""
    with open(corpus, "rb") as source:
        lines = source.readlines()
    total, running, cut = sum(map(len, lines)), 0, len(lines)
    for index, line in enumerate(lines):
        running += len(line)
        if running >= total / 2:
            cut = index + 1
            break
    paths = [os.path.join(work, "first.jsonl"), os.path.join(work, "second.jsonl")]
    for path, part in zip(paths, (lines[:cut], lines[cut:])):
        with open(path, "wb") as out:
            out.writelines(part)
    return paths


def main():
    corpus = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "../shared/data/corpus/news.jsonl"))
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    analyze = os.path.join(ROOT, ".build/release/analyze")
    if not os.access(analyze, os.X_OK):
        subprocess.run(["swift", "build", "-c", "release", "--product", "analyze"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    megabytes = os.path.getsize(corpus) / 1e6
    with tempfile.TemporaryDirectory() as work:
        first, second = halves(corpus, work)
        print(f"{corpus}: {megabytes:.1f} MB of JSONL; {rounds} rounds, alternating; "
              "wall and CPU (user + system) seconds, best / median")
        print(f"{'pipeline':<24} {'run':<6} {'wall best':>9} {'median':>7} {'CPU best':>9} {'median':>7}  ratio one / this (best, median)")
        for name, stages in PIPELINES.items():
            pipeline = os.path.join(work, "pipeline.yml")
            with open(pipeline, "w") as out:
                out.write(f'version: 1\ninput: {{ path: "-", format: jsonl }}\noutput: {{ path: /dev/null, format: jsonl }}\nstages: {stages}\n')
            command = [analyze, "run", pipeline, "--jobs"]
            runs = {"one": [(command + ["1"], corpus)],
                    "jobs2": [(command + ["2"], corpus)],
                    "pair": [(command + ["1"], first), (command + ["1"], second)]}
            times = {key: [] for key in runs}
            for _ in range(rounds):
                for key, commands in runs.items():
                    times[key].append(run_at_once(commands))
            one_best = min(wall for wall, _ in times["one"])
            one_median = statistics.median(wall for wall, _ in times["one"])
            for key, measured in times.items():
                walls, cpus = [wall for wall, _ in measured], [cpu for _, cpu in measured]
                ratio = "" if key == "one" else f"{one_best / min(walls):.2f}x, {one_median / statistics.median(walls):.2f}x"
                print(f"{name:<24} {key:<6} {min(walls):9.3f} {statistics.median(walls):7.3f} "
                      f"{min(cpus):9.3f} {statistics.median(cpus):7.3f}  {ratio}")


if __name__ == "__main__":
    main()
