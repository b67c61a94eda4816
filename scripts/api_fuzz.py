#!/usr/bin/env python3
"""Schemathesis against a fresh node's own OpenAPI document (`/api/v1/openapi.json`).

Starts `tributary serve` on a free port with SQLite in a temporary data directory, signs in as
the first admin, creates an API token and a few objects (a job, an exposed service, a schedule,
a connection, a custom role) so generated requests meet real ones, then runs schemathesis with
the checks that compare every answer to the document: no server error, a documented status, the
documented content type, headers and body schema. Fails unless at least MIN_REQUESTS requests
were sent and none failed a check.

    scripts/api_fuzz.py <tributary binary> [--examples N] [--min-requests N]

API_FUZZ_EXAMPLES (default 25) sets the examples per operation, API_FUZZ_SEED the seed (fixed by
default so a failure reproduces; change it for a longer hunt).
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])
ADMIN_PASSWORD = "api-fuzz-admin-password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def wait_ready(base, node, deadline_s=60):
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if node.poll() is not None:
            sys.exit(f"the node exited with {node.returncode} before it was ready")
        try:
            if call(base, "GET", "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("the node was not ready within 60 s")


def seed(base, token, data_dir):
    with open(os.path.join(data_dir, "orders.csv"), "w") as f:
        f.write("id,amount\n1,9.5\n")
    job = {"name": "orders", "kind": "job", "stages": [
        {"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
        {"id": "write", "type": "write_csv", "options": {"path": "orders-copy.csv"}}],
        "edges": [{"from": "read", "to": "write"}]}
    service = {"name": "price", "kind": "service", "stages": [
        {"id": "in", "type": "input", "options": {"fields": [{"name": "sku", "type": "string"}]}},
        {"id": "out", "type": "output"}], "edges": [{"from": "in", "to": "out"}]}
    for document in (job, service):
        status, body = call(base, "POST", "/api/v1/dataflows", document, token)
        assert status == 201, (status, body)
        status, body = call(base, "POST", f"/api/v1/dataflows/{document['name']}/versions/1/expose", None, token)
        assert status == 200, (status, body)
    steps = [
        ("/api/v1/schedules", {"name": "nightly", "dataflow": "orders", "cron": "0 0 2 * * *"}),
        ("/api/v1/connections", {"name": "files", "kind": "directory", "path": "."}),
        ("/api/v1/roles", {"name": "auditor", "permissions": ["audit:view"]}),
        ("/api/v1/users", {"username": "dana", "password": "dana-password-1", "roles": ["viewer"]}),
        ("/api/v1/dataflows/orders/runs", {}),
    ]
    for path, body in steps:
        status, answer = call(base, "POST", path, body, token)
        assert status in (201, 202), (path, status, answer)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--examples", type=int, default=int(os.environ.get("API_FUZZ_EXAMPLES", "25")))
    parser.add_argument("--min-requests", type=int, default=1000)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="tributary-api-fuzz-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(data_dir, "node.log"), "w")
    node = subprocess.Popen(
        [args.binary, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", data_dir,
         "--admin-password", ADMIN_PASSWORD],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(base, node)
        token = create_token(base)
        seed(base, token, data_dir)
        report = os.path.join(data_dir, "report.json")
        command = [
            "schemathesis", "run", f"{base}/api/v1/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--checks", CHECKS,
            "--max-examples", str(args.examples),
            "--seed", os.environ.get("API_FUZZ_SEED", "20261126"),
            "--workers", "2",
            "--request-timeout", "10",
            "--phases", "examples,coverage,fuzzing",
            "--report", "json", "--report-json-path", report,
        ]
        print("+", " ".join(c if "Bearer" not in c else "Authorization: Bearer …" for c in command), flush=True)
        result = subprocess.run(command, cwd=data_dir)
        requests, failures = summarize(report)
        print(f"schemathesis: {requests} requests, {failures} failed, exit {result.returncode}")
        if result.returncode != 0 or failures:
            sys.exit(f"schemathesis found answers that break the document (node log: {log.name})")
        if requests < args.min_requests:
            sys.exit(f"only {requests} requests were sent; at least {args.min_requests} are needed")
    finally:
        node.terminate()
        try:
            node.wait(timeout=20)
        except subprocess.TimeoutExpired:
            node.kill()
        log.close()
    shutil.rmtree(data_dir, ignore_errors=True)


def create_token(base):
    """An API token of the admin, made in a signed-in session (a cookie jar and the CSRF header)."""
    jar = urllib.request.HTTPCookieProcessor()
    opener = urllib.request.build_opener(jar)
    def post(path, body, extra=None):
        request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST")
        request.add_header("Content-Type", "application/json")
        for k, v in (extra or {}).items():
            request.add_header(k, v)
        with opener.open(request, timeout=10) as response:
            return json.loads(response.read())
    post("/api/v1/auth/login", {"username": "admin", "password": ADMIN_PASSWORD})
    created = post("/api/v1/tokens", {"name": "api-fuzz"}, {"X-Tributary-CSRF": "1"})
    return created["token"]


def summarize(path):
    """(requests sent, test cases that failed a check) from schemathesis' JSON report."""
    with open(path) as f:
        report = json.load(f)
    cases = report["test_cases"]
    for failure in report.get("failures", []):
        print(f"  {failure['code']} {failure['title']}: {', '.join(failure['operations'])}")
    return cases["generated"], cases["with_failures"] + cases.get("errored", 0)


if __name__ == "__main__":
    main()
