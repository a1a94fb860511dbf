"""The three store back ends behave alike; the real Oxigraph server survives interrupted and parallel writes."""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar

import pytest
from rdflib import Graph, Literal, URIRef
from servers.kb import KB_SERVERS, kb_server

from controlmap.errors import (
    StoreAuthError,
    StoreRequestError,
    StoreTimeoutError,
    StoreUnavailableError,
)
from controlmap.store import MemoryStore, OxigraphStore, RemoteStore, open_store
from controlmap.store.server import OxigraphServer, free_port

G1 = "https://example.org/kb/g1"
G2 = "https://example.org/kb/g2"


def small_graph(tag: str, n: int = 3) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"https://example.org/s/{i}"), URIRef("https://example.org/p"),
               Literal(f"{tag} 値{i}", lang="ja")))
    return g


def values(store, iri: str) -> set[str]:
    return {str(o) for o in store.get_graph(iri).objects()}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("oxigraph")
    with OxigraphServer(base / "db", log=base / "server.log") as srv:
        yield srv


@pytest.fixture(scope="module", params=KB_SERVERS)
def kb(request, tmp_path_factory):
    """Each shared-KB server in turn (Oxigraph, Virtuoso 7), started here on 127.0.0.1 with its own folder."""
    with kb_server(request.param, tmp_path_factory.mktemp(f"kb-{request.param}")) as srv:
        yield srv


@pytest.fixture(params=["memory", "oxigraph", "remote", "virtuoso"])
def store(request, tmp_path, server, tmp_path_factory):
    if request.param == "memory":
        s = open_store()
    elif request.param == "oxigraph":
        s = open_store(f"oxigraph:{tmp_path / 'db'}")
    else:
        if request.param == "virtuoso":
            server = request.getfixturevalue("virtuoso")
        s = open_store(server.url, timeout=10, retries=1)
        for g in s.graphs():
            s.delete_graph(g)
    yield s
    s.close()


def test_open_store_picks_the_back_end(tmp_path, server):
    assert isinstance(open_store(), MemoryStore)
    assert isinstance(open_store(None), MemoryStore)
    assert isinstance(open_store("memory:"), MemoryStore)
    with open_store(tmp_path / "a") as s:
        assert isinstance(s, OxigraphStore)
    with open_store(f"oxigraph:{tmp_path / 'b'}") as s:
        assert isinstance(s, OxigraphStore)
    remote = open_store(server.url.replace("http://", "http://131156:pw@"))
    assert isinstance(remote, RemoteStore) and remote.url == server.url and remote.user == "131156"
    with pytest.raises(StoreRequestError):
        open_store("ftp://127.0.0.1/x")


def test_replace_get_delete_and_list(store):
    store.replace_graph(G1, small_graph("old", 3))
    store.replace_graph(G2, small_graph("other", 2))
    store.replace_graph(G1, small_graph("new", 2))  # replaces, does not add
    assert values(store, G1) == {"new 値0", "new 値1"}
    assert values(store, G2) == {"other 値0", "other 値1"}
    assert store.graphs() == [G1, G2]
    rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }} ORDER BY ?o")
    assert [(str(r["o"]), r["o"].language) for r in rows] == [("other 値0", "ja"), ("other 値1", "ja")]
    store.delete_graph(G1)
    store.delete_graph(G1)  # deleting a missing graph is fine
    assert store.graphs() == [G2]
    assert len(store.get_graph(G1)) == 0


def test_graph_iris_cannot_inject_sparql(store):
    for bad in ("https://x/> } ; DROP ALL ; #", "not an iri", "https://x/a b"):
        with pytest.raises(StoreRequestError):
            store.replace_graph(bad, small_graph("x"))
        with pytest.raises(StoreRequestError):
            store.delete_graph(bad)


def test_update_and_bad_query_give_store_errors(store):
    store.update(f'INSERT DATA {{ GRAPH <{G1}> {{ <https://example.org/a> <https://example.org/p> "u" }} }}')
    assert values(store, G1) == {"u"}
    with pytest.raises(StoreRequestError):
        store.select("SELEKT nothing")


# --- atomic replacement on the real server ------------------------------------------------------------

def _raw(url: str, method: str, path: str, body: bytes, content_type: str) -> int:
    import urllib.request

    req = urllib.request.Request(url + path, data=body, method=method, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


def test_server_side_rejection_leaves_previous_graph(server):
    store = RemoteStore(server.url, retries=0)
    store.replace_graph(G1, small_graph("kept", 3))
    # valid triples first, then a syntax error: the server rejects the whole request
    body = "".join(f'<https://example.org/s/{i}> <https://example.org/p> "new {i}" .\n' for i in range(500))
    status = _raw(server.url, "PUT", "/store?graph=" + urllib.parse.quote(G1, safe=""),
                  (body + "this is not N-Triples\n").encode(), "application/n-triples")
    assert status == 400
    assert values(store, G1) == {"kept 値0", "kept 値1", "kept 値2"}


CLIENT = """
import socket, sys, time
host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = b"".join(b'<https://example.org/s/%d> <https://example.org/p> "half %d" .\\n' % (i, i) for i in range(100000))
s = socket.create_connection((host, port))
s.sendall(b"PUT " + path.encode() + b" HTTP/1.1\\r\\nHost: " + host.encode() + b"\\r\\n"
          b"Content-Type: application/n-triples\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(body))
s.sendall(body[: len(body) // 2])
print("sent half", flush=True)
time.sleep(60)
"""


def test_client_killed_mid_request_leaves_previous_graph(server):
    store = RemoteStore(server.url, retries=0)
    store.replace_graph(G1, small_graph("kept", 3))
    path = "/store?graph=" + urllib.parse.quote(G1, safe="")
    proc = subprocess.Popen([sys.executable, "-c", CLIENT, server.host, str(server.port), path],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "sent half"
        time.sleep(0.3)  # the server is now reading the body
    finally:
        proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:  # the server notices the closed connection
        assert values(store, G1) == {"kept 値0", "kept 値1", "kept 値2"}
        time.sleep(0.2)
    store.replace_graph(G1, small_graph("after", 1))  # and the server still accepts writes
    assert values(store, G1) == {"after 値0"}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with kb_server("virtuoso", tmp_path_factory.mktemp("virtuoso")) as srv:
        yield srv


def test_parallel_writers_lose_nothing_and_never_mix(kb):
    store = RemoteStore(kb.url, timeout=30, retries=2)
    graphs = [f"https://example.org/kb/parallel/{i}" for i in range(24)]

    def write(i: int) -> None:
        store.replace_graph(graphs[i], small_graph(f"graph {i}", 50 + i))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(len(graphs))))
    for i, iri in enumerate(graphs):
        assert values(store, iri) == {f"graph {i} 値{k}" for k in range(50 + i)}

    # threads of one client race on one graph: the result is always one version whole, never a mix
    # (Oxigraph itself would keep the union of two concurrent replacements; RemoteStore serialises
    # them, and the proxy of deploy/ does so across clients: see test_store_proxy.py)
    a, b = small_graph("A", 200), small_graph("B", 150)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda k: store.replace_graph(G2, a if k % 2 else b), range(20)))
    held = values(store, G2)
    assert held in ({f"A 値{k}" for k in range(200)}, {f"B 値{k}" for k in range(150)})


# --- failures: down, slow, refusing -------------------------------------------------------------------

def test_server_down_gives_clear_error_after_retries():
    port = free_port()
    waits: list[float] = []
    store = RemoteStore(f"http://127.0.0.1:{port}", timeout=2, retries=3, backoff=0.25, sleep=waits.append)
    with pytest.raises(StoreUnavailableError) as info:
        store.select("SELECT * WHERE { } LIMIT 1")
    assert info.value.attempts == 4
    assert waits == [0.25, 0.5, 1.0]
    assert "connection refused" in str(info.value) and f"127.0.0.1:{port}" in str(info.value)


def test_cli_reports_a_down_server_without_traceback():
    port = free_port()
    proc = subprocess.run([sys.executable, "-m", "controlmap.cli", "peers", "--store", f"http://127.0.0.1:{port}",
                           "--retries", "1", "--timeout", "2"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "cannot reach the SPARQL server" in proc.stderr and "tried 2 times" in proc.stderr


@pytest.fixture
def silent_server():
    """A loopback socket that accepts connections and never answers (a hung server)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        deadline = time.monotonic() + 60
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = sock.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    sock.close()


def test_slow_server_times_out_after_retries(silent_server):
    store = RemoteStore(silent_server, timeout=0.3, retries=1, backoff=0.01)
    with pytest.raises(StoreTimeoutError) as info:
        store.select("SELECT * WHERE { } LIMIT 1")
    assert info.value.attempts == 2
    assert "did not answer within 0.3 s" in str(info.value)
    with pytest.raises(StoreTimeoutError) as info:  # a raw update is not repeated: it may have been applied
        store.update("CLEAR ALL")
    assert info.value.attempts == 1 and "may or may not have been applied" in str(info.value)


class _Scripted(http.server.BaseHTTPRequestHandler):
    """Answers with the next status of ``script`` (then 200 with an empty SPARQL result)."""

    script: ClassVar[list[int]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        status = self.script.pop(0) if self.script else 200
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}' if status == 200 else b"busy"
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json" if status == 200 else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def scripted():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_busy_server_is_retried_with_backoff(scripted):
    _Scripted.script = [503, 502]
    waits: list[float] = []
    store = RemoteStore(f"http://127.0.0.1:{scripted.server_port}", retries=3, backoff=0.1, sleep=waits.append)
    assert store.select("SELECT ?x WHERE { }") == []
    assert waits == [0.1, 0.2]


def test_refused_credential_is_not_retried(scripted):
    for status in (401, 403):
        _Scripted.script = [status, 200]
        store = RemoteStore(f"http://127.0.0.1:{scripted.server_port}", user="131156", password="x", retries=3,
                            sleep=lambda s: None)
        with pytest.raises(StoreAuthError) as info:
            store.replace_graph(G1, small_graph("x"))
        assert info.value.attempts == 1
    _Scripted.script = [400]
    with pytest.raises(StoreRequestError):
        RemoteStore(f"http://127.0.0.1:{scripted.server_port}", retries=3).select("SELECT * WHERE { }")


def test_serve_local_starts_and_stops_a_loopback_server(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "controlmap.cli", "serve-local", "--location", str(tmp_path / "kb"),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "Oxigraph serves" in proc.stdout.readline()
        store = RemoteStore(f"http://127.0.0.1:{port}", retries=0)
        store.replace_graph(G1, small_graph("local", 1))
        assert values(store, G1) == {"local 値0"}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == 0
    with pytest.raises(StoreUnavailableError):  # the Oxigraph child stopped with it
        RemoteStore(f"http://127.0.0.1:{port}", retries=0).ping()


def test_store_urls_pick_the_endpoint_layout_and_protocol():
    v = open_store("virtuoso+http://127.0.0.1:8890")
    assert (v.query_endpoint, v.update_endpoint, v.store_endpoint) == (
        "http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql-graph-crud")
    f = open_store("fuseki+http://127.0.0.1:3030/ds", protocol="direct")
    assert (f.query_endpoint, f.store_endpoint, f.protocol) == (
        "http://127.0.0.1:3030/ds/query", "http://127.0.0.1:3030/ds/data", "direct")
    own = open_store("http://127.0.0.1:1/x", query_endpoint="http://127.0.0.1:2/q")
    assert (own.query_endpoint, own.update_endpoint) == ("http://127.0.0.1:2/q", "http://127.0.0.1:1/x/update")
    assert v._body("query", "ASK {}") == (b"query=ASK+%7B%7D", "application/x-www-form-urlencoded")
    assert f._body("update", "CLEAR ALL") == (b"CLEAR ALL", "application/sparql-update; charset=utf-8")
    with pytest.raises(StoreRequestError, match="layout"):
        RemoteStore("http://127.0.0.1:1", server="nope")


def test_virtuoso_system_graphs_are_not_listed(virtuoso):
    store = open_store(virtuoso.url)
    raw = {str(r["g"]) for r in store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert any(g.startswith("http://www.openlinksw.com/") for g in raw)  # Virtuoso's own graphs are there
    assert not any(g.startswith("http://www.openlinksw.com/") for g in store.graphs())


def test_cli_store_endpoint_options_reach_the_store():
    import argparse

    from controlmap.cli.common import add_store_options, store_options
    from controlmap.workflows.shared_kb import open_store_with, shown_url

    parser = argparse.ArgumentParser()
    add_store_options(parser)
    args = parser.parse_args(["--store", "virtuoso+http://u:pw@127.0.0.1:8890", "--sparql-protocol", "direct",
                              "--store-endpoint", "http://127.0.0.1:8890/sparql-graph-crud-auth"])
    options = store_options(args)
    assert options is not None and shown_url(options.url) == "virtuoso+http://127.0.0.1:8890"
    store = open_store_with(options)
    assert (store.protocol, store.store_endpoint, store.query_endpoint) == (
        "direct", "http://127.0.0.1:8890/sparql-graph-crud-auth", "http://127.0.0.1:8890/sparql")
