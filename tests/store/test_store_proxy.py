"""The deployment recipe of deploy/ on loopback: nginx in front of Oxigraph, one credential per municipality.

Runs deploy/make_proxy.py as a prefecture would, starts Debian's nginx with the rendered config on
127.0.0.1, and shows that a municipality's credential can replace its own graph, read everything,
and can neither change nor delete another's graph nor run a raw SPARQL update.
"""

from __future__ import annotations

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
            raise RuntimeError(f"nginx exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not listen in time")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    base = tmp_path_factory.mktemp("proxy")
    with OxigraphServer(base / "db", log=base / "oxigraph.log") as server:
        port = free_port()
        out = base / "proxy"
        cmd = [sys.executable, str(REPO / "deploy" / "make_proxy.py"), "--codes", A, B, C, "--out", str(out),
               "--listen", f"127.0.0.1:{port}", "--upstream", f"127.0.0.1:{server.port}"]
        if os.geteuid() == 0:  # workers must read the htpasswd in this private temporary directory
            cmd += ["--worker-user", "root"]
        subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60)
        with (out / "new-credentials.csv").open(encoding="utf-8") as fh:
            passwords = {row["user"]: row["password"] for row in csv.DictReader(fh)}
        proc = subprocess.Popen([NGINX, "-p", str(out), "-c", str(out / "nginx.conf"), "-g", "daemon off;"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_port(port, proc)
            yield {"url": f"http://127.0.0.1:{port}", "passwords": passwords, "server": server, "out": out}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            proc.stderr.close()


def client(proxy, user: str, password: str | None = None, **kw) -> RemoteStore:
    return RemoteStore(proxy["url"], user=user, password=password or proxy["passwords"][user],
                       **{"timeout": 10, "retries": 0, **kw})


def raw(proxy, method: str, target: str, *, user: str | None = A, password: str | None = None, body: bytes = b"",
        content_type: str = "application/n-triples") -> int:
    """Status of one hand-made request (tricks a client library would never send)."""
    import base64

    headers = {"Content-Type": content_type} if body or method in ("PUT", "POST") else {}
    if user:
        secret = password or proxy["passwords"][user]
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()
    conn = http.client.HTTPConnection("127.0.0.1", int(proxy["url"].rsplit(":", 1)[1]), timeout=10)
    try:
        conn.request(method, target, body=body or None, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
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
    assert raw(proxy, "PUT", f"/store?{enc(A)}", user=None, body=body) == 401
    assert raw(proxy, "PUT", f"/store?{enc(A)}", password="wrong", body=body) == 401
    assert raw(proxy, "POST", "/update", user="admin", password="wrong", body=update,
               content_type="application/sparql-update") == 401
    assert held_titles(proxy, B) == {"千代田の項目"}
    # the same exact request with the own graph is accepted
    assert raw(proxy, "PUT", f"/store?{enc(A)}", body=body) in (200, 201, 204)


def test_wrong_password_is_a_clear_error(proxy):
    with pytest.raises(StoreAuthError, match="401.*user name or password is wrong"):
        client(proxy, A, password="wrong").replace_graph(graph_iri(A), Graph())


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
