#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz in the ASan+UBSan tree (build-asan/, clang; the tree
# `scripts/test.sh --sanitize address` builds, so after it nothing is compiled again) and runs each
# for SECONDS (default 60) from its seed corpus in tests/fuzz/corpus/<target>/, as many at once as
# there are cores (FUZZ_JOBS overrides). Fails when a target finds a crash, a leak or undefined
# behaviour; the input that triggered it is left in build-asan/fuzz/crashes/<target>/ (fix it, then
# copy it into the corpus as a regression input).
# New inputs the fuzzer finds go to build-asan/fuzz/corpus/<target>/, never into the source tree.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
start=$(date +%s)

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: libFuzzer needs clang (apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi
tree="$("$root/scripts/configure.sh" address)"
cmake --build "$tree" --target fuzzers
echo "fuzz.sh: built in $(( $(date +%s) - start )) s"
build="$tree/fuzz"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# One fuzzer per core (FUZZ_JOBS, default nproc): each still runs for SECONDS on a core of its own.
jobs="${FUZZ_JOBS:-$(nproc)}"
run_one() {
  local target=$1
  local corpus="$build/corpus/$target"
  local crashes="$build/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  # The seeds are read, the findings written to the build tree's corpus (the first directory).
  if "$tree/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "$root/tests/fuzz/corpus/$target" \
      >"$build/$target.log" 2>&1; then
    echo ok >"$build/$target.status"
  else
    echo failed >"$build/$target.status"
  fi
}
targets=(fuzz_jsonrpc fuzz_tools fuzz_url fuzz_json)
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  echo "fuzz.sh: $target for ${seconds} s"
  rm -f "$build/$target.status"
  run_one "$target" &
done
wait
failed=()
for target in "${targets[@]}"; do
  if [ "$(cat "$build/$target.status" 2>/dev/null)" != ok ]; then
    failed+=("$target")
    tail -n 60 "$build/$target.log"
    echo "fuzz.sh: $target FAILED; inputs in $build/crashes/$target/" >&2
  else
    echo "fuzz.sh: $target:"
    grep -E "^stat::number_of_executed_units|^stat::new_units_added|cov: " "$build/$target.log" | tail -n 3
  fi
done
echo "fuzz.sh: done in $(( $(date +%s) - start )) s"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz.sh: crashes in: ${failed[*]}" >&2
  exit 1
fi
