#!/bin/bash
# Prints Playwright's closing blocks of the given kinds from a saved run of
# its list reporter: the count line ("  1 failed"), then the indented
# "[project] › file:line › title" line of each test, without the reporter's
# colours and trailing rule. scripts/test.sh puts them in its summary, so a
# CI log's last lines name the failed (and the retried) tests.
#   scripts/playwright-summary.sh <output file> <kinds, an awk alternation: 'failed|timed out'>
set -uo pipefail
[ $# = 2 ] || { echo "usage: $0 <playwright output file> <kinds>" >&2; exit 2; }
[ -r "$1" ] || { echo "$0: cannot read $1" >&2; exit 2; }
sed 's/\x1b\[[0-9;]*m//g' "$1" |
  awk -v kinds="$2" '$0 ~ "^ +[0-9]+ (" kinds ")$" {on=1; print; next}
       on && /^    [^ ]/ {print; next} {on=0}' |
  sed 's/ \(─\)*$//' | head -20
