#!/bin/bash
# e2b-jobs runner: runner.sh <mode> <job dir> <run timeout s> <install timeout s> <command argv...>
# Installs requirements.txt (beside this script) if present, then runs the command in the job
# directory under `timeout`, stdout and stderr to files, and writes "<phase> <exit code>" to
# exit_code last and atomically. The service derives the job's status from that file alone.
# Modes: "all" installs and runs; "install" stops after a good install with "installed 0" (the
# service then closes the sandbox's egress); "command" runs the command after such a stop.
# The command and its arguments arrive as arguments: nothing here is spliced into shell text.
set -u
meta="$(cd "$(dirname "$0")" && pwd)"
mode="$1"
job_dir="$2"
run_timeout="$3"
install_timeout="$4"
shift 4

exec 9>"$meta/lock"
flock -n 9 || exit 0 # a second start of the same job finds the lock taken and does nothing

finish() {
  printf '%s %s\n' "$1" "$2" > "$meta/exit_code.tmp" && mv -f "$meta/exit_code.tmp" "$meta/exit_code"
  exit 0
}

# a repeated start finds the phase it expects already done and does nothing
if [ "$mode" = command ]; then
  [ "$(cat "$meta/exit_code" 2>/dev/null)" = "installed 0" ] || exit 0
  rm -f "$meta/exit_code"
else
  [ -e "$meta/exit_code" ] && exit 0
fi

if [ "$mode" != command ] && [ -s "$meta/requirements.txt" ]; then
  timeout -k 5 "$install_timeout" python -m pip install --no-input --disable-pip-version-check \
    -r "$meta/requirements.txt" > "$meta/install.log" 2>&1 < /dev/null
  status=$?
  [ "$status" -eq 0 ] || finish install "$status"
  [ "$mode" = install ] && finish installed 0
fi

mkdir -p "$job_dir" && cd "$job_dir" || finish start 1
started=$SECONDS
timeout -k 5 "$run_timeout" "$@" > "$meta/stdout" 2> "$meta/stderr" < /dev/null
status=$?
if { [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; } && [ $((SECONDS - started)) -ge "$run_timeout" ]; then
  finish timeout "$status"
fi
finish command "$status"
