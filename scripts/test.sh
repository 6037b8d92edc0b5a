#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds, runs every test.
#   scripts/test.sh              normal build (build/)
#   scripts/test.sh --sanitize   ASan+UBSan build (build-asan/)
#   scripts/test.sh --tsan       ThreadSanitizer build (build-tsan/), the
#                                suites of the threaded parts only (below)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

builddir=build
opts=()
suites=()
if [ "${1:-}" = "--tsan" ]; then
  builddir=build-tsan
  opts=(-Db_sanitize=thread -Db_lundef=false -Dbuildtype=debug)
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  # The front daemon (event loop, workers, QMP and event threads) and the
  # client library are the threaded parts.  The launcher and helpers are
  # single-threaded and run under seccomp allowlists that leave out what
  # the TSan runtime needs (its shadow mappings), and the unit suite is
  # single-threaded code whose kill-mid-save test times forked writers that
  # TSan slows past its window, so those stay in the plain and ASan runs.
  suites=(--suite rpc --suite procs --suite client)
elif [ "${1:-}" = "--sanitize" ]; then
  builddir=build-asan
  opts=(-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  # The 10,000-cycle naming test runs in the plain build; here memory errors
  # are the point, and a thousand cycles exercise the same code.
  export SV_NETHELPER_CYCLES=${SV_NETHELPER_CYCLES:-1000}
fi
# Quiet when all is well; the tail of the output when setup or build fails.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" | tail -60
    echo "test.sh: failed: $*" >&2
    return 1
  fi
}
if [ ! -f "$builddir/build.ninja" ]; then
  quiet meson setup "$builddir" "${opts[@]}"
fi
quiet ninja -C "$builddir"

# A bound on the whole run (SV_TEST_TIMEOUT seconds, default 3600): a test
# without its own timeout, or a child it leaks that keeps meson's output pipe
# open, must not hang CI.  SIGINT lets meson stop its tests and write its log.
limit=${SV_TEST_TIMEOUT:-3600}
set +e
timeout -s INT -k 60 "$limit" \
  meson test -C "$builddir" --print-errorlogs --num-processes 2 --timeout-multiplier 3 \
  "${suites[@]}"
rc=$?
set -e
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
  echo "test.sh: the suite did not finish within ${limit}s (SV_TEST_TIMEOUT)" >&2
fi
log="$builddir/meson-logs/testlog.json"
if [ -f "$log" ]; then
  python3 - "$log" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"): p += 1
    elif r == "SKIP": s += 1
    else: f += 1
print(f"{p} passed, {f} failed, {s} skipped")
PY
fi
exit $rc
