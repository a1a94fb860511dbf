"""A private OpenLink Virtuoso 7 (Debian's ``virtuoso-opensource``) on 127.0.0.1, for interop tests.

Virtuoso is the second SPARQL 1.1 server the store code is tried against (Oxigraph is the first). This helper
starts one with its own database folder and a generated ``virtuoso.ini`` (free HTTP and SQL ports on loopback,
``DirsAllowed`` limited to that folder, no VAD packages, no demo database), waits until the SPARQL endpoint
answers, grants the anonymous ``SPARQL`` account what SPARQL 1.1 Update and the Graph Store Protocol need, and
stops the server again.

    with VirtuosoServer(tmp_path / "virtuoso") as v:
        v.query_url    # http://127.0.0.1:PORT/sparql             queries: form-encoded POST or GET only
        v.update_url   # the same URL                             updates: update= form-encoded (or direct POST)
        v.gsp_url      # http://127.0.0.1:PORT/sparql-graph-crud  Graph Store Protocol, ?graph=IRI, no auth
        v.isql("SPARQL CLEAR GRAPH <http://example.org/g>;")       # SQL as dba through isql-vt

Facts found with this helper on Virtuoso 7.2.5.1 (Debian 12, 7.2.5.1+dfsg1-0.3):

* Queries: ``POST /sparql`` form-encoded (``query=...``, ``application/x-www-form-urlencoded``) and
  ``GET /sparql?query=...`` answer in a few ms. A direct POST (``Content-Type: application/sparql-query``,
  SPARQL 1.1 Protocol 2.1.3) is never answered: the connection stays open until the client's timeout (tried
  5 s and 70 s), with or without ``; charset=utf-8``.
* Updates: ``POST /sparql`` with ``update=...`` form-encoded, and also a direct POST with
  ``Content-Type: application/sparql-update``, answer 200 with a one-row result set (``callret-0``:
  "Insert into <g>, 1 (or less) triples -- done"), not 204. Without ``GRANT SPARQL_UPDATE TO "SPARQL"``
  (done here) they fail with HTTP 500 ``SR186:SECURITY: No permission to execute procedure
  DB.DBA.SPARQL_INSERT_DICT_CONTENT``.
* Graph Store Protocol: ``/sparql-graph-crud?graph=IRI`` needs no auth once ``SPARQL_UPDATE`` is granted
  (before: 403 ``SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD``). PUT replaces the graph
  (201 for a new graph, 200 for an existing one), POST adds (200), GET answers N-Triples or Turtle by Accept,
  DELETE answers 200; GET or DELETE of a missing graph answers 404, HEAD answers 501, ``?default`` is refused
  with 500 (error 22023). ``/sparql-graph-crud-auth`` asks for HTTP Digest (realm "SPARQL"; ``dba``/``dba`` on a
  fresh database).
* Results: JSON results write typed literals as ``"type": "typed-literal"`` (the SPARQL 1.0 JSON form); no
  Accept gives SPARQL XML results; N-Triples output escapes non-ASCII as ``\\uXXXX`` and separates terms by tabs.
* The default graph of a query is the union of all graphs, and ``GRAPH ?g`` also lists Virtuoso's own system
  graphs (``http://www.openlinksw.com/schemas/virtrdf#``, ``http://www.w3.org/ns/ldp#``, ...).
* A fresh database answers after about 1.6–3.6 s on this machine; the server stops (SQL ``SHUTDOWN``) in < 0.1 s.

Run ``python tests/servers/virtuoso.py [--dir DIR]`` to start one in the foreground and print its endpoints.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

VIRTUOSO_T = shutil.which("virtuoso-t") or ("/usr/bin/virtuoso-t" if Path("/usr/bin/virtuoso-t").exists() else None)
ISQL = shutil.which("isql-vt") or ("/usr/bin/isql-vt" if Path("/usr/bin/isql-vt").exists() else None)

# what the anonymous SPARQL web account needs for SPARQL 1.1 Update and /sparql-graph-crud
GRANTS = ('GRANT SPARQL_UPDATE TO "SPARQL";',)

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = {d}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 256M
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/vsp
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DefaultGraph = http://localhost:{http_port}/dataspace
DeferInferenceRulesInit = 0
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class VirtuosoServer:
    """One private Virtuoso on loopback; a context manager (``start()`` / ``stop()`` by hand also work)."""

    def __init__(self, directory: str | Path | None = None, *, http_port: int | None = None,
                 sql_port: int | None = None, grant: bool = True, start_timeout: float = 60.0):
        if VIRTUOSO_T is None or ISQL is None:
            raise RuntimeError("virtuoso-t / isql-vt not found: install Debian's virtuoso-opensource")
        self._tmp = None if directory else tempfile.TemporaryDirectory(prefix="virtuoso-")
        self.directory = Path(directory or self._tmp.name).resolve()
        self.http_port = http_port or free_port()
        self.sql_port = sql_port or free_port()
        self.grant = grant
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.started_in: float | None = None  # seconds from exec to the first SPARQL answer

    # endpoints
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def update_url(self) -> str:
        return self.base + "/sparql"

    @property
    def gsp_url(self) -> str:
        return self.base + "/sparql-graph-crud"

    @property
    def gsp_auth_url(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    @property
    def log(self) -> Path:
        return self.directory / "virtuoso.log"

    def isql(self, *statements: str, timeout: float = 60.0) -> str:
        """Run SQL statements as dba through isql-vt; returns its output, raises on failure."""
        script = "\n".join(statements) + "\nEXIT;\n"
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba"], input=script,
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or "*** Error" in done.stdout or "*** Error" in done.stderr:
            raise RuntimeError(f"isql-vt failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def _answers(self) -> bool:
        body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
        request = urllib.request.Request(self.query_url, data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def start(self) -> VirtuosoServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "vsp").mkdir(exist_ok=True)
        ini = self.directory / "virtuoso.ini"
        ini.write_text(INI.format(d=self.directory, http_port=self.http_port, sql_port=self.sql_port),
                       encoding="utf-8")
        t0 = time.monotonic()
        self.proc = subprocess.Popen([VIRTUOSO_T, "+foreground", "+configfile", str(ini)], cwd=self.directory,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = t0 + self.start_timeout
        while not self._answers():
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.proc.returncode}; see {self.log}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Virtuoso did not answer within {self.start_timeout:.0f} s; see {self.log}")
            time.sleep(0.2)
        self.started_in = time.monotonic() - t0
        if self.grant:
            try:
                self._grant()
            except BaseException:
                self.stop()
                raise
        return self

    def _grant(self) -> None:
        for statement in GRANTS:
            try:
                self.isql(statement)
            except RuntimeError as err:  # a reused database folder keeps its grants
                if "already have role" not in str(err):
                    raise

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:  # a clean shutdown (checkpoint) through SQL; terminate if it does not come
                subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba"], input="SHUTDOWN;\n",
                               capture_output=True, text=True, timeout=30)
                self.proc.wait(timeout=30)
            except (subprocess.TimeoutExpired, OSError):
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=10)
        self.proc = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Start a private Virtuoso on 127.0.0.1 until interrupted.")
    parser.add_argument("--dir", help="database folder (default: a temporary one, removed on exit)")
    parser.add_argument("--http-port", type=int)
    parser.add_argument("--sql-port", type=int)
    args = parser.parse_args(argv)
    with VirtuosoServer(args.dir, http_port=args.http_port, sql_port=args.sql_port) as server:
        print(f"query/update {server.query_url}\ngraph store  {server.gsp_url}\nSQL (isql-vt) "
              f"127.0.0.1:{server.sql_port} dba/dba\nanswered after {server.started_in:.1f} s; Ctrl-C stops it",
              flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.proc.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
