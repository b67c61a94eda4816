"""Tributary benchmarks against their peers, in one run on one machine.

P1: a 2,000,000-row CSV -> filter -> derived field -> group by -> sort -> CSV, submitted as a
    job through the REST API and waited for; DuckDB and Polars run the same query on the same
    file. Median wall time of 5 runs each, after one warm-up.
P2: a service (filter + two derived fields) under wrk, 16 connections for 10 s, against
    Node-RED 4 running the same logic as http-in -> function -> http-response.
P3: 10,000 trivial runs (a one-row job) submitted through the REST API to one node on
    PostgreSQL: runs completed per second and submit -> start latency (p50, p99), and the CPU
    time per run of the node and of PostgreSQL. P3_ARGS adds arguments to `tributary serve`
    (e.g. P3_ARGS="--run-slots 32"), P3_DB_OPTIONS to the database URL (e.g.
    P3_DB_OPTIONS="?sslmode=disable" for a PostgreSQL on the same host).
"""

import http.cookiejar
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
DATA = OUT / "data"
ROWS = 2_000_000
REPEAT = 5
PASSWORD = "bench-admin-password"


def say(text):
    print(f"==> {text}", file=sys.stderr, flush=True)


class Api:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("content-type", "application/json")
        # The session cookie signs these requests in; writes with it need the CSRF header.
        request.add_header("x-tributary-csrf", "1")
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        with self.opener.open(request) as response:
            text = response.read()
            return json.loads(text) if text else None


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except Exception:
            time.sleep(0.05)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def start_tributary(binary, data_dir, log_name):
    port = free_port()
    log = open(OUT / log_name, "w")
    env = dict(os.environ, TRIBUTARY_ADMIN_PASSWORD=PASSWORD, RUST_LOG="warn")
    process = subprocess.Popen(
        [binary, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", str(data_dir)], stdout=log, stderr=log, env=env
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/readyz")
    api = Api(base)
    api.call("POST", "/api/v1/auth/login", {"username": "admin", "password": PASSWORD})
    return process, api


def generate(csv):
    import duckdb

    if csv.exists():
        return
    say(f"generating {ROWS:,} rows")
    csv.parent.mkdir(parents=True, exist_ok=True)
    duckdb.sql(
        f"""COPY (SELECT i AS id,
                        'category_' || (hash(i) % 50) AS category,
                        round((hash(i * 7) % 100000) / 100.0, 2) AS amount,
                        TIMESTAMP '2026-01-01' + to_seconds(hash(i * 13) % 31536000) AS ts,
                        'customer ' || (hash(i * 31) % 100000) AS name
                 FROM range({ROWS}) t(i)) TO '{csv}' (HEADER, DELIMITER ',')"""
    )


def median_time(fn):
    fn()  # warm-up: file cache, lazy initialisation
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


P1_JOB = {
    "name": "p1",
    "kind": "job",
    "stages": [
        {"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
        {"id": "big", "type": "filter", "options": {"predicate": "amount > 500"}},
        {"id": "tax", "type": "transform", "options": {"fields": [{"name": "amount_with_tax", "expression": "amount * 1.2"}]}},
        {"id": "agg", "type": "aggregate", "options": {"group_by": ["category"], "aggregates": [
            {"function": "sum", "field": "amount_with_tax", "as": "total"},
            {"function": "count", "as": "orders"}]}},
        {"id": "sort", "type": "sort", "options": {"keys": [{"field": "total", "descending": True}]}},
        {"id": "out", "type": "write_csv", "options": {"path": "p1_tributary.csv"}},
    ],
    "edges": [{"from": a, "to": b} for a, b in [("read", "big"), ("big", "tax"), ("tax", "agg"), ("agg", "sort"), ("sort", "out")]],
}


def p1(binary):
    import duckdb
    import polars as pl

    csv = DATA / "orders.csv"
    generate(csv)
    process, api = start_tributary(binary, DATA, "p1-tributary.log")
    try:
        try:
            api.call("DELETE", "/api/v1/dataflows/p1")
        except Exception:
            pass
        api.call("POST", "/api/v1/dataflows", P1_JOB)
        api.call("POST", "/api/v1/dataflows/p1/versions/1/expose")

        def tributary():
            run = api.call("POST", "/api/v1/dataflows/p1/runs", {})
            while True:
                run = api.call("GET", f"/api/v1/runs/{run['id']}")
                if run["status"] in ("succeeded", "failed", "cancelled"):
                    break
                time.sleep(0.002)
            if run["status"] != "succeeded":
                raise SystemExit(f"tributary run failed: {run['error']}")

        tributary_s = median_time(tributary)
    finally:
        process.terminate()
        process.wait()

    def duck():
        duckdb.sql(
            f"""COPY (SELECT category, sum(amount * 1.2) AS total, count(*) AS orders
                      FROM read_csv('{csv}') WHERE amount > 500
                      GROUP BY category ORDER BY total DESC) TO '{DATA / "p1_duckdb.csv"}' (HEADER)"""
        )

    def polars():
        (
            pl.scan_csv(csv)
            .filter(pl.col("amount") > 500)
            .with_columns((pl.col("amount") * 1.2).alias("amount_with_tax"))
            .group_by("category")
            .agg(pl.col("amount_with_tax").sum().alias("total"), pl.len().alias("orders"))
            .sort("total", descending=True)
            .collect()
            .write_csv(DATA / "p1_polars.csv")
        )

    duck_s = median_time(duck)
    polars_s = median_time(polars)
    ours = pl.read_csv(DATA / "p1_tributary.csv")
    theirs = pl.read_csv(DATA / "p1_duckdb.csv")
    same = ours["category"].to_list() == theirs["category"].to_list() and ours["orders"].to_list() == theirs["orders"].to_list()
    return [
        ("P1 batch job, 2M rows (median of 5, s)", "Tributary (REST submit → succeeded)", f"{tributary_s:.3f}"),
        ("", f"DuckDB {duckdb.__version__}", f"{duck_s:.3f}"),
        ("", f"Polars {pl.__version__}", f"{polars_s:.3f}"),
        ("", "same groups and counts as DuckDB", "yes" if same else "NO"),
    ]


SERVICE = {
    "name": "p2",
    "kind": "service",
    "stages": [
        {"id": "in", "type": "input", "options": {"fields": [
            {"name": "id", "type": "integer"}, {"name": "category", "type": "string"}, {"name": "amount", "type": "number"}]}},
        {"id": "big", "type": "filter", "options": {"predicate": "amount > 100"}},
        {"id": "derive", "type": "transform", "options": {"fields": [
            {"name": "amount_with_tax", "expression": "amount * 1.2"},
            {"name": "category_upper", "expression": "upper(category)"}]}},
        {"id": "out", "type": "output"},
    ],
    "edges": [{"from": "in", "to": "big"}, {"from": "big", "to": "derive"}, {"from": "derive", "to": "out"}],
}
REQUEST = {"rows": [{"id": 1, "category": "books", "amount": 150.5}, {"id": 2, "category": "toys", "amount": 20}]}
NODE_RED_FUNCTION = (
    "msg.payload = { rows: msg.payload.rows.filter(r => r.amount > 100).map(r => "
    "Object.assign({}, r, { amount_with_tax: r.amount * 1.2, category_upper: r.category.toUpperCase() })) };\nreturn msg;"
)


def wrk(url, headers):
    script = OUT / "wrk.lua"
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(json.dumps(REQUEST))}"]
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    script.write_text("\n".join(lines) + "\n")
    out = subprocess.run(["wrk", "-t2", "-c16", "-d10s", "--latency", "-s", str(script), url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * factor, int(errors.group(1)) if errors else 0


def p2(binary):
    data = OUT / "p2-data"
    data.mkdir(parents=True, exist_ok=True)
    process, api = start_tributary(binary, data, "p2-tributary.log")
    try:
        try:
            api.call("DELETE", "/api/v1/dataflows/p2")
        except Exception:
            pass
        api.call("POST", "/api/v1/dataflows", SERVICE)
        api.call("POST", "/api/v1/dataflows/p2/versions/1/expose")
        token = api.call("POST", "/api/v1/tokens", {"name": "bench"})["token"]
        answer = api.call("POST", "/api/v1/services/p2", REQUEST)
        assert answer["rows"] == [{"id": 1, "category": "books", "amount": 150.5, "amount_with_tax": 180.6, "category_upper": "BOOKS"}], answer
        ours = wrk(api.base + "/api/v1/services/p2", {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    finally:
        process.terminate()
        process.wait()

    user_dir = OUT / "node-red"
    shutil.rmtree(user_dir, ignore_errors=True)
    user_dir.mkdir(parents=True)
    port = free_port()
    flows = [
        {"id": "tab", "type": "tab", "label": "p2"},
        {"id": "in", "type": "http in", "z": "tab", "url": "/p2", "method": "post", "wires": [["fn"]]},
        {"id": "fn", "type": "function", "z": "tab", "func": NODE_RED_FUNCTION, "outputs": 1, "wires": [["out"]]},
        {"id": "out", "type": "http response", "z": "tab", "statusCode": "", "headers": {}, "wires": []},
    ]
    (user_dir / "flows.json").write_text(json.dumps(flows))
    (user_dir / "settings.js").write_text(
        f"module.exports = {{ uiPort: {port}, uiHost: '127.0.0.1', flowFile: 'flows.json', httpAdminRoot: false, logging: {{ console: {{ level: 'warn' }} }} }};\n"
    )
    red = BENCH / ".node" / "node_modules" / "node-red" / "red.js"
    log = open(OUT / "p2-node-red.log", "w")
    node = subprocess.Popen(["node", str(red), "--userDir", str(user_dir), "--settings", str(user_dir / "settings.js")], stdout=log, stderr=log)
    try:
        url = f"http://127.0.0.1:{port}/p2"
        deadline = time.time() + 60
        while True:
            try:
                request = urllib.request.Request(url, data=json.dumps(REQUEST).encode(), method="POST", headers={"content-type": "application/json"})
                with urllib.request.urlopen(request, timeout=1) as response:
                    assert json.loads(response.read())["rows"][0]["category_upper"] == "BOOKS"
                break
            except Exception:
                if time.time() > deadline:
                    raise SystemExit("Node-RED did not start; see bench/out/p2-node-red.log")
                time.sleep(0.1)
        version = subprocess.run(["node", "-e", f"console.log(require('{red.parent}/package.json').version)"], capture_output=True, text=True).stdout.strip()
        theirs = wrk(url, {"Content-Type": "application/json"})
    finally:
        node.terminate()
        node.wait()
    return [
        ("P2 service, wrk 16 conns 10 s", "Tributary requests/s", f"{ours[0]:.0f}"),
        ("", "Tributary p99 latency (ms)", f"{ours[1]:.2f}"),
        ("", "Tributary non-2xx responses", str(ours[2])),
        ("", f"Node-RED {version} requests/s", f"{theirs[0]:.0f}"),
        ("", f"Node-RED {version} p99 latency (ms)", f"{theirs[1]:.2f}"),
        ("", "Tributary / Node-RED throughput", f"{ours[0] / theirs[0]:.1f}×"),
    ]


P3_RUNS = 10_000
P3_SUBMITTERS = 8
P3_JOB = {
    "name": "p3",
    "kind": "job",
    "stages": [
        {"id": "read", "type": "read_csv", "options": {"path": "one.csv"}},
        {"id": "out", "type": "write_csv", "options": {"path": "out/one.csv"}},
    ],
    "edges": [{"from": "read", "to": "out"}],
}


def cpu_seconds(pids):
    """User + system CPU time of these processes so far (those that ended are left out)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def postgres_pids():
    found = subprocess.run(["pgrep", "-u", "postgres", "postgres"], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def p3(binary):
    import http.client
    import threading
    from datetime import datetime

    database = f"tributary_bench_{os.getpid()}"
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {database}"], check=True)
    data = OUT / "p3-data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    (data / "one.csv").write_text("id,amount\n1,10\n")
    port = free_port()
    log = open(OUT / "p3-tributary.log", "w")
    env = dict(os.environ, TRIBUTARY_ADMIN_PASSWORD=PASSWORD, RUST_LOG="warn")
    process = subprocess.Popen(
        [binary, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", str(data),
         "--database-url", f"postgres://postgres@127.0.0.1:5432/{database}" + os.environ.get("P3_DB_OPTIONS", ""), "--secret-key", "b" * 32] + os.environ.get("P3_ARGS", "").split(),
        stdout=log, stderr=log, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/readyz")
        api = Api(base)
        api.call("POST", "/api/v1/auth/login", {"username": "admin", "password": PASSWORD})
        api.call("POST", "/api/v1/dataflows", P3_JOB)
        api.call("POST", "/api/v1/dataflows/p3/versions/1/expose")
        token = api.call("POST", "/api/v1/tokens", {"name": "p3"})["token"]
        say(f"P3: submitting {P3_RUNS:,} runs with {P3_SUBMITTERS} clients")
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

        def submit(count):
            conn = http.client.HTTPConnection("127.0.0.1", port)
            for _ in range(count):
                conn.request("POST", "/api/v1/dataflows/p3/runs", body="{}", headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 202:
                    raise SystemExit(f"submit answered {response.status}")

        cpu_before = (cpu_seconds([process.pid]), cpu_seconds(postgres_pids()))
        started = time.perf_counter()
        threads = [threading.Thread(target=submit, args=(P3_RUNS // P3_SUBMITTERS,)) for _ in range(P3_SUBMITTERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        submitted = time.perf_counter() - started
        while True:
            left = sum(len(api.call("GET", f"/api/v1/runs?dataflow=p3&status={s}&limit=1")["items"]) for s in ("queued", "running"))
            if left == 0:
                break
            time.sleep(0.2)
        node_cpu = cpu_seconds([process.pid]) - cpu_before[0]
        postgres_cpu = cpu_seconds(postgres_pids()) - cpu_before[1]
        runs, cursor = [], None
        while True:
            page = api.call("GET", "/api/v1/runs?dataflow=p3&limit=200" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""))
            runs += page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                break
        parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))
        first = min(parse(r["created_at"]) for r in runs)
        last = max(parse(r["finished_at"]) for r in runs)
        waits = sorted((parse(r["started_at"]) - parse(r["created_at"])).total_seconds() * 1000 for r in runs)
        ok = sum(1 for r in runs if r["status"] == "succeeded")
        per_second = len(runs) / (last - first).total_seconds()
        return [
            ("P3 10,000 one-row runs, one node, PostgreSQL", "runs completed per second", f"{per_second:.0f}"),
            ("", "submit -> start p50 (ms)", f"{waits[len(waits) // 2]:.1f}"),
            ("", "submit -> start p99 (ms)", f"{waits[int(len(waits) * 0.99)]:.1f}"),
            ("", "submits per second (8 clients)", f"{P3_RUNS / submitted:.0f}"),
            ("", "runs succeeded", f"{ok:,} of {len(runs):,}"),
            ("", "CPU per run: node / PostgreSQL (ms)", f"{node_cpu * 1000 / P3_RUNS:.2f} / {postgres_cpu * 1000 / P3_RUNS:.2f}"),
        ]
    finally:
        process.terminate()
        process.wait()
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"])


def main():
    what, binary = sys.argv[1], sys.argv[2]
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    if what in ("all", "p1"):
        rows += p1(binary)
    if what in ("all", "p2"):
        rows += p2(binary)
    if what in ("all", "p3"):
        rows += p3(binary)
    table = ["| benchmark | measured | value |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    text = "\n".join(table)
    (OUT / "results.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
