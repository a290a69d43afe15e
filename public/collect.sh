#!/bin/sh
# procscope collector — run on the sick host, paste or upload what it prints:
#
#     sh collect.sh > procscope-bundle.txt        (as root: kernel stacks and dmesg need it)
#
# It prints ONE bundle on stdout: the line `procscope-bundle 1`, then sections, each introduced by
# `===== procscope NAME =====`:
#   meta      key=value facts: host, time, kernel, nproc, pid_max, threads-max, uptime, ...
#   loadavg   /proc/loadavg
#   stat      /proc/stat
#   ps        ps -eww -o pid,ppid,pgid,sid,user:32,stat,wchan:32,etimes,nlwp,psr,pcpu,pmem,vsz,rss,tty,lstart,args
#   threads   ps -eLww -o pid,tid,stat,wchan:32,psr,pcpu,comm      (per-thread states)
#   procstat  /proc/[0-9]*/stat (lock-free: still there when ps hangs)
#   status    /proc/PID/status of PID 1 and of every task in D, Z, T or t (`==> path <==` blocks)
#   stacks    /proc/PID/task/TID/stack of every thread in D (`path:frame` lines, like grep -H)
#   dmesg     the kernel log around the last hung-task / SysRq / nfs / libceph / OOM lines
#   mounts    /proc/mounts
#   errors    what could not be read, and why (only when something failed)
#
# It must survive the incident it documents:
# - It needs only sh, procps (ps) and coreutils (timeout, cat, head, tail, cut, mktemp, date, id);
#   dmesg, journalctl and grep are used when present and allowed.
# - Every read is bounded. /proc/PID/stat, status, wchan and stack do not take the target's mm
#   lock; ps reads /proc/PID/cmdline (args), which does, so a task holding its mm lock can block
#   ps. Each step runs in the background under `timeout`, and if even that cannot end it (a reader
#   stuck in uninterruptible sleep ignores SIGKILL, and `timeout` waits for its child) the step is
#   abandoned after its limit: the collector prints what it got, notes the timeout, and goes on.
# - The script itself never reads /proc/PID/cmdline or environ.
# - It changes nothing on the host: no sysrq, no sysctl writes.
# Limits (seconds) can be changed: PROCSCOPE_TIMEOUT (one read, 5), PROCSCOPE_PS_TIMEOUT (ps, 20),
# PROCSCOPE_MAX_TASKS (status/stack files, 300), PROCSCOPE_DMESG_LINES (kernel log tail, 3000).

COLLECTOR='procscope-collect 1'
LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH
# A user's ps defaults must not change the columns the parsers read.
unset PS_FORMAT PS_PERSONALITY CMD_ENV 2>/dev/null

T=${PROCSCOPE_TIMEOUT:-5}
TPS=${PROCSCOPE_PS_TIMEOUT:-20}
MAXTASKS=${PROCSCOPE_MAX_TASKS:-300}
DMESG_LINES=${PROCSCOPE_DMESG_LINES:-3000}

if ! command -v timeout >/dev/null 2>&1; then
  echo 'procscope collect: `timeout` (coreutils) is missing; refusing to read /proc without a bound' >&2
  exit 2
fi

tmp=$(mktemp -d 2>/dev/null) || tmp=/tmp/procscope.$$
[ -d "$tmp" ] || mkdir -m 700 "$tmp" || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Poll step: 50 ms where sleep takes fractions (coreutils, busybox), else 1 s.
if sleep 0.01 2>/dev/null; then TICK=0.05; PER_SEC=20; else TICK=1; PER_SEC=1; fi

ERRORS="$tmp/errors"
: > "$ERRORS"
err() { printf '%s\n' "$*" >> "$ERRORS"; }

# bounded LIMIT OUT COMMAND [ARG...]: runs COMMAND (a program or a function of this script) in
# the background, stdout to OUT, stderr to OUT.err, and waits at most LIMIT+2 seconds for it.
# Returns the command's status, or 124 when it was abandoned. The job's own stdout/stderr/stdin
# are detached so an abandoned job cannot hold the pipe this script writes to.
bounded() {
  _lim=$1; _out=$2; shift 2
  rm -f "$_out.rc"
  ( "$@" > "$_out" 2> "$_out.err" < /dev/null; echo $? > "$_out.rc" ) > /dev/null 2>&1 < /dev/null &
  _ticks=$(( (_lim + 2) * PER_SEC ))
  while [ ! -s "$_out.rc" ]; do
    if [ "$_ticks" -le 0 ]; then return 124; fi
    sleep "$TICK"
    _ticks=$((_ticks - 1))
  done
  return "$(cat "$_out.rc")"
}

# rd FILE: one small /proc or /sys file, bounded; nothing on failure.
rd() { timeout -k 1 "$T" cat "$1" 2>/dev/null; }

section() { printf '===== procscope %s =====\n' "$1"; }

# emit NAME LIMIT FILE COMMAND...: one section from one bounded command. What the command wrote
# before a timeout is still printed; the timeout goes to the errors section.
emit() {
  _name=$1; _lim=$2; _file=$3; shift 3
  bounded "$_lim" "$_file" "$@"
  _rc=$?
  section "$_name"
  [ -f "$_file" ] && cat "$_file"
  if [ "$_rc" -eq 124 ]; then
    err "$_name: timed out after ${_lim}s ($*): output may be cut short"
  elif [ "$_rc" -ne 0 ]; then
    _e=$(head -n 3 "$_file.err" 2>/dev/null | tr '\n' ' ')
    err "$_name: exit status $_rc ($*)${_e:+: $_e}"
  fi
}

# ---- meta ------------------------------------------------------------------------------------
meta() {
  echo "host=$(uname -n 2>/dev/null)"
  echo "time=$(date -Iseconds 2>/dev/null || date '+%Y-%m-%dT%H:%M:%S%z')"
  echo "kernel=$(uname -r 2>/dev/null)"
  echo "uname=$(uname -a 2>/dev/null)"
  _n=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null)
  echo "nproc=$_n"
  echo "pid_max=$(rd /proc/sys/kernel/pid_max)"
  echo "threads-max=$(rd /proc/sys/kernel/threads-max)"
  _up=$(rd /proc/uptime)
  echo "uptime=${_up%% *}"
  echo "hung_task_timeout_secs=$(rd /proc/sys/kernel/hung_task_timeout_secs)"
  echo "hung_task_warnings=$(rd /proc/sys/kernel/hung_task_warnings)"
  echo "uid=$(id -u 2>/dev/null)"
  # the collector's own shell: its children (ps, cat, timeout) are in the capture, not the incident
  echo "collector_pid=$$"
  echo "ps=$(timeout -k 1 "$T" ps --version 2>/dev/null | head -n 1)"
  echo "collector=$COLLECTOR"
}

echo 'procscope-bundle 1'
emit meta "$T" "$tmp/meta" meta
emit loadavg "$T" "$tmp/loadavg" timeout -k 1 "$T" cat /proc/loadavg
emit stat "$T" "$tmp/stat" timeout -k 1 "$T" cat /proc/stat

# ---- ps --------------------------------------------------------------------------------------
# The header stays: the ps-table parser reads columns by name. lstart (5 tokens) sits before args.
PS_COLS='pid,ppid,pgid,sid,user:32,stat,wchan:32,etimes,nlwp,psr,pcpu,pmem,vsz,rss,tty,lstart,args'
emit ps "$TPS" "$tmp/ps" timeout -k 1 "$TPS" ps -eww -o "$PS_COLS"
if [ ! -s "$tmp/ps" ]; then
  # busybox ps knows neither -e nor these columns; its own -o set is the next best thing.
  bounded "$TPS" "$tmp/ps2" timeout -k 1 "$TPS" ps -o pid,ppid,pgid,user,stat,vsz,rss,tty,etime,args
  if [ -s "$tmp/ps2" ]; then section ps; cat "$tmp/ps2"; err "ps: procps columns refused; busybox-style -o used"; fi
fi
emit threads "$TPS" "$tmp/threads" timeout -k 1 "$TPS" ps -eLww -o pid,tid,stat,wchan:32,psr,pcpu,comm

# ---- /proc/PID/stat of every process: no mm lock, so it survives a hung ps ---------------------
procstat() {
  for _f in /proc/[0-9]*/stat; do
    timeout -k 1 "$T" cat "$_f" 2>/dev/null
  done
}
emit procstat "$TPS" "$tmp/procstat" procstat

# ---- which tasks matter: D, Z, T, t (from each task's own stat, not from ps) ------------------
# The collector's own shell and its direct children are skipped: dash forks with vfork, and a
# vfork parent shows D (kernel_clone) for a moment — our own noise, not the incident.
scan_tasks() {
  for _t in /proc/[0-9]*/task/[0-9]*; do
    IFS= read -r _s < "$_t/stat" 2>/dev/null || continue
    _r=${_s##*) }
    _st=${_r%% *}
    case $_st in
      D|Z|T|t)
        _p=${_t#/proc/}; _p=${_p%%/*}
        _r=${_r#* }; _pp=${_r%% *}
        [ "$_p" = "$$" ] || [ "$_pp" = "$$" ] || echo "$_p ${_t##*/} $_st" ;;
    esac
  done
}
bounded "$TPS" "$tmp/tasks" scan_tasks
[ $? -eq 124 ] && err "scan of /proc/*/task/*/stat timed out after ${TPS}s: status and stacks may miss tasks"

status_files() {
  _seen=' 1 '
  echo /proc/1/status
  _n=1
  while read -r _p _tid _st; do
    [ "$_n" -ge "$MAXTASKS" ] && break
    case $_seen in *" $_p "*) ;; *) _seen="$_seen$_p "; echo "/proc/$_p/status"; _n=$((_n + 1)) ;; esac
    # a non-main thread in D gets its own status: its switch counts tell a hung thread
    if [ "$_tid" != "$_p" ] && [ "$_st" = D ]; then echo "/proc/$_p/task/$_tid/status"; _n=$((_n + 1)); fi
  done < "$tmp/tasks"
}
status() {
  for _f in $(status_files); do
    echo "==> $_f <=="
    timeout -k 1 "$T" cat "$_f" 2>&1
    echo
  done
}
emit status "$TPS" "$tmp/status" status

stacks() {
  if [ "$(id -u 2>/dev/null)" != 0 ]; then
    echo "# kernel stacks need root (uid $(id -u 2>/dev/null))"
    return 0
  fi
  _n=0
  while read -r _p _tid _st; do
    [ "$_st" = D ] || continue
    [ "$_n" -ge "$MAXTASKS" ] && break
    _n=$((_n + 1))
    _f=/proc/$_p/task/$_tid/stack
    if timeout -k 1 "$T" cat "$_f" > "$tmp/stk" 2> "$tmp/stkerr"; then
      while IFS= read -r _l; do printf '%s:%s\n' "$_f" "$_l"; done < "$tmp/stk"
    else
      cat "$tmp/stkerr"
    fi
  done < "$tmp/tasks"
  [ "$_n" -eq 0 ] && echo '# no task in D'
  return 0
}
emit stacks "$TPS" "$tmp/stacks" stacks
[ "$(id -u 2>/dev/null)" != 0 ] && err "stacks: not root, /proc/PID/stack is root-only"

# ---- kernel log ------------------------------------------------------------------------------
RELEVANT='blocked for more than|blocked on a|Show Blocked State|Show State|hung task|not responding|libceph|rbd: |ceph: |Out of memory|oom-kill|invoked oom-killer'
kernel_log() {
  if timeout -k 1 "$T" dmesg > "$tmp/klog" 2> "$tmp/klog.err" && [ -s "$tmp/klog" ]; then
    :
  elif command -v journalctl >/dev/null 2>&1 &&
       timeout -k 1 "$T" journalctl -k -b --no-pager -q -n "$DMESG_LINES" > "$tmp/klog" 2>> "$tmp/klog.err" && [ -s "$tmp/klog" ]; then
    :
  else
    echo "# kernel log not readable: $(head -n 1 "$tmp/klog.err" 2>/dev/null)"
    return 1
  fi
  tail -n "$DMESG_LINES" "$tmp/klog" > "$tmp/klog.tail"
  _first=
  if command -v grep >/dev/null 2>&1; then
    _first=$(grep -n -E "$RELEVANT" "$tmp/klog.tail" | head -n 1 | cut -d: -f1)
  fi
  if [ -n "$_first" ]; then
    # from a little before the first interesting line to the end
    tail -n +"$(( _first > 50 ? _first - 50 : 1 ))" "$tmp/klog.tail"
  else
    tail -n 300 "$tmp/klog.tail"
  fi
}
emit dmesg "$TPS" "$tmp/dmesg" kernel_log

emit mounts "$T" "$tmp/mounts" timeout -k 1 "$T" cat /proc/mounts

if [ -s "$ERRORS" ]; then
  section errors
  cat "$ERRORS"
fi
exit 0
