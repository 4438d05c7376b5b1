#!/usr/bin/env python3
"""Cases through a running `weiquan dev` with its default settings (docs/BENCHMARKS.md, "Ownership").

Members of five institutes submit online; a secretary of each institute accepts every other case.
Then the outbox of the dev data dir is counted by state and audience, and the dead messages listed.

    go build -o /tmp/weiquan ./cmd/weiquan
    /tmp/weiquan dev --data-dir /tmp/devrun --port 18080 &
    python3 internal/bench/scripts/ownership.py http://127.0.0.1:18080 /tmp/devrun 1000 /tmp/weiquan
"""
import json, sqlite3, subprocess, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
BASE, DATA, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
WEIQUAN = sys.argv[4] if len(sys.argv) > 4 else "weiquan"
INSTS = ["BJ", "SH", "GD", "JS", "ZJ"]
def token(*args):
    out = subprocess.run([WEIQUAN, "token", "--data-dir", DATA, *args], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]
members = {}
def call(tok, method, path, body=None):
    req = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, json.loads(r.read() or b"{}")
secs = {i: token("--role", "secretary", "--institute", i) for i in INSTS}
for k in range(50):
    inst = INSTS[k % 5]
    no = "%s%08d" % ("11" if inst == "BJ" else "31", k)
    members[k] = (inst, no, token("--role", "member", "--institute", inst, "--member", no, "--name", "会员%d" % k))
errors = []
def one(i):
    inst, no, tok = members[i % 50]
    try:
        st, c = call(tok, "POST", "/api/v1/cases", {"institute": inst, "applicant": {"member_no": no, "name": "会员%d" % (i % 50), "kind": "practising"},
            "counterparty": "某会计师事务所", "category": "labour", "summary": "第 %d 件：拖欠工资" % i, "claims": "支付工资"})
        if i % 2 == 0:
            today = c["received_on"]
            call(secs[inst], "POST", "/api/v1/cases/%s/decision" % c["number"], {"decision": "accept", "notice_served_on": today})
    except Exception as e:
        errors.append((i, str(e)))
with ThreadPoolExecutor(8) as ex:
    list(ex.map(one, range(N)))
print("submitted", N, "errors", len(errors), errors[:3])
time.sleep(10)  # the dispatcher polls every 2 s; give it a few rounds
db = sqlite3.connect("file:%s/weiquan.db?mode=ro" % DATA, uri=True)
print("outbox by state and audience:", db.execute("SELECT state, audience, count(*) FROM outbox GROUP BY 1, 2 ORDER BY 1, 2").fetchall())
print("dead:", db.execute("SELECT last_error, count(*) FROM outbox WHERE state = 'dead' GROUP BY 1").fetchall())
print("in-app items:", db.execute("SELECT count(*), count(DISTINCT user_id) FROM inbox_items").fetchall())
