#!/usr/bin/env python3
"""Where weiquan's CPU goes beyond the ceiling's, per request (docs/BENCHMARKS.md, "Where a
request's CPU goes"). Reads the per-phase profiles of one or more `weiquan bench` runs of the same
size, merges each phase over the runs, and prints, for intake and decisions, the CPU per request
of the components below in weiquan's phase, in the ceiling's, and the difference. Components
overlap (a store call is inside the HTTP server's) and do not sum to the total.

    go build -o /tmp/weiquan ./cmd/weiquan
    for i in 1 2 3; do /tmp/weiquan bench --cases 2000 --concurrency 16 --json --phase-profiles /tmp/pp-$i; done
    python3 internal/bench/scripts/phases.py /tmp/weiquan 2000 /tmp/pp-1 /tmp/pp-2 /tmp/pp-3
"""
import re, subprocess, sys

BINARY, CASES, DIRS = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
N = CASES * len(DIRS)
COMPONENTS = [
    ("HTTP server: Echo, middleware, handler", r"net/http\.\(\*conn\)\.serve$"),
    ("  of which the handler's store calls", r"store\.\(\*Store\)\.(ReserveCase|CaseHead|ClaimIdempotencyKey|Policy|StaffNames)$"),
    ("store.Record, the recording local activity", r"store\.\(\*Store\)\.Record$"),
    ("server: visibility upsert (ReplaceIntoVisibility)", r"sqlite\.\(\*db\)\.ReplaceIntoVisibility$"),
    ("server: visibility of a start (InsertIntoVisibility)", r"sqlite\.\(\*db\)\.InsertIntoVisibility$"),
    ("server: RespondWorkflowTaskCompleted", r"history\.\(\*Handler\)\.RespondWorkflowTaskCompleted$"),
    ("server: RecordWorkflowTaskStarted", r"history\.\(\*Handler\)\.RecordWorkflowTaskStarted$"),
    ("server: Update-With-Start (ExecuteMultiOperation)", r"history\.\(\*Handler\)\.ExecuteMultiOperation$"),
    ("server: the update (UpdateWorkflowExecution)", r"history\.\(\*Handler\)\.UpdateWorkflowExecution$"),
    ("SDK: workflow tasks, the workflow's code included", r"sdk/internal\.\(\*workflowTaskHandlerImpl\)\.ProcessWorkflowTask$"),
    ("garbage collector", r"runtime\.gcBgMarkWorker$"),
]

def seconds(value, unit):
    return float(value) * {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0}[unit]

def profile(phase):
    files = [f"{d}/{phase}.pprof" for d in DIRS]
    out = subprocess.run(["go", "tool", "pprof", "-top", "-cum", "-nodecount=100000", BINARY, *files],
                         capture_output=True, text=True, check=True).stdout
    total = seconds(*re.search(r"Total samples = ([\d.]+)(ms|s|min|h)\b", out).groups())
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*\S+\s+\S+\s+\S+\s+([\d.]+)(ms|s|min|h)\s+\S+\s+(.*)$", line)
        if m:
            rows.append((seconds(m.group(1), m.group(2)), m.group(3)))
    return total, rows

def per_request(s):
    return s / N * 1000

for ours, ceiling in (("intake", "ceiling-intake"), ("decide", "ceiling-decide")):
    (ta, ra), (tb, rb) = profile(ours), profile(ceiling)
    print(f"{ours}: ms of CPU per request, weiquan | ceiling | difference ({N} requests)")
    print(f"  {'whole process':60s} {per_request(ta):6.2f} | {per_request(tb):6.2f} | {per_request(ta - tb):+6.2f}")
    for name, rx in COMPONENTS:
        a = sum(s for s, fn in ra if re.search(rx, fn))
        b = sum(s for s, fn in rb if re.search(rx, fn))
        print(f"  {name:60s} {per_request(a):6.2f} | {per_request(b):6.2f} | {per_request(a - b):+6.2f}")
