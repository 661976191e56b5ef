#!/usr/bin/env bash
# Builds libWordLength.so against the AnalyticsKit module of the analyze build in ../.. (debug by
# default; pass "release" for the release build). The library does not link AnalyticsKit: it uses the
# copy inside analyze, which exports its symbols, so there is one copy of every type in the process.
set -euo pipefail
cd "$(dirname "$0")"
configuration=${1:-debug}
modules=../../.build/$configuration/Modules
[ -d "$modules" ] || { echo "build analyze first: (cd ../.. && swift build -c $configuration)" >&2; exit 2; }
# AnalyticsKit's module records the C module under Yams (CYaml), so its module map must be findable.
cyaml=../../.build/checkouts/Yams/Sources/CYaml/include
swiftc -emit-library -module-name WordLength -parse-as-library -O \
  -I "$modules" -I "$cyaml" -Xlinker --allow-shlib-undefined \
  Sources/WordLength/*.swift -o libWordLength.so
echo "built $(pwd)/libWordLength.so"
