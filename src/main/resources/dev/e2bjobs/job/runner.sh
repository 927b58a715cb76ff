#!/bin/bash
# e2b-jobs runner: runner.sh <mode> <job dir> <run timeout s> <install timeout s> <tail bytes> <pack bytes> <command argv...>
# Installs requirements.txt (beside this script) if present, then runs the command in the job
# directory under `timeout`, stdout and stderr to files, and writes "<phase> <exit code>" to
# exit_code last and atomically. The service derives the job's status from that file alone.
# Just before, it packs the outcome into outcome.tar, which the service reads in one request: the
# exit code line, the last <tail bytes> of each output file with its full size ("sizes"), the list of
# the result files (results.list: "<size> <path>" entries, NUL-separated, paths from results.paths
# beside this script) and, under job/, those result files that fit in <pack bytes> together. What is
# not in it (whole output files, larger results) the service reads file by file. The archive is also
# printed on the runner's stdout ("e2bjobs-outcome <size>" and a line of base64), which a service
# following the process receives as it exits.
# Modes: "all" installs and runs; "install" stops after a good install with "installed 0" (the
# service then closes the sandbox's egress); "command" runs the command after such a stop;
# "prepared" runs it without installing, in a sandbox made from the job's cached environment.
# The command and its arguments arrive as arguments: nothing here is spliced into shell text.
set -u
meta="$(cd "$(dirname "$0")" && pwd)"
mode="$1"
job_dir="$2"
run_timeout="$3"
install_timeout="$4"
tail_bytes="$5"
pack_bytes="$6"
shift 6

exec 9>"$meta/lock"
flock -n 9 || exit 0 # a second start of the same job finds the lock taken and does nothing

finish() {
  pack "$1" "$2"
  printf '%s %s\n' "$1" "$2" > "$meta/exit_code.tmp" && mv -f "$meta/exit_code.tmp" "$meta/exit_code"
  # and on our own stdout, for a service following this process: it has the outcome without reading it
  [ -f "$meta/outcome.tar" ] && printf 'e2bjobs-outcome %s\n%s\n' "$(stat -c %s "$meta/outcome.tar")" "$(base64 -w0 "$meta/outcome.tar")"
  exit 0
}

# the result files: "<size> <path relative to the job dir>", NUL-terminated (a name may hold a newline)
list_results() {
  local path
  while IFS= read -r path; do
    [ -n "$path" ] || continue
    if [ "${path%/}" != "$path" ]; then
      (cd "$job_dir" 2>/dev/null && find "${path%/}" -mindepth 1 -maxdepth 16 -type f -printf '%s %p\0' 2>/dev/null)
    else
      (cd "$job_dir" 2>/dev/null && find "$path" -maxdepth 0 -type f -printf '%s %p\0' 2>/dev/null)
    fi
  done < "$meta/results.paths"
}

# best effort: without outcome.tar the service reads every file on its own
pack() {
  local out="$meta/outcome" budget="$pack_bytes" name entry size file dir
  rm -rf "$out" && mkdir -p "$out/job" || return 0
  printf '%s %s\n' "$1" "$2" > "$out/exit_code"
  for name in stdout stderr install.log; do
    [ -f "$meta/$name" ] && tail -c "$tail_bytes" "$meta/$name" > "$out/$name"
  done
  (cd "$meta" && stat -c '%n %s' stdout stderr install.log 2>/dev/null) > "$out/sizes"
  if [ "$1" = command ] || [ "$1" = timeout ]; then
    list_results > "$out/results.list"
    while IFS= read -r -d '' entry; do
      size="${entry%% *}" file="${entry#* }"
      case "$file" in */*) dir="${file%/*}" ;; *) dir=. ;; esac
      if [ "$size" -le "$budget" ] && mkdir -p "$out/job/$dir" && cp "$job_dir/$file" "$out/job/$file" 2>/dev/null; then
        budget=$((budget - size))
      fi
    done < "$out/results.list"
  fi
  tar -C "$out" -cf "$meta/outcome.tar.tmp" . 2>/dev/null && mv -f "$meta/outcome.tar.tmp" "$meta/outcome.tar"
  rm -rf "$out"
}

# a repeated start finds the phase it expects already done and does nothing
if [ "$mode" = command ]; then
  [ "$(cat "$meta/exit_code" 2>/dev/null)" = "installed 0" ] || exit 0
  rm -f "$meta/outcome.tar" "$meta/exit_code"
else
  [ -e "$meta/exit_code" ] && exit 0
fi

if [ "$mode" != command ] && [ "$mode" != prepared ] && [ -s "$meta/requirements.txt" ]; then
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
