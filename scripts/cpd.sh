#!/usr/bin/env bash
# Copy-paste report of the main sources (PMD's CPD through maven-pmd-plugin), one line a module
# and one line a duplication, so two commits can be compared: scripts/cpd.sh [MIN_TOKENS]
# (default 50; PMD's own default of 100 finds nothing here).
set -euo pipefail
cd "$(dirname "$0")/.."
tokens=${1:-50}
mvn -B -q org.apache.maven.plugins:maven-pmd-plugin:3.28.0:cpd -Dformat=xml -DminimumTokens="$tokens" >/dev/null
total=0
for report in */target/cpd.xml; do
  module=${report%%/*}
  dups=$(grep -c '<duplication ' "$report" || true)
  lines=$({ grep -o '<duplication lines="[0-9]*"' "$report" || true; } | tr -dc '0-9\n' | awk '{s+=$1} END {print s+0}')
  total=$((total + lines))
  echo "module=$module duplications=$dups lines=$lines"
  # Each duplication: its size, then every place it occurs.
  awk '/<duplication /{in_dup=1; match($0,/lines="[0-9]+"/); printf "  %s lines:", substr($0,RSTART+7,RLENGTH-8)}
       in_dup && /^ *line="/{match($0,/line="[0-9]+"/); l=substr($0,RSTART+6,RLENGTH-7)}
       in_dup && /path="/{match($0,/path="[^"]+"/); p=substr($0,RSTART+6,RLENGTH-7); sub(/.*\/java\//,"",p); printf " %s:%s", p, l}
       /<\/duplication>/{in_dup=0; print ""}' "$report"
done
echo "RESULT cpd min_tokens=$tokens duplicated_lines=$total"
