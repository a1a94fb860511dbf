"""RemoteStore: any SPARQL 1.1 server over HTTP (Query, Update, Graph Store Protocol), with timeouts and retries."""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from rdflib import BNode, Graph, Literal, URIRef

from ..errors import (
    StoreAuthError,
    StoreError,
    StoreRequestError,
    StoreTimeoutError,
    StoreUnavailableError,
)
from .base import Row, Store, check_graph_iri
from .endpoints import LAYOUTS, split_server

__all__ = ["RemoteStore", "parse_select_json", "split_credentials"]

RETRY_STATUS = frozenset({500, 502, 503, 504})
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``(url without user:password@, user, password)``; the password never stays in a printed URL.

    >>> split_credentials("http://131156:s%40cret@127.0.0.1:8080/")
    ('http://127.0.0.1:8080', '131156', 's@cret')
    >>> split_credentials("http://127.0.0.1:7878")
    ('http://127.0.0.1:7878', None, None)
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreRequestError(f"not an http(s) URL of a SPARQL server: {url!r}")
    user = urllib.parse.unquote(parts.username) if parts.username is not None else None
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), parts.query, ""))
    return clean, user, password


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _term(cell: dict):
    kind = cell.get("type")
    value = cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in cell:
            return Literal(value, lang=cell["xml:lang"])
        if "datatype" in cell:
            return Literal(value, datatype=URIRef(cell["datatype"]))
        return Literal(value)
    raise StoreRequestError(f"unsupported term in SPARQL JSON results: {cell!r}")


def parse_select_json(data: bytes | str) -> list[Row]:
    """Rows of a SPARQL 1.1 Query Results JSON document.

    >>> parse_select_json('{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal",'
    ...     '"value":"2","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}')[0]["n"].toPython()
    2
    """
    try:
        doc = json.loads(data)
        bindings = doc["results"]["bindings"]
    except (ValueError, KeyError, TypeError) as err:
        raise StoreRequestError(f"the server did not answer with SPARQL JSON results: {err}") from err
    return [{name: _term(cell) for name, cell in b.items()} for b in bindings]


class RemoteStore(Store):
    """A SPARQL 1.1 server; by default Oxigraph's layout (``/query``, ``/update``, ``/store``) under ``url``.

    Parameters
    ----------
    url
        Base URL, e.g. ``http://127.0.0.1:7878`` (Oxigraph) or the reverse proxy in front of it;
        ``virtuoso+http://…`` / ``fuseki+http://…/ds`` / ``graphdb+http://…/repositories/id`` pick that layout.
        ``user:password@`` in the URL is taken as the credential and removed from :attr:`url`.
    server
        A layout of :data:`controlmap.store.endpoints.LAYOUTS` (``oxigraph``, ``fuseki``, ``virtuoso``, ``graphdb``).
    query_endpoint, update_endpoint, store_endpoint
        Full URLs for any other layout; they override the layout's.
    protocol
        ``"form"`` (default: ``query=`` / ``update=`` form-encoded POST, which every server answers) or
        ``"direct"`` (``application/sparql-query`` / ``application/sparql-update`` bodies).
    user, password
        HTTP Basic credential (one per municipality behind the shared server's proxy).
    timeout
        Seconds to wait for each request.
    retries, backoff
        Failed requests that are safe to repeat are tried ``retries`` more times, waiting ``backoff``,
        then twice as long each time (at most 8 s per wait).
    """

    def __init__(self, url: str, *, server: str | None = None, query_endpoint: str | None = None,
                 update_endpoint: str | None = None, store_endpoint: str | None = None, protocol: str = "form",
                 user: str | None = None, password: str | None = None,
                 timeout: float = 10.0, retries: int = 3, backoff: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep):
        named, url = split_server(url)
        base, url_user, url_password = split_credentials(url)
        name = (server or named or "oxigraph").lower()
        if name not in LAYOUTS:
            raise StoreRequestError(f"unknown SPARQL server layout {name!r}; known: {', '.join(LAYOUTS)}")
        if protocol not in ("form", "direct"):
            raise StoreRequestError(f"protocol must be 'form' or 'direct', not {protocol!r}")
        self.layout = LAYOUTS[name]
        self.protocol = protocol
        self.url = base
        self.query_endpoint = query_endpoint or base + self.layout.query
        self.update_endpoint = update_endpoint or base + self.layout.update
        self.store_endpoint = store_endpoint or base + self.layout.store
        self.user = user if user is not None else url_user
        password = password if password is not None else url_password
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.backoff = max(0.0, float(backoff))
        self._sleep = sleep
        self._auth = None
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{password or ''}".encode()).decode("ascii")
            self._auth = f"Basic {token}"
        host = urllib.parse.urlsplit(base).hostname
        # never send loopback traffic to an HTTP proxy
        proxies: dict[str, str] | None = {} if _is_loopback(host) else None
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies))
        # Oxigraph does not serialise two concurrent replacements of one graph (their union can remain):
        # writes to one graph from this process go one at a time; the shared server's proxy does the
        # same across processes (limit_conn in deploy/nginx.conf.template).
        self._graph_locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def _graph_lock(self, graph_iri: str) -> threading.Lock:
        with self._locks_guard:
            return self._graph_locks.setdefault(graph_iri, threading.Lock())

    # -- the Store interface -------------------------------------------------------------
    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        body = graph.serialize(format="nt", encoding="utf-8")
        with self._graph_lock(graph_iri):
            self._request("PUT", self._graph_url(graph_iri), body=body,
                          headers={"Content-Type": "application/n-triples"}, what=f"replace graph <{graph_iri}>")

    def get_graph(self, graph_iri: str) -> Graph:
        status, data = self._request("GET", self._graph_url(graph_iri), headers={"Accept": "application/n-triples"},
                                     what=f"read graph <{graph_iri}>", missing_ok=True)
        out = Graph()
        if status != 404 and data.strip():
            out.parse(data=data.decode("utf-8"), format="nt")
        return out

    def delete_graph(self, graph_iri: str) -> None:
        with self._graph_lock(graph_iri):
            self._request("DELETE", self._graph_url(graph_iri), what=f"delete graph <{graph_iri}>", missing_ok=True)

    def _body(self, kind: str, text: str) -> tuple[bytes, str]:
        if self.protocol == "direct":
            return text.encode("utf-8"), f"application/sparql-{kind}; charset=utf-8"
        return urllib.parse.urlencode({kind: text}).encode("ascii"), "application/x-www-form-urlencoded"

    def select(self, query: str) -> list[Row]:
        body, content_type = self._body("query", query)
        _, data = self._request("POST", self.query_endpoint, body=body,
                                headers={"Content-Type": content_type, "Accept": "application/sparql-results+json"},
                                what="run a SPARQL query")
        return parse_select_json(data)

    def update(self, update: str) -> None:
        # not idempotent in general: repeated only when the connection was refused (nothing was sent)
        body, content_type = self._body("update", update)
        self._request("POST", self.update_endpoint, body=body, headers={"Content-Type": content_type},
                      what="run a SPARQL update", idempotent=False)

    def graphs(self) -> list[str]:
        """Named graphs holding triples, without the server's own system graphs (Virtuoso lists several)."""
        system = self.layout.system_graphs
        return [g for g in super().graphs() if not g.startswith(system)] if system else super().graphs()

    def ping(self) -> None:
        """Raise a :class:`~controlmap.errors.StoreError` unless the server answers a trivial query."""
        self.select("SELECT * WHERE { } LIMIT 1")

    # -- HTTP ----------------------------------------------------------------------------
    def _graph_url(self, graph_iri: str) -> str:
        # percent-encode everything but unreserved characters: the proxy compares this exact form
        return f"{self.store_endpoint}?graph={urllib.parse.quote(check_graph_iri(graph_iri), safe='')}"

    def _request(self, method: str, url: str, *, body: bytes | None = None, headers: dict | None = None,
                 what: str, idempotent: bool = True, missing_ok: bool = False) -> tuple[int, bytes]:
        headers = dict(headers or {})
        headers.setdefault("User-Agent", "controlmap-store")
        if self._auth:
            headers["Authorization"] = self._auth
        attempts = 0
        started = time.monotonic()
        wait = self.backoff
        while True:
            attempts += 1
            error: StoreError
            retryable: bool
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as err:
                status = err.code
                detail = _detail(err)
                err.close()
                if status == 404 and missing_ok:
                    return 404, b""
                if status in (401, 403):
                    hint = ("the user name or password is wrong" if status == 401 else
                            "this credential may not do this: a municipality may only replace or delete its own "
                            "graph and run queries")
                    raise StoreAuthError(f"{self.url} refused to {what} ({status} {err.reason}): {hint}. {detail}"
                                         .rstrip(), url=self.url, attempts=attempts) from None
                if status not in RETRY_STATUS:
                    raise StoreRequestError(f"{self.url} rejected the request to {what} ({status} {err.reason}). "
                                            f"{detail}".rstrip(), url=self.url, attempts=attempts) from None
                error = StoreUnavailableError(f"{self.url} failed to {what} ({status} {err.reason}). {detail}"
                                              .rstrip(), url=self.url)
                retryable = idempotent
            except TimeoutError:
                error = StoreTimeoutError(f"{self.url} did not answer within {self.timeout:g} s when asked to "
                                          f"{what}", url=self.url)
                retryable = idempotent
            except urllib.error.URLError as err:
                reason = err.reason
                if isinstance(reason, (TimeoutError, socket.timeout)):
                    error = StoreTimeoutError(f"{self.url} did not answer within {self.timeout:g} s when asked to "
                                              f"{what}", url=self.url)
                    retryable = idempotent
                else:
                    error = StoreUnavailableError(f"cannot reach the SPARQL server at {self.url} to {what}: "
                                                  f"{_reason(reason)}", url=self.url)
                    retryable = idempotent or isinstance(reason, ConnectionRefusedError)
            except (ConnectionError, http.client.HTTPException, OSError) as err:
                error = StoreUnavailableError(f"the connection to {self.url} failed when asked to {what}: "
                                              f"{_reason(err)}", url=self.url)
                retryable = idempotent or isinstance(err, ConnectionRefusedError)
            if not retryable or attempts > self.retries:
                elapsed = time.monotonic() - started
                tried = f" (tried {attempts} times over {elapsed:.1f} s)" if attempts > 1 else ""
                if not idempotent and isinstance(error, StoreTimeoutError):
                    tried += "; the update may or may not have been applied"
                error.attempts = attempts
                raise type(error)(f"{error}{tried}; check that the server runs, then try again",
                                  url=self.url, attempts=attempts) from None
            self._sleep(wait)
            wait = min(8.0, wait * 2 if wait else 0.0)


def _detail(err: urllib.error.HTTPError) -> str:
    try:
        text = err.read(600).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return f"Server says: {text[:500]}" if text else ""


def _reason(reason) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    return str(reason) or type(reason).__name__
