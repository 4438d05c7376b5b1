#!/usr/bin/env python3
"""The hardening probe (docs/RELIABILITY.md, "Hostile input"): what the outside may send against a
running `weiquan dev`, by category. Each probe states what a correct answer is; the table counts
probes, answers that were correct, failures and 5xx. Exit status 1 on any failure.

    go build -o /tmp/weiquan ./cmd/weiquan
    /tmp/weiquan dev --data-dir /tmp/probe --port 18080 --temporal-port 17233 --ui-port 0 &
    python3 internal/bench/scripts/probe.py http://127.0.0.1:18080 /tmp/probe /tmp/weiquan
"""
import http.client, http.cookiejar, json, re, socket, subprocess, sys, threading, time, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

BASE, DATA = sys.argv[1], sys.argv[2]
WEIQUAN = sys.argv[3] if len(sys.argv) > 3 else "weiquan"
HOST = urllib.parse.urlparse(BASE)
results = {}  # category -> [probes, correct, fivexx, failures list]


def token(*args):
    out = subprocess.run([WEIQUAN, "token", "--data-dir", DATA, *args], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def raw(method, path, body=b"", headers=None, tok=None, timeout=60):
    """One request with bytes as given (paths and header values are not re-encoded); a 429 is
    waited out and sent again, as a careful client does (the rate limit is not probed here)."""
    for _ in range(20):
        s, h, d = raw_once(method, path, body, headers, tok, timeout)
        if s != 429:
            return s, h, d
        time.sleep(float(h.get("Retry-After", "1")))
    return s, h, d


def raw_once(method, path, body, headers, tok, timeout):
    c = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=timeout)
    c.putrequest(method, path, skip_accept_encoding=True)
    hs = dict(headers or {})
    if tok:
        hs["Authorization"] = "Bearer " + tok
    if body is not None:
        hs.setdefault("Content-Length", str(len(body)))
    for k, v in hs.items():
        c.putheader(k, v)
    c.endheaders()
    if body:
        try:
            c.send(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered before reading the whole body: read its answer
    try:
        r = c.getresponse()
    except (ConnectionResetError, http.client.RemoteDisconnected):
        return 0, {}, b""  # closed without an answer
    data = r.read()
    c.close()
    return r.status, dict(r.getheaders()), data


def check(cat, what, ok, status):
    r = results.setdefault(cat, [0, 0, 0, []])
    r[0] += 1
    if status >= 500:
        r[2] += 1
    if cat in ("slow bodies", "unauthenticated large bodies", "uploads") and "MiB post" not in what:
        print("  %s: %s -> %s" % (cat, what, status))
    if ok:
        r[1] += 1
    else:
        r[3].append("%s -> %s" % (what, status))


def jsonb(v):
    return json.dumps(v, ensure_ascii=False).encode()


def case_body(member, **over):
    b = {"institute": "BJ", "applicant": {"member_no": member, "name": "王会计师", "kind": "practising"},
         "counterparty": "某会计师事务所", "category": "labour", "summary": "前雇主拖欠工资", "claims": "支付工资"}
    b.update(over)
    return b


def count_cases(tok):
    s, _, d = raw("GET", "/api/v1/cases?limit=500", None, tok=tok)
    return len(json.loads(d)["cases"]) if s == 200 else -1


member = token("--role", "member", "--institute", "BJ", "--member", "110000090001", "--name", "王会计师")
other = token("--role", "member", "--institute", "BJ", "--member", "110000090002", "--name", "赵会计师")
sec = token("--role", "secretary", "--institute", "BJ", "--sub", "secretary@BJ")
sec_sh = token("--role", "secretary", "--institute", "SH")
sup_sh = token("--role", "supervisor", "--institute", "SH")
sup = token("--role", "supervisor", "--institute", "BJ", "--sub", "supervisor@BJ")
admin = token("--role", "admin", "--institute", "CICPA", "--sub", "admin@CICPA")
J = {"Content-Type": "application/json"}

s, _, d = raw("POST", "/api/v1/cases", jsonb(case_body("110000090001")), J, member)
assert s == 201, (s, d)
NUM = json.loads(d)["number"]

# 1. text: NUL, other control characters and invalid UTF-8 in every text field of a submission
#    and of an action: 400/422, nothing recorded.
before = count_cases(member)
bad_texts = ["a\x00b", "a\x07b", "a\x1bb", "\u202e反转", "a\u2066b"]
for field in ["counterparty", "summary", "claims", "category"]:
    for t in bad_texts:
        body = case_body("110000090001", **{field: t})
        raw_body = json.dumps(body, ensure_ascii=True).encode()
        s, _, _ = raw("POST", "/api/v1/cases", raw_body, J, member)
        check("text fields (JSON)", "%s=%r" % (field, t), s in (400, 422), s)
    s, _, _ = raw("POST", "/api/v1/cases", jsonb(case_body("110000090001")).replace("前雇主".encode(), b"\xff\xfe"), J, member)
    check("text fields (JSON)", "%s invalid UTF-8" % field, s in (400, 422), s)
for t in bad_texts:
    s, _, _ = raw("POST", "/api/v1/cases", json.dumps(case_body("110000090001", applicant={"member_no": "110000090001", "name": t, "kind": "practising"})).encode(), J, member)
    check("text fields (JSON)", "applicant.name=%r" % t, s in (400, 422), s)
    s, _, _ = raw("POST", "/api/v1/cases/%s/decision" % NUM, json.dumps({"decision": "reject", "reasons": t, "notice_served_on": time.strftime("%Y-%m-%d")}).encode(), J, sec)
    check("text fields (JSON)", "decision reasons=%r" % t, s in (400, 422), s)
    s, _, _ = raw("POST", "/api/v1/cases/%s/withdrawal" % NUM, json.dumps({"reason": t}).encode(), J, member)
    check("text fields (JSON)", "withdrawal reason=%r" % t, s in (400, 422), s)
# a lone surrogate escape is not text either; JSON decoding makes it U+FFFD, which is storable:
# accepted or refused, never a 5xx
s, _, d = raw("POST", "/api/v1/cases", json.dumps(case_body("110000090001", summary="a\ud800b")).encode(), J, member)
check("text fields (JSON)", "lone surrogate", s in (201, 400, 422), s)
if s == 201:
    before += 1
check("text fields (JSON)", "nothing recorded", count_cases(member) == before, 200)
s, _, d = raw("GET", "/api/v1/cases/" + NUM, None, tok=sec)
check("text fields (JSON)", "case still received", s == 200 and json.loads(d)["stage"] == "received", s)

# 2. paths, query parameters, cursors and headers with NUL or invalid UTF-8: 4xx, never 5xx.
paths = ["/api/v1/cases/%ff", "/api/v1/cases/%00", "/api/v1/cases/%00/deadlines.ics", "/api/v1/cases/%ff%fe/attachments",
         "/api/v1/cases/%c0%80", "/api/v1/institutes/%00/settings", "/api/v1/staff/%ff", "/api/v1/calendar/years/%00",
         "/api/v1/cases?secretary=%ff", "/api/v1/cases?institute=%00", "/api/v1/cases?cursor=%ff%00", "/api/v1/cases?q=%00",
         "/api/v1/cases?stage=%ff", "/api/v1/tasks?cursor=%00", "/api/v1/escalations?institute=%ff", "/api/v1/reports/compliance?from=%00",
         "/api/v1/reports/compliance?institute=%ff", "/api/v1/calendar/due?from=%ff&workdays=1"]
for p in paths:
    for tok in (sec, admin):
        s, _, _ = raw("GET", p, None, tok=tok)
        check("paths, queries, headers", p, 400 <= s < 500, s)
for p in ["/api/v1/cases/%00/decision", "/api/v1/cases/%ff/claim", "/api/v1/cases/%ff/withdrawal"]:
    s, _, _ = raw("POST", p, b"{}", J, sec)
    check("paths, queries, headers", "POST " + p, 400 <= s < 500, s)
for key in [b"k\x00", b"\xff\xfe", b"a" * 300]:
    s, _, _ = raw("POST", "/api/v1/cases", jsonb(case_body("110000090001")), {**J, "Idempotency-Key": key}, member)
    check("paths, queries, headers", "Idempotency-Key %r" % key[:12], s in (400, 422), s)

# 3. search terms beyond the cap.
for n in (21, 996, 22000):
    s, _, _ = raw("GET", "/api/v1/cases?q=" + "+".join(["税"] * n).replace("税", "%E7%A8%8E"), None, tok=sec)
    check("search terms", "%d terms" % n, s == 422, s)
s, _, _ = raw("GET", "/api/v1/cases?q=" + "+".join(["a"] * 20), None, tok=sec)
check("search terms", "20 terms", s == 200, s)

# 4. redirect targets after sign-in: only same-origin paths.
for nxt in ["/\t/evil.example/", "//evil.example/", "/\\evil.example", "https://evil.example/", "/%09/evil.example", "/\x7f/evil",
            "http:/evil.example", "/ /evil.example", "\\\\evil.example", "/cases?x=//evil"]:
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = op.open(BASE + "/signin?next=" + urllib.parse.quote(nxt, safe="")).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None
    op2 = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    form = urllib.parse.urlencode({"csrf": csrf, "next": nxt, "role": "member", "institute": "BJ", "member_no": "110000090001"}).encode()
    try:
        op2.open(BASE + "/signin", form)
        status, loc = 200, ""
    except urllib.error.HTTPError as e:
        status, loc = e.code, e.headers.get("Location", "")
    u = urllib.parse.urlsplit(loc.replace("\t", "").replace("\\", "/"))
    same = loc.startswith("/") and not u.netloc and not loc.startswith("//") and "\\" not in loc
    check("redirects", repr(nxt), status == 303 and same, status)

# 5. a body trickled one byte every 2 s: cut off within 35 s.
def trickle(path, tok):
    sock = socket.create_connection((HOST.hostname, HOST.port))
    sock.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n%s\r\n"
                  % (path, "Authorization: Bearer %s\r\n" % tok if tok else "")).encode())
    start = time.time()
    try:
        while time.time() - start < 60:
            sock.sendall(b" ")
            time.sleep(2)
    except OSError:
        pass
    took = time.time() - start
    sock.close()
    return took
with ThreadPoolExecutor(2) as ex:
    took = list(ex.map(lambda a: trickle(*a), [("/api/v1/cases", member), ("/signin", None)]))
for p, t in zip(["/api/v1/cases", "/signin"], took):
    # the server's budget is 30 s (plus the body's length at 256 KiB/s); a write notices the
    # closed connection on the next byte, up to 2 s later, and the reset a moment after that
    check("slow bodies", "%s cut after %.0f s" % (p, t), t <= 36, 0)

# 6. unauthenticated large posts: refused before they are read, memory stays bounded.
def rss():
    pid = subprocess.run(["pgrep", "-f", "weiquan dev --data-dir " + DATA], capture_output=True, text=True).stdout.split()
    return max(int(re.search(r"VmRSS:\s+(\d+)", open("/proc/%s/status" % p).read()).group(1)) for p in pid) // 1024 if pid else -1
r0 = rss()
def big(path):
    s, _, _ = raw("POST", path, b"x" * (100 << 20), {"Content-Type": "application/x-www-form-urlencoded"})
    return s
with ThreadPoolExecutor(6) as ex:
    statuses = list(ex.map(big, ["/signin", "/signout", "/cases/new", "/signin", "/admin/staff", "/api/v1/cases"]))
for st in statuses:  # refused (4xx), or sent to sign in (303) without the body being read
    check("unauthenticated large bodies", "100 MiB post", 400 <= st < 500 or st == 303, st)
check("unauthenticated large bodies", "RSS %d -> %d MiB" % (r0, rss()), rss() - r0 < 200, 0)

# 7. the per-case attachment cap under parallel uploads, on a case of its own.
s, _, d = raw("POST", "/api/v1/cases", jsonb(case_body("110000090001", summary="上传")), J, member)
UP = json.loads(d)["number"]
def upload(i):
    pdf = b"%PDF-1.7\n" + bytes([48 + i]) * (19 << 20)  # each file different: identical ones are stored once
    bnd = "b%d" % i
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f%d.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" % (bnd, i)).encode() + pdf + ("\r\n--%s--\r\n" % bnd).encode()
    s, _, _ = raw("POST", "/api/v1/cases/%s/attachments" % UP, body, {"Content-Type": "multipart/form-data; boundary=" + bnd}, member)
    return s
with ThreadPoolExecutor(8) as ex:
    statuses = list(ex.map(upload, range(8)))
s, _, d = raw("GET", "/api/v1/cases/%s/attachments" % UP, None, tok=member)
stored = sum(a["size"] for a in json.loads(d)["attachments"])
check("uploads", "8 x 19 MiB in parallel: %d stored, %s" % (stored >> 20, sorted(statuses)), stored <= 100 << 20 and all(x in (201, 413, 422) for x in statuses), max(statuses))
trunc = b"--t\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.7\nabc"
s, _, _ = raw("POST", "/api/v1/cases/%s/attachments" % UP, trunc, {"Content-Type": "multipart/form-data; boundary=t"}, member)
check("uploads", "truncated multipart", s == 400, s)
n_before = len(json.loads(raw("GET", "/api/v1/cases/%s/attachments" % UP, None, tok=member)[2])["attachments"])
mixed = (b"--m\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ok.pdf\"\r\n\r\n%PDF-1.7\nok\r\n"
         b"--m\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bad.exe\"\r\n\r\nMZ\x90\x00\r\n--m--\r\n")
s, _, _ = raw("POST", "/api/v1/cases/%s/attachments" % UP, mixed, {"Content-Type": "multipart/form-data; boundary=m"}, member)
n_after = len(json.loads(raw("GET", "/api/v1/cases/%s/attachments" % UP, None, tok=member)[2])["attachments"])
check("uploads", "one refused file refuses all", 400 <= s < 500 and n_after == n_before, s)

# 8. tokens, sessions, year files.
zz = token("--role", "secretary", "--institute", "ZZ")
s, _, _ = raw("GET", "/api/v1/cases", None, tok=zz)
check("tokens and sessions", "institute ZZ", s == 401, s)
s, _, _ = raw("GET", "/api/v1/cases", None, tok=member[:-3] + "abc")
check("tokens and sessions", "forged signature", s == 401, s)
s, _, _ = raw("POST", "/api/v1/calendar/years/2031", b'{"year":2031,"holidays":[{"date":"2031-01-01","name":"\xff"}]}', J, admin)
check("tokens and sessions", "year file with invalid UTF-8", s in (400, 422), s)
tok_out = token("--role", "member", "--institute", "BJ", "--member", "110000090001")
s, _, _ = raw("POST", "/api/v1/session/revocation", b"", None, tok_out)
s2, _, _ = raw("GET", "/api/v1/cases", None, tok=tok_out)
check("tokens and sessions", "token after sign-out", s in (200, 204) and s2 == 401, s2)

# 9. authorisation matrix on a case of `member` in BJ: who may read and act.
national = token("--role", "supervisor", "--institute", "CICPA")
readers = {"other member": (other, False), "SH secretary": (sec_sh, False), "SH supervisor": (sup_sh, False), "nobody": (None, False),
           "CICPA admin (reference data only)": (admin, False),
           "member": (member, True), "BJ secretary": (sec, True), "BJ supervisor": (sup, True), "CICPA supervisor": (national, True)}
for who, (tok, allowed) in readers.items():
    for p in ["", "/deadlines.ics", "/attachments", "/documents"]:
        s, _, _ = raw("GET", "/api/v1/cases/%s%s" % (NUM, p), None, tok=tok)
        check("authorisation", "%s GET %s" % (who, p or "case"), (s == 200) if allowed else s in (401, 403, 404), s)
actions = {"decision": {"decision": "reject", "reasons": "x", "notice_served_on": time.strftime("%Y-%m-%d")}, "claim": {},
           "assignment": {"secretary": "secretary@BJ"}, "withdrawal": {"reason": "x"}, "supplement-request": {"what": "x"}}
for who, tok in {"other member": other, "SH secretary": sec_sh, "SH supervisor": sup_sh, "nobody": None, "member": member}.items():
    for a, body in actions.items():
        if who == "member" and a == "withdrawal":
            continue  # the member may withdraw: not a refusal to probe
        s, _, _ = raw("POST", "/api/v1/cases/%s/%s" % (NUM, a), jsonb(body), J, tok)
        check("authorisation", "%s POST %s" % (who, a), s in (401, 403, 404), s)
s, _, d = raw("GET", "/api/v1/cases/" + NUM, None, tok=sec)
check("authorisation", "case unchanged by refused actions", s == 200 and json.loads(d)["stage"] == "received", s)

fail = 0
print("| category | probes | answered correctly | failures | 5xx |")
print("|---|---|---|---|---|")
for cat, (n, ok, five, bad) in results.items():
    print("| %s | %d | %d | %d | %d |" % (cat, n, ok, n - ok, five))
    fail += n - ok
tot = [sum(r[i] for r in results.values()) for i in range(3)]
print("| **all** | %d | %d | %d | %d |" % (tot[0], tot[1], tot[0] - tot[1], tot[2]))
for cat, r in results.items():
    for b in r[3]:
        print("FAIL", cat, b)
sys.exit(1 if fail else 0)
