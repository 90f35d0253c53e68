#!/usr/bin/env python3
"""Where a build's threads sleep, from a scheduler trace (growth24).

    perf record -e sched:sched_switch -g -o sched.data fiches --root SITE build -o OUT
    perf script -i sched.data | python3 bench/sched_sleeps.py

For each switch-out in state S (waiting: a lock, rayon's idle workers) or
D (the disk, the journal), the time until the same thread runs again,
summed by the first kernel and user frames of its stack. Preemptions
(state R) are left out: on a loaded machine they say nothing of the
build. rayon's `LockLatch::wait_and_reset` is the main thread waiting for
the pool; `Sleep::sleep` is a worker with nothing to do.
"""
import collections
import re
import sys

SKIP = re.compile(
    r"__schedule|schedule|__cond_resched|futex_wait|do_futex|__x64_sys|do_syscall|entry_SYSCALL|syscall"
    r"|rwsem_down|down_write|down_read|io_schedule|mutex_lock|__lll_lock|unknown|clone|start_thread|__GI"
    r"|std::sys|pthread|percpu_rwsem|wait_on|folio_wait|schedule_timeout|wait_for_completion"
    r"|wait_transaction|journal_start"
)
SWITCH = re.compile(
    r"\s(\d+\.\d+): sched:sched_switch: prev_comm=\S+ prev_pid=(\d+) prev_prio=\d+ "
    r"prev_state=(\S+) ==> next_comm=\S+ next_pid=(\d+)"
)
out = {}
total = collections.Counter()
count = collections.Counter()


def frame(line):
    parts = line.split(None, 1)
    return re.sub(r"\+0x[0-9a-f]+", "", parts[1] if len(parts) > 1 else line)


def flush(head, stack):
    m = head and SWITCH.search(head)
    if not m:
        return
    t, prev, state, nxt = float(m.group(1)), m.group(2), m.group(3), m.group(4)
    if nxt in out:
        t0, sig = out.pop(nxt)
        total[sig] += t - t0
        count[sig] += 1
    if state[0] in "SD":
        frames = [frame(l) for l in stack]
        kern = [f.split(" (")[0] for f in frames if "kernel" in f and not SKIP.search(f)][:2]
        user = [f.split(" (")[0][:70] for f in frames if "kernel" not in f and not SKIP.search(f)][:3]
        out[prev] = (t, (state[0], " < ".join(kern), " < ".join(user)))


head, stack = None, []
for line in sys.stdin:
    if not line.strip():
        flush(head, stack)
        head, stack = None, []
    elif line[0] not in " \t":
        flush(head, stack)
        head, stack = line, []
    else:
        stack.append(line.strip())
flush(head, stack)
print(f"asleep in all: {sum(total.values()):.2f} s")
for sig, s in total.most_common(25):
    print(f"{s:8.3f} s {count[sig]:6d}  {sig}")
