"""The deployment recipe of deploy/ on loopback: nginx in front of Oxigraph, one credential per municipality.

Runs deploy/make_proxy.py as a prefecture would, starts Debian's nginx with the rendered config on
127.0.0.1, and shows that a municipality's credential can replace its own graph, read everything,
and can neither change nor delete another's graph nor run a raw SPARQL update.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import controlmap as cm
from controlmap.errors import StoreAuthError
from controlmap.graph.publication import AdoptedItem
from controlmap.municipality import graph_iri
from controlmap.store import RemoteStore
from controlmap.store.server import OxigraphServer, free_port
from controlmap.workflows.peers import peers
from controlmap.workflows.publish import publish

REPO = Path(__file__).resolve().parents[2]
A, B, C = "131156", "131016", "011002"  # 杉並区, 千代田区, 札幌市
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx (Debian package) is not installed; scripts/test.sh "
                                                      "installs it when run as root")


def _wait_port(port: int, proc: subprocess.Popen, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{proc.args[0]} did not listen in time")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    base = tmp_path_factory.mktemp("proxy")
    with OxigraphServer(base / "db", log=base / "oxigraph.log") as server:
        port, filter_port = free_port(), free_port()
        out = base / "proxy"
        cmd = [sys.executable, str(REPO / "deploy" / "make_proxy.py"), "--codes", A, B, C, "--out", str(out),
               "--listen", f"127.0.0.1:{port}", "--upstream", f"127.0.0.1:{server.port}",
               "--query-filter", f"127.0.0.1:{filter_port}"]
        if os.geteuid() == 0:  # workers must read the htpasswd in this private temporary directory
            cmd += ["--worker-user", "root"]
        subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60)
        with (out / "new-credentials.csv").open(encoding="utf-8") as fh:
            passwords = {row["user"]: row["password"] for row in csv.DictReader(fh)}
        query_filter = subprocess.Popen(
            [sys.executable, str(REPO / "deploy" / "query_filter.py"), "--listen", f"127.0.0.1:{filter_port}",
             "--upstream", f"127.0.0.1:{server.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proc = subprocess.Popen([NGINX, "-p", str(out), "-c", str(out / "nginx.conf"), "-g", "daemon off;"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_port(filter_port, query_filter)
            _wait_port(port, proc)
            yield {"url": f"http://127.0.0.1:{port}", "passwords": passwords, "server": server, "out": out}
        finally:
            for p in (proc, query_filter):
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(timeout=10)
            proc.stderr.close()


def client(proxy, user: str, password: str | None = None, **kw) -> RemoteStore:
    return RemoteStore(proxy["url"], user=user, password=password or proxy["passwords"][user],
                       **{"timeout": 10, "retries": 0, **kw})


def raw(proxy, method: str, target: str, *, user: str | None = A, password: str | None = None, body: bytes = b"",
        content_type: str = "application/n-triples") -> int:
    """Status of one hand-made request (tricks a client library would never send)."""
    return raw_response(proxy, method, target, user=user, password=password, body=body,
                        content_type=content_type)[0]


def raw_response(proxy, method: str, target: str, *, user: str | None = A, password: str | None = None,
                 body: bytes = b"", content_type: str = "application/n-triples") -> tuple[int, bytes]:
    """Status and body of one hand-made request."""
    import base64

    headers = {"Content-Type": content_type} if body or method in ("PUT", "POST") else {}
    if user:
        secret = password or proxy["passwords"][user]
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()
    conn = http.client.HTTPConnection("127.0.0.1", int(proxy["url"].rsplit(":", 1)[1]), timeout=10)
    try:
        conn.request(method, target, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def enc(code: str) -> str:
    return "graph=" + urllib.parse.quote(graph_iri(code), safe="")


def item(n: int, title: str) -> AdoptedItem:
    return AdoptedItem(f"MIC-ADD-{n:02d}", title, f"{title}を行っているか。", ("GUS-R3:1.2(1)",), "", "C-GUS-R3-1.2(1)")


@pytest.fixture(scope="module")
def kg():
    return cm.load()


def held_titles(proxy, code: str) -> set[str]:
    g = RemoteStore(proxy["server"].url).get_graph(graph_iri(code))  # read behind the proxy
    return {str(o) for o in g.objects(None, URIRef("http://purl.org/dc/terms/title"))}


def test_recipe_renders_one_credential_per_municipality(proxy):
    assert set(proxy["passwords"]) == {A, B, C, "admin"}
    lines = (proxy["out"] / "htpasswd").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split(":", 1)[0] for line in lines) == sorted([A, B, C, "admin"])
    assert all(line.split(":", 1)[1].startswith("$6$") for line in lines)  # hashed, never the password
    assert not any(p in (proxy["out"] / "htpasswd").read_text() for p in proxy["passwords"].values())
    assert oct((proxy["out"] / "new-credentials.csv").stat().st_mode & 0o777) == "0o600"


def test_each_municipality_publishes_its_own_graph(proxy, kg):
    for code, title in ((A, "杉並の項目"), (B, "千代田の項目")):
        publish(client(proxy, code), code, [item(1, title)], catalog=kg)
    assert held_titles(proxy, A) == {"杉並の項目"}
    assert held_titles(proxy, B) == {"千代田の項目"}
    result = peers(client(proxy, C), C, catalog=kg)  # everybody may read and ask the peers query
    assert result.municipalities >= 2 and result.items[0].adopters >= 2


def test_credential_cannot_change_delete_or_update_another_graph(proxy, kg):
    publish(client(proxy, B), B, [item(1, "千代田の項目")], catalog=kg)
    a = client(proxy, A)
    with pytest.raises(StoreAuthError, match="403"):
        publish(a, B, [item(1, "乗っ取り")], catalog=kg)
    with pytest.raises(StoreAuthError, match="403"):
        a.delete_graph(graph_iri(B))
    with pytest.raises(StoreAuthError, match="403"):
        a.update(f"DROP GRAPH <{graph_iri(B)}>")
    with pytest.raises(StoreAuthError, match="403"):
        a.update("DROP ALL")
    with pytest.raises(StoreAuthError, match="403"):
        a.replace_graph("https://w3id.org/controlmap/shared", Graph())
    assert held_titles(proxy, B) == {"千代田の項目"}


def test_url_encoding_and_request_tricks_are_refused(proxy, kg):
    publish(client(proxy, B), B, [item(1, "千代田の項目")], catalog=kg)
    body = b'<https://example.org/x> <http://purl.org/dc/terms/title> "evil" .\n'
    nquads = f'<https://example.org/x> <http://purl.org/dc/terms/title> "evil" <{graph_iri(B)}> .\n'.encode()
    b_iri = graph_iri(B)
    tricks = [
        ("PUT", f"/store?graph={b_iri}"),                                    # unencoded
        ("PUT", "/store?" + enc(B).replace("%2F", "%2f")),                   # other case of the same bytes
        ("PUT", f"/store?{enc(A)}&{enc(B)}"),                                # own first, theirs second
        ("PUT", f"/store?{enc(B)}&{enc(A)}"),
        ("PUT", f"/store?{enc(A)}%00"),
        ("PUT", f"/store?{enc(A)}/../131016"),
        ("PUT", "/store?default"),
        ("PUT", "/store"),
        ("POST", "/store"),                                                  # a dataset load
        ("POST", f"/store?{enc(B)}"),
        ("DELETE", f"/store?{enc(B)}"),
        ("POST", "/store/..%2Fupdate"),
        ("POST", "/update"),
    ]
    for method, target in tricks:
        status = raw(proxy, method, target, body=body if method != "DELETE" else b"")
        assert status in (400, 403, 404), (method, target, status)
    assert raw(proxy, "POST", f"/store?{enc(A)}", body=nquads, content_type="application/n-quads") == 403
    assert raw(proxy, "PUT", f"/store?{enc(A)}", body=nquads, content_type="application/trig") == 403
    # SPARQL Update smuggled into the query endpoint
    update = f"DROP GRAPH <{b_iri}>".encode()
    assert raw(proxy, "POST", "/query", body=update, content_type="application/sparql-update") == 403
    form = urllib.parse.urlencode({"update": f"DROP GRAPH <{b_iri}>"}).encode()
    assert raw(proxy, "POST", "/query", body=form, content_type="application/x-www-form-urlencoded") in (400, 403)
    assert raw(proxy, "GET", "/query?" + urllib.parse.urlencode({"update": f"DROP GRAPH <{b_iri}>"})) in (400, 403)
    # no or wrong credential
    assert settled(proxy, "PUT", f"/store?{enc(A)}", user=None, body=body) == 401
    assert settled(proxy, "PUT", f"/store?{enc(A)}", password="wrong", body=body) == 401
    assert raw(proxy, "POST", "/update", user="admin", password="wrong", body=update,
               content_type="application/sparql-update") == 401
    assert held_titles(proxy, B) == {"千代田の項目"}
    # the same exact request with the own graph is accepted
    assert settled_put(proxy, f"/store?{enc(A)}", body) in (200, 201, 204)


def test_wrong_password_is_a_clear_error(proxy):
    with pytest.raises(StoreAuthError, match=r"401.*user name or password is wrong"):
        # retries only for a 503 of the one-writer slot still held by the previous test's write
        client(proxy, A, password="wrong", retries=3, backoff=0.05).replace_graph(graph_iri(A), Graph())


def test_administrator_may_update(proxy):
    admin = client(proxy, "admin")
    admin.update('INSERT DATA { GRAPH <https://w3id.org/controlmap/notice> { '
                 '<https://w3id.org/controlmap/notice> <http://purl.org/dc/terms/title> "保守のお知らせ" } }')
    assert "https://w3id.org/controlmap/notice" in admin.graphs()
    admin.delete_graph("https://w3id.org/controlmap/notice")


def test_parallel_publishers_through_the_proxy_lose_nothing(proxy, kg):
    """Every municipality publishes at once, and two clients of one municipality race on its graph."""

    def send(job: tuple[str, int]) -> None:
        code, version = job
        # a new client per job: nothing is shared between them but the proxy
        publish(client(proxy, code, retries=8, backoff=0.05), code,
                [item(k, f"{code} 版{version} 項目{k}") for k in range(1, 2 + version)], catalog=kg)

    jobs = [(code, version) for version in range(6) for code in (A, B, C)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(send, jobs))
    for code in (A, B, C):
        titles = held_titles(proxy, code)
        versions = {t.split(" ")[1] for t in titles}
        assert len(versions) == 1, titles  # one whole version, never a union of two
        version = int(versions.pop().removeprefix("版"))
        assert titles == {f"{code} 版{version} 項目{k}" for k in range(1, 2 + version)}


# -- hardening: federated queries, spellings of one graph, credentials of an earlier run ------------------
SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "PREFIX x: <{url}/> SELECT * WHERE {{ SeRvIcE x:sparql {{ ?s ?p ?o }} }}",
]


def test_oxigraph_itself_would_send_a_federated_request(proxy, listener):
    """Guard of the next test: behind the proxy, Oxigraph does call the host a SERVICE names."""
    url, hits = listener
    query = SERVICE_QUERIES[0].format(url=url)
    with contextlib.suppress(Exception):  # the listener answers no SPARQL; the request is what counts
        RemoteStore(proxy["server"].url, retries=0, timeout=10).select(query)
    assert hits, "Oxigraph no longer federates: the filter in front of it may be unnecessary"


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_a_municipality_cannot_make_the_server_call_another_host(proxy, listener, template):
    url, hits = listener
    query = template.format(url=url)
    as_get = "/query?" + urllib.parse.urlencode({"query": query})
    form = urllib.parse.urlencode({"query": query}).encode()
    answers = [
        raw_response(proxy, "POST", "/query", body=query.encode(), content_type="application/sparql-query"),
        raw_response(proxy, "POST", "/query", body=form, content_type="application/x-www-form-urlencoded"),
        raw_response(proxy, "GET", as_get),
        raw_response(proxy, "GET", as_get.replace("query=", "query=%20", 1)),
    ]
    for status, body in answers:
        assert status == 403 and b"SERVICE" in body, (status, body)
    with pytest.raises(StoreAuthError, match="403"):
        client(proxy, B).select(query)
    assert hits == []


def test_ordinary_queries_still_pass_the_filter(proxy, kg):
    publish(client(proxy, A), A, [item(1, "杉並の項目")], catalog=kg)
    rows = client(proxy, B).select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(rows[0]["n"].toPython()) > 0
    assert raw(proxy, "GET", "/query?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")) == 200


def _body(tag: str, n: int = 3000) -> bytes:
    return "".join(f'<https://example.org/{tag}/{k}> <http://purl.org/dc/terms/title> "{tag}" .\n'
                   for k in range(n)).encode()


def settled(proxy, method: str, target: str, **kw) -> int:
    """Status of a write once the one-writer slot is free.

    nginx counts the slot before it checks the credential (limit_conn runs before auth_basic), and frees it
    just after the previous answer was sent; so a write right after another may see 503 whatever it carries.
    """
    for _ in range(100):
        status = raw(proxy, method, target, **kw)
        if status != 503:
            return status
        time.sleep(0.02)
    return status


def settled_put(proxy, target: str, body: bytes) -> int:
    """PUT once the one-writer slot is free (see :func:`settled`)."""
    return settled(proxy, "PUT", target, body=body)


def test_two_spellings_of_one_graph_share_the_one_writer_rule(proxy):
    """%2F and %2f name one graph: both are A's own graph, and two PUTs at once never leave a union."""
    upper = "/store?" + enc(A)
    lower = "/store?" + enc(A).replace("%2F", "%2f").replace("%3A", "%3a")
    assert upper != lower
    for target in (upper, lower):
        assert settled_put(proxy, target, _body("one", 1)) in (200, 201, 204)
    for _ in range(10):
        with ThreadPoolExecutor(max_workers=2) as pool:
            statuses = list(pool.map(lambda job: raw(proxy, "PUT", job[0], body=_body(job[1])),
                                     [(upper, "upper"), (lower, "lower")]))
        assert set(statuses) <= {200, 201, 204, 503}, statuses
        held = {str(o) for o in RemoteStore(proxy["server"].url).get_graph(graph_iri(A)).objects()}
        assert len(held) == 1, held  # one whole body, never the union of both
    assert settled_put(proxy, upper, _body("last", 1)) in (200, 201, 204)  # leave the slot free


def test_a_busy_graph_says_another_publish_is_in_progress(proxy):
    target = "/store?" + enc(A)
    for _ in range(20):
        with ThreadPoolExecutor(max_workers=3) as pool:
            answers = list(pool.map(lambda _: raw_response(proxy, "PUT", target, body=_body("busy")), range(3)))
        busy = [body for status, body in answers if status == 503]
        if busy:
            break
    assert busy, "no concurrent write was refused in 20 rounds"
    assert b"another publish to this graph (the same municipality) is in progress" in busy[0]
    assert settled_put(proxy, target, _body("last", 1)) in (200, 201, 204)


def test_rerun_keeps_the_passwords_not_yet_handed_out(tmp_path):
    out = tmp_path / "p"
    script = [sys.executable, str(REPO / "deploy" / "make_proxy.py"), "--out", str(out)]
    subprocess.run([*script, "--codes", A, B], check=True, capture_output=True, timeout=60)
    with (out / "new-credentials.csv").open(encoding="utf-8") as fh:
        first = {r["user"]: r["password"] for r in csv.DictReader(fh)}
    subprocess.run([*script, "--codes", A, B, C, "--rotate", B], check=True, capture_output=True, timeout=60)
    with (out / "new-credentials.csv").open(encoding="utf-8") as fh:
        second = {r["user"]: r["password"] for r in csv.DictReader(fh)}
    assert second[A] == first[A] and second["admin"] == first["admin"]  # still pending: kept
    assert second[B] != first[B] and C in second  # rotated, added
    assert oct((out / "new-credentials.csv").stat().st_mode & 0o777) == "0o600"
    subprocess.run([*script, "--codes", A], check=True, capture_output=True, timeout=60)
    with (out / "new-credentials.csv").open(encoding="utf-8") as fh:
        assert {r["user"] for r in csv.DictReader(fh)} == {A, "admin"}  # removed users' lines go
