#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) in build-fuzz/ with clang, ASan and UBSan, and runs
# each for SECONDS_PER_TARGET seconds (default 30) from its seed corpus and dictionary.
# Exit 1 on any crash, leak, sanitizer report, broken property or input slower than 1 s (a
# timeout counts if the input is slow again when replayed).
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]
#   FUZZ_TARGETS="request sigv4" bash scripts/fuzz.sh 600    # some targets, longer
#   FUZZ_JOBS=2 bash scripts/fuzz.sh                          # parallel compile jobs
#
# Seeds are copied into build-fuzz/fuzz-work/<target>/corpus/, which keeps what the runs find
# (delete it to start from the seeds alone); the repository is never written to. A failing
# input is saved there as crash-*, leak-*, timeout-* or oom-*; tests/fuzz/README.md says how to
# replay it and turn it into a unit test.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET]" >&2
  exit 2
fi
read -r -a targets <<<"${FUZZ_TARGETS:-request page_token sigv4 fixture scenario}"
build_dir=build-fuzz
work_dir="$build_dir/fuzz-work"

# The build dependencies, then clang with the libFuzzer runtime, installed only if missing.
bash scripts/setup.sh build
bash scripts/install_packages.sh fuzz clang libclang-rt-14-dev

# Line tables only (-g1): a crash's stack names files and lines, and the build is faster than
# with full debug information.
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
      -DDATAZONE_MOCK_WERROR="${DATAZONE_MOCK_WERROR:-OFF}" \
  -DDATAZONE_MOCK_BUILD_FUZZERS=ON -DDATAZONE_MOCK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" --target fuzzers -j"${FUZZ_JOBS:-$(nproc)}" >/dev/null

dictionary_of() {
  case "$1" in
    request | page_token) echo tests/fuzz/query.dict ;;
    sigv4) echo tests/fuzz/sigv4.dict ;;
    fixture | scenario) echo tests/fuzz/yaml.dict ;;
  esac
}

# Leaks are failures (detect_leaks); UBSan already aborts on its first report (the targets are
# built with -fno-sanitize-recover=all), the options make it print where.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:symbolize=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# libFuzzer's exit codes, stated rather than assumed.
readonly crash_exit=77 timeout_exit=70

# Fuzzes one target until `deadline` (in $SECONDS), appending to `log`. A timeout is replayed
# first: it fails the run only if the input is slow again. On a machine busy with other work
# (the limit is wall-clock time) a 1 ms input can stall past 1 s; such a timeout is kept as
# unreproduced-timeout-* and fuzzing goes on. Sets `unreproduced`; returns libFuzzer's status.
fuzz_until() {
  local target=$1 binary=$2 target_dir=$3 log=$4 deadline=$5
  local status timeout_file replayed
  unreproduced=0
  while true; do
    status=0
    "$binary" "$target_dir/corpus" -dict="$(dictionary_of "$target")" \
      -max_total_time=$((deadline > SECONDS ? deadline - SECONDS : 1)) -timeout=1 \
      -rss_limit_mb=2048 -detect_leaks=1 -error_exitcode=$crash_exit \
      -timeout_exitcode=$timeout_exit -print_final_stats=1 -artifact_prefix="$target_dir/" \
      >>"$log" 2>&1 || status=$?
    [ "$status" -eq "$timeout_exit" ] || return "$status"
    # shellcheck disable=SC2012  # libFuzzer names them timeout-<sha1>: nothing to mangle
    timeout_file=$(ls -t "$target_dir"/timeout-* 2>/dev/null | head -n 1)
    [ -n "$timeout_file" ] || return "$status"
    replayed=1
    for _ in 1 2; do
      if "$binary" -timeout=1 -rss_limit_mb=2048 "$timeout_file" >>"$log" 2>&1; then
        replayed=0
        break
      fi
    done
    [ "$replayed" -eq 0 ] || return "$status"
    echo "fuzz: $(basename "$timeout_file") ran within the limit on replay; fuzzing goes on" >>"$log"
    mv "$timeout_file" "$target_dir/unreproduced-$(basename "$timeout_file")"
    unreproduced=$((unreproduced + 1))
    [ "$SECONDS" -lt "$deadline" ] || return 0
  done
}

failed=()
summary=()
started=$SECONDS
for target in "${targets[@]}"; do
  binary="$build_dir/tests/fuzz/${target}_fuzzer"
  if [ ! -x "$binary" ]; then
    echo "fuzz: no such target: $target" >&2
    exit 2
  fi
  target_dir="$work_dir/$target"
  mkdir -p "$target_dir/corpus"
  cp -n tests/fuzz/corpus/"$target"/* "$target_dir/corpus/"
  log="$target_dir/fuzz.log"
  : >"$log"
  target_started=$SECONDS
  status=0
  fuzz_until "$target" "$binary" "$target_dir" "$log" $((SECONDS + seconds)) || status=$?
  elapsed=$((SECONDS - target_started))
  # A resumed run prints its statistics once per part.
  executions=$(awk '/^stat::number_of_executed_units:/ { sum += $2 } END { print sum + 0 }' "$log")
  # Belt and braces: a sanitizer report always fails the run, whatever the exit code says.
  if [ "$status" -ne 0 ] ||
     grep -qE '^==[0-9]+==ERROR|runtime error:|^SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer' "$log"; then
    result="FAILED (exit $status; log $log)"
    failed+=("$target")
  elif [ "$unreproduced" -gt 0 ]; then
    result="ok ($unreproduced timeout(s) did not reproduce: $target_dir/unreproduced-timeout-*)"
  else
    result="ok"
  fi
  summary+=("$(printf '%-11s %12s executions in %4d s  %s' "$target" "$executions" "$elapsed" "$result")")
done

for target in "${failed[@]}"; do
  echo "--- $target: end of $work_dir/$target/fuzz.log" >&2
  tail -n 40 "$work_dir/$target/fuzz.log" >&2
done
printf '%s\n' "${summary[@]}"
echo "total: $((SECONDS - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
