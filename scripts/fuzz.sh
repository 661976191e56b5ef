#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (with the fuzzer and address sanitizers, in .build-fuzz) and runs each for a while from seeds the team wrote (examples/, the shipped
# pipelines, a JSONL record).
#
#   scripts/fuzz.sh [SECONDS per target, default 60] [TARGET...]   targets: FuzzText FuzzJSONL FuzzInput FuzzPipeline FuzzSummary
#   FUZZ_CONFIGURATION=release scripts/fuzz.sh 600                  for long runs
#
# A crash leaves its input in .build-fuzz/findings/ and stops the script with status 1; replay it with
# `.build-fuzz/CONFIGURATION/TARGET FILE`. Debug by default, which CI runs: CI builds release once,
# for the binaries it ships and measures. The checks a fuzzer trips on (bounds, overflow,
# preconditions) are the same in both; a release build runs the text target about 25 times faster.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzText FuzzJSONL FuzzInput FuzzPipeline FuzzSummary)

configuration=${FUZZ_CONFIGURATION:-debug}
export ANALYTICSKIT_FUZZ=1 SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0
for target in "${targets[@]}"; do
  # `--sanitize fuzzer` instruments only the target's own module for coverage; the flag after it
  # instruments every Swift module, so that the fuzzer is guided by the code under test.
  swift build -c "$configuration" --build-path .build-fuzz --sanitize fuzzer --sanitize address \
    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp --product "$target"
done

work=.build-fuzz/work
mkdir -p "$work" .build-fuzz/findings
for target in "${targets[@]}"; do
  seeds="$work/$target-seeds"
  corpus="$work/$target-corpus"
  mkdir -p "$seeds" "$corpus"
  case $target in
    FuzzText)
      cp examples/*.txt "$seeds/"
      ;;
    FuzzJSONL)
      printf '{"id":"a","text":"He said \\u201cno\\u201d.","tags":[1,2.5e3,true,null]}' > "$seeds/record"
      ;;
    FuzzInput)
      printf '{"id":"a","text":"One."}\r\n\n  \n{"id":2,"text":"Two.","n":[1]}\nnot json\n{"text":"\\u0000"}' > "$seeds/jsonl"
      printf 'id,text,source\n1,"He said, ""no"".",wire\n2,Plain text.,\n3,"unterminated\n' > "$seeds/csv"
      printf ' [{"id":"a","text":"One, [two] \\"three\\"."},\n {"text":"Four.","tags":["x",{"y":[1,2]}]}, 7, {"body":"}]"} ]\n' > "$seeds/json"
      ;;
    FuzzPipeline)
      cp pipelines/*.yml "$seeds/"
      ;;
    FuzzSummary)
      cat examples/*.txt > "$seeds/articles"
      ;;
  esac
  echo "== $target: $seconds s"
  # No dictionary: the seeds carry the grammar. -rss_limit_mb keeps a runaway allocation a finding.
  # Leaks are not looked for: LeakSanitizer reports a 4 KB buffer that Foundation's
  # FileManager.contents(atPath:) keeps when it reads an empty file.
  set +e
  ".build-fuzz/$configuration/$target" "$corpus" "$seeds" -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536 \
    -timeout=20 -artifact_prefix=".build-fuzz/findings/$target-" -print_final_stats=1 2>&1 \
    | grep -E "INFO: seed corpus|DONE|stat::|ERROR|SUMMARY|Fatal error|failure|#[0-9]+ 0x"
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "$target failed (status $status); its input, if it crashed, is in .build-fuzz/findings/" >&2
    exit 1
  fi
done
echo "fuzzing: no findings"
