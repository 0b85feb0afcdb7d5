#!/usr/bin/env bash
# Install time from a fresh clone (a new .venv, `make install`) and `make test` wall time after the install.
# Run: bash bench/bench_install_test.sh   (writes bench/_out/install_test.md; takes 10-20 minutes)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
git clone -q "$here" "$work/partseg"
cd "$work/partseg"
t0=$(date +%s); make install >"$work/install.log" 2>&1; t1=$(date +%s)
if make test >"$work/test.log" 2>&1; then rc=0; else rc=$?; fi; t2=$(date +%s)
summary=$(grep -E '^[0-9]+ passed|passed' "$work/test.log" | tail -1)
mkdir -p "$here/bench/_out"
cat > "$here/bench/_out/install_test.md" <<EOT
### Install and test time ($(nproc) cores, $(date +%Y-%m-%d), commit $(git rev-parse --short HEAD))

| step | wall time |
|---|---|
| \`make install\` in a fresh clone (new .venv; pip reads this machine's local wheel cache) | $((t1 - t0)) s |
| \`make test\` after the install (exit $rc: $summary) | $((t2 - t1)) s |
EOT
cat "$here/bench/_out/install_test.md"
