#!/usr/bin/env bash
# Build the libFuzzer targets with clang and run each for a bounded time.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 60 s, every target)
#
# A target is any executable named fuzz_* that a meson.build defines when
# -Dfuzz=true (most live in tests/fuzz/).  For fuzz_NAME:
#   tests/fuzz/corpus/NAME/   committed seed inputs (optional)
#   tests/fuzz/NAME.seeds     more seed directories, one per line, relative to
#                             the source root (optional; # starts a comment)
#   tests/fuzz/NAME.dict      a libFuzzer dictionary (optional)
# New inputs found are kept in build-fuzz/corpus/NAME/ between runs.  A crash
# is saved as build-fuzz/artifacts/fuzz_NAME-crash-*; reproduce it with
#   build-fuzz/<path>/fuzz_NAME build-fuzz/artifacts/fuzz_NAME-crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
case "$secs" in
  ''|*[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2 ;;
esac

bash scripts/install-deps.sh
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzz=true -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi

# name<TAB>path-relative-to-build-fuzz of every fuzz_* executable
mapfile -t targets < <(meson introspect build-fuzz --targets | /usr/bin/python3 -c '
import json, os, sys
for t in json.load(sys.stdin):
    if t["type"] == "executable" and t["name"].startswith("fuzz_"):
        for f in t["filename"]:
            print(t["name"] + "\t" + os.path.relpath(f, "build-fuzz"))
' | sort)
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no fuzz_* targets defined (is -Dfuzz=true set in build-fuzz?)" >&2
  exit 1
fi

selected=()
for entry in "${targets[@]}"; do
  name=${entry%%$'\t'*}
  if [ $# -gt 0 ]; then
    want=0
    for a in "$@"; do [ "$a" = "$name" ] && want=1; done
    [ $want = 1 ] || continue
  fi
  selected+=("$entry")
done
if [ ${#selected[@]} -eq 0 ]; then
  echo "fuzz: no target matches: $*" >&2
  exit 2
fi

# Build only the fuzz targets (and what they link), not the whole tree.
if ! ninja -C build-fuzz "${selected[@]#*$'\t'}" >build-fuzz/ninja.log 2>&1; then
  grep -E -B2 -A8 'error|FAILED' build-fuzz/ninja.log | head -60
  echo "fuzz: build failed (full log: build-fuzz/ninja.log)" >&2
  exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mkdir -p build-fuzz/artifacts
ok=0
failed=()
for entry in "${selected[@]}"; do
  name=${entry%%$'\t'*}
  bin=build-fuzz/${entry#*$'\t'}
  short=${name#fuzz_}
  work=build-fuzz/corpus/$short
  mkdir -p "$work"
  seeds=()
  [ -d "tests/fuzz/corpus/$short" ] && seeds+=("tests/fuzz/corpus/$short")
  if [ -f "tests/fuzz/$short.seeds" ]; then
    while read -r dir _; do
      case "$dir" in ''|'#'*) continue ;; esac
      [ -d "$dir" ] && seeds+=("$dir")
    done < "tests/fuzz/$short.seeds"
  fi
  extra=()
  [ -f "tests/fuzz/$short.dict" ] && extra+=("-dict=tests/fuzz/$short.dict")
  log=build-fuzz/artifacts/$name.log
  echo "fuzz: $name for ${secs}s (seeds: ${seeds[*]:-none})"
  if "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="build-fuzz/artifacts/$name-" -print_final_stats=1 \
       "${extra[@]}" "$work" "${seeds[@]}" >"$log" 2>&1; then
    ok=$((ok + 1))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 || true)
    echo "fuzz: $name ok: ${runs:-?} runs, ${cov:-cov: ?}, corpus $(find "$work" -type f | wc -l) files"
  else
    failed+=("$name")
    echo "fuzz: $name FAILED (full log: $log)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_conf:|artifact_prefix|Test unit written)' "$log" | head -20 || true
    tail -40 "$log"
  fi
done
echo "fuzz: ${#selected[@]} targets, $ok clean, ${#failed[@]} failed${failed:+: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
