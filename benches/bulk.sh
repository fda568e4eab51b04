#!/usr/bin/env bash
# Bulk benchmark (issue 7): N 责任书 as separate files and as one print file, from a roster of N
# units, on this machine. Prints wall seconds, documents per second and peak RSS per run.
#   bash benches/bulk.sh            # N = 100, 1000, 10000
#   bash benches/bulk.sh 10000      # one N
# Needs GNU time (/usr/bin/time). Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/zeren
sizes=("${@:-100 1000 10000}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for n in ${sizes[@]}; do
  ws="$work/ws-$n"
  mkdir -p "$ws/data"
  cp samples/zeren.yaml "$ws/"
  cp samples/data/duties.yaml "$ws/data/"
  # The same sample workspace with N units: the first 13 from the samples, the rest made up.
  python3 - "$n" "$ws/data/units.yaml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
types = ["处室", "党支部", "直属单位"]
with open(path, "w", encoding="utf-8") as f:
    f.write("units:\n")
    for i in range(n):
        t = types[i % 3]
        f.write(f"  - name: 第{i+1}号{t}\n    type: {t}\n    leader: {{ name: 负责人{i+1}, title: 负责人 }}\n")
        if i % 2 == 0:
            f.write(f"    supervisor: {{ name: 分管领导{i % 7}, title: 党委委员、副局长 }}\n")
        f.write("    duties:\n      - 严格执行本单位廉政风险防控制度，定期排查重点岗位和关键环节的廉政风险点，落实防控措施。\n")
PY
  # Only the 责任书 this benchmark is about.
  sed -i '/^  tasks:\|^  cases:\|^  reports:\|^  scheme:\|^  results:/d' "$ws/zeren.yaml"
  for mode in separate merge; do
    out="$work/out-$n-$mode"
    flag=""; [ "$mode" = merge ] && flag="--merge"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" build "$ws" -o "$out" --kind 责任书 $flag > /dev/null
    read -r secs kb < "$work/time"
    python3 -c "import sys; n,s,kb=int(sys.argv[1]),float(sys.argv[2]),int(sys.argv[3]); print(f'{n:>6} 份 {sys.argv[4]:<8} {s:6.2f} s  {n/max(s,1e-3):7.0f} 份/秒  峰值内存 {kb/1024:6.1f} MB')" "$n" "$secs" "$kb" "$mode"
    rm -rf "$out"
  done
done
