#!/usr/bin/env python3
"""Render the reverse proxy of the shared knowledge base: one credential per municipality, nginx config.

Writes into --out:
  nginx.conf           complete nginx configuration (run: nginx -p OUT -c OUT/nginx.conf)
  htpasswd             user = municipality code (and the administrator), SHA-512-crypt hashes
  new-credentials.csv  the passwords made in this run (user,password,graph); hand each to its
                       municipality over a safe channel, then delete the file
  logs/, tmp/          for nginx

Existing users in OUT/htpasswd keep their password unless named in --rotate; users no longer
listed are removed. Needs only Python 3 and the openssl command (both in Debian's base system).

Example:
  python3 deploy/make_proxy.py --codes 131156 131016 011002 --out /etc/controlmap-proxy \
      --listen 0.0.0.0:443 --tls-cert /etc/ssl/kb.crt --tls-key /etc/ssl/kb.key
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "nginx.conf.template"
GRAPH_BASE = "https://w3id.org/controlmap/municipality/"  # = controlmap.store.codes.MUNICIPALITY_BASE
ADMIN = "admin"


def municipality_code(text: str) -> str:
    """The six-digit code with a valid JIS X 0402 check digit (same rule as controlmap.municipality)."""
    code = unicodedata.normalize("NFKC", text).strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise SystemExit(f"{text!r}: a 全国地方公共団体コード has six digits, e.g. 131156")
    remainder = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2), strict=True)) % 11
    if code[5] != str((11 - remainder) % 10):
        raise SystemExit(f"{text!r}: wrong check digit (expected {(11 - remainder) % 10})")
    return code


def graph_iri(code: str) -> str:
    return GRAPH_BASE + code


def graph_args(code: str) -> str:
    """The exact query string controlmap sends for the municipality's graph."""
    return "graph=" + quote(graph_iri(code), safe="")


def hash_password(password: str) -> str:
    """SHA-512-crypt ($6$) of ``password`` via ``openssl passwd -6`` (nginx checks it with crypt(3))."""
    done = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=password, capture_output=True, text=True,
                          check=True, timeout=30)
    return done.stdout.strip()


def read_htpasswd(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if ":" in line and not line.startswith("#"):
            user, _, hashed = line.partition(":")
            out[user] = hashed
    return out


def read_credentials(path: Path) -> list[tuple[str, str, str]]:
    """Rows (user, password, graph) of a new-credentials.csv left by an earlier run, if any."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["user"], r["password"], r["graph"]) for r in csv.DictReader(fh) if r.get("user")]


def credentials_csv(rows: list[tuple[str, str, str]]) -> str:
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("user", "password", "graph"))
    writer.writerows(rows)
    return buffer.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a unique temporary file beside ``path`` (mode 600), then rename it over ``path``.

    A crash leaves the old file whole; a symbolic link planted at ``path`` is refused, not followed.
    """
    import tempfile

    if path.is_symlink():
        raise SystemExit(f"{path}: refusing to write through a symbolic link")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(name, path)
    except BaseException:
        if os.path.exists(name):
            os.unlink(name)
        raise


def _nginx_string(text: str) -> str:
    if any(ch in text for ch in '"\\$;{}\n\r') or not text.isprintable():
        raise SystemExit(f"refusing to put {text!r} into the nginx configuration")
    return f'"{text}"'


def render(template: str, *, codes: list[str], admin: str, prefix: Path, htpasswd: Path, listen: str,
           upstream: str, worker_user: str | None, tls_cert: str | None, tls_key: str | None,
           query_filter: str = "127.0.0.1:7879", max_body: str = "16m", read_timeout: str = "120s") -> str:
    graph_codes = "\n".join(f"        {_nginx_string(graph_args(code))} {code};" for code in codes)
    own = "\n".join(f"        {_nginx_string(code + '|' + code)} 1;" for code in codes)
    admins = f"        {_nginx_string(admin)} 1;" if admin else ""
    tls = ""
    if tls_cert and tls_key:
        listen = f"{listen} ssl"
        tls = (f"        ssl_certificate {tls_cert};\n        ssl_certificate_key {tls_key};\n"
               "        ssl_protocols TLSv1.2 TLSv1.3;\n")
    values = {
        "USER_LINE": f"user {worker_user};" if worker_user else "",
        "PREFIX": str(prefix), "HTPASSWD": str(htpasswd), "LISTEN": listen, "UPSTREAM": upstream,
        "GRAPH_CODE_LINES": graph_codes, "OWN_GRAPH_LINES": own, "ADMIN_LINES": admins,
        "QUERY_FILTER": query_filter, "TLS_LINES": tls.rstrip("\n"),
        "MAX_BODY": max_body, "READ_TIMEOUT": read_timeout,
    }
    text = template
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text:
        raise SystemExit("the template has a placeholder this script does not fill")
    return text


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--codes", nargs="*", default=[], help="municipality codes (6 digits)")
    p.add_argument("--codes-file", type=Path, help="file with one municipality code per line")
    p.add_argument("--out", type=Path, required=True, help="directory for nginx.conf, htpasswd, logs")
    p.add_argument("--listen", default="127.0.0.1:8080", help="address:port nginx listens on")
    p.add_argument("--upstream", default="127.0.0.1:7878", help="address:port of oxigraph serve")
    p.add_argument("--query-filter", default="127.0.0.1:7879",
                   help="address:port of deploy/query_filter.py, which passes /query on to oxigraph")
    p.add_argument("--admin", default=ADMIN, help="user name of the prefecture's administrator ('' for none)")
    p.add_argument("--worker-user", default=None,
                   help="user nginx workers run as when started by root (Debian: www-data)")
    p.add_argument("--tls-cert", help="certificate file: serve HTTPS (needed for anything beyond loopback)")
    p.add_argument("--tls-key", help="key file of --tls-cert")
    p.add_argument("--rotate", nargs="*", default=[], help="users whose password is replaced")
    args = p.parse_args(argv)

    codes = [municipality_code(c) for c in args.codes]
    if args.codes_file:
        codes += [municipality_code(line) for line in args.codes_file.read_text(encoding="utf-8").split()
                  if line.strip() and not line.startswith("#")]
    codes = sorted(set(codes))
    if not codes:
        raise SystemExit("no municipality codes: give --codes or --codes-file")
    out = args.out.resolve()
    for sub in ("logs", "tmp"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    htpasswd = out / "htpasswd"
    users = read_htpasswd(htpasswd)
    wanted = codes + ([args.admin] if args.admin else [])
    new_rows = []
    for user in wanted:
        if user not in users or user in args.rotate:
            password = secrets.token_urlsafe(18)
            users[user] = hash_password(password)
            new_rows.append((user, password, graph_iri(user) if user in codes else "(administrator)"))
    dropped = sorted(set(users) - set(wanted))
    for user in dropped:
        del users[user]
    credentials = out / "new-credentials.csv"
    pending = [row for row in read_credentials(credentials)  # made earlier, maybe not yet handed out
               if row[0] in wanted and row[0] not in {r[0] for r in new_rows}]
    old_umask = os.umask(0o077)
    try:
        write_atomic(htpasswd, "".join(f"{u}:{users[u]}\n" for u in wanted))
        if new_rows or pending or credentials.exists():
            write_atomic(credentials, credentials_csv(pending + new_rows))
    finally:
        os.umask(old_umask)
    if args.worker_user and os.geteuid() == 0:
        import shutil

        shutil.chown(htpasswd, group=args.worker_user)
        htpasswd.chmod(0o640)
    conf = render(TEMPLATE.read_text(encoding="utf-8"), codes=codes, admin=args.admin, prefix=out,
                  htpasswd=htpasswd, listen=args.listen, upstream=args.upstream, worker_user=args.worker_user,
                  tls_cert=args.tls_cert, tls_key=args.tls_key, query_filter=args.query_filter)
    write_atomic(out / "nginx.conf", conf)
    print(f"wrote {out / 'nginx.conf'} for {len(codes)} municipalities"
          + (f" and administrator {args.admin!r}" if args.admin else ""))
    if new_rows:
        print(f"{len(new_rows)} new password(s) in {credentials}: hand them out, then delete the file")
    if pending:
        print(f"{len(pending)} password(s) of an earlier run are still in {credentials}, kept")
    if dropped:
        print(f"removed users: {', '.join(dropped)}")
    if not args.tls_cert and not args.listen.startswith(("127.", "localhost", "[::1]")):
        print("warning: no TLS; passwords would cross the network in clear. Give --tls-cert/--tls-key.",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
