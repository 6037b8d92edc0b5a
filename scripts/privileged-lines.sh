#!/usr/bin/env bash
# Print the size of sepvirt's privileged code and the syscall count of each
# seccomp allowlist (recorded in docs/security.md; targets: at most 3,000
# lines of privileged code, at most 45 syscalls for each helper).
#
#   scripts/privileged-lines.sh            uses build/ (set BUILD=DIR to change)
#
# Privileged code is everything that runs with privileges or decodes what a
# privileged process reads: the launcher, the helpers, the sandbox, net/,
# and the helper protocol codec and message headers.  "code" counts lines
# that are neither blank nor comment; "all" counts every line.  Every file
# of sandbox/ counts except policy_dump.c, the source of sv-policy-dump, a
# developer tool that is not installed nor linked into any privileged binary.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}

files=(
  helpers/launcher.c helpers/nethelper.c helpers/spawnhelper.c
  $(ls sandbox/*.c sandbox/*.h | grep -v -e policy_dump.c)
  $(ls net/*.c net/*.h)
  ipc/helper_proto.c ipc/helper_proto.h ipc/helper_net.h ipc/helper_spawn.h
)

count_code() {
  # drop /* ... */ (also over several lines) and // comments, then blank lines
  awk '
    { line = $0; out = "" }
    {
      while (length(line) > 0) {
        if (incomment) {
          p = index(line, "*/")
          if (p == 0) { line = ""; break }
          line = substr(line, p + 2); incomment = 0
        } else {
          p = index(line, "/*"); q = index(line, "//")
          if (q > 0 && (p == 0 || q < p)) { out = out substr(line, 1, q - 1); line = ""; break }
          if (p == 0) { out = out line; line = ""; break }
          out = out substr(line, 1, p - 1); line = substr(line, p + 2); incomment = 1
        }
      }
      if (out ~ /[^ \t]/) n++
    }
    END { print n + 0 }' "$1"
}

printf '%-32s %6s %6s\n' "privileged file" code all
total_code=0; total_all=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  c=$(count_code "$f"); a=$(wc -l < "$f")
  total_code=$((total_code + c)); total_all=$((total_all + a))
  printf '%-32s %6d %6d\n' "$f" "$c" "$a"
done
printf '%-32s %6d %6d   (target: code <= 3000)\n' "total" "$total_code" "$total_all"
echo

if [ ! -x "$build/sandbox/sv-policy-dump" ]; then
  [ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
  ninja -C "$build" sandbox/sv-policy-dump >/dev/null
fi
if grep -q "b_sanitize=[a-z]" "$build/meson-private/cmd_line.txt" 2>/dev/null; then
  echo "note: $build is a sanitizer build; its allowlists include the sanitizer additions"
fi
printf '%-12s %8s   %s\n' "allowlist" syscalls "(target for helpers: <= 45)"
"$build/sandbox/sv-policy-dump" | while read -r name count rest; do
  printf '%-12s %8d   %s\n' "$name" "$count" "$rest"
done
