"""Learning from peers: which additional items how many municipalities adopted, and which one municipality lacks."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast
from urllib.parse import unquote

from ..graph.publication import CANDIDATE_BASE
from ..model import HasCatalog, Provenance, as_catalog
from ..municipality import MUNICIPALITY_BASE, graph_iri, municipality_code, municipality_of_graph

if TYPE_CHECKING:
    import pandas as pd
    from rdflib import Literal
    from rdflib.term import Node

    from ..model import Catalog
    from ..store.base import Store

__all__ = ["PeerItem", "PeersResult", "peers"]

NOBODY = "urn:controlmap:nobody"
_TAGS = {"https://w3id.org/controlmap/vocab/ReadInSource": Provenance.READ,
         "https://w3id.org/controlmap/vocab/Reconstructed": Provenance.RECONSTRUCTED}


@dataclass(frozen=True, slots=True)
class PeerItem:
    """One additional item as the shared knowledge base knows it.

    ``key`` is the candidate id when the item came from a candidate, else ``<code>/<item id>`` of the
    municipality that wrote it. ``adopted_here`` is None when no municipality was named.
    """

    key: str
    candidate_id: str
    title: str
    check_question: str
    adopters: int
    targets: tuple[str, ...]
    target_titles: tuple[str, ...]
    provenance: tuple[Provenance, ...]
    adopted_here: bool | None

    @property
    def provenance_tags(self) -> str:
        """``[R]``, ``[I]`` or ``[R][I]`` for the reference controls the item closes."""
        return "".join(p.tag for p in sorted(set(self.provenance), key=lambda p: p.value))


@dataclass(frozen=True)
class PeersResult:
    """The peers query: every published item (most adopted first), seen from ``municipality`` if given."""

    municipality: str | None
    municipalities: int
    items: tuple[PeerItem, ...]
    published: bool | None = None

    @property
    def lacking(self) -> tuple[PeerItem, ...]:
        """Items other municipalities adopted and this one has not (empty when no municipality was named)."""
        return tuple(i for i in self.items if i.adopted_here is False)

    @property
    def lacking_targets(self) -> tuple[str, ...]:
        """Reference controls the lacking items close that none of this municipality's items closes."""
        own = {t for i in self.items if i.adopted_here for t in i.targets}
        seen: dict[str, None] = {}
        for item in self.lacking:
            for t in item.targets:
                if t not in own:
                    seen.setdefault(t)
        return tuple(seen)

    def to_records(self) -> list[dict]:
        """One plain dict per item, in order; lists joined with ``; `` for tables."""
        out = []
        for i in self.items:
            out.append({
                "key": i.key, "candidate_id": i.candidate_id, "title": i.title, "check_question": i.check_question,
                "adopters": i.adopters,
                "share": round(i.adopters / self.municipalities, 4) if self.municipalities else 0.0,
                "targets": "; ".join(i.targets), "target_titles": "; ".join(i.target_titles),
                "provenance": i.provenance_tags,
                "adopted_here": "" if i.adopted_here is None else ("yes" if i.adopted_here else "no"),
            })
        return out

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.to_records())

    def to_markdown(self, *, only_lacking: bool = False, limit: int | None = None) -> str:
        """A Markdown table for the committee report (text escaped for Markdown tables)."""
        rows = self.lacking if only_lacking else self.items
        rows = rows[:limit] if limit else rows
        head = self._heading()
        lines = [head, "", "| 採用自治体数 | 項目 | 点検内容 | 対応する基準 | 出典 | 当団体 |",
                 "|---:|---|---|---|---|---|"]
        for i in rows:
            here = "" if i.adopted_here is None else ("採用済" if i.adopted_here else "未採用")
            lines.append("| " + " | ".join([
                f"{i.adopters}/{self.municipalities}", _md(f"{i.title} ({i.key})"), _md(i.check_question),
                _md("; ".join(i.targets)), i.provenance_tags, here]) + " |")
        if not rows:
            lines.append("| 0 | (該当なし) | | | | |")
        return "\n".join(lines) + "\n"

    def to_html(self, *, only_lacking: bool = False, limit: int | None = None) -> str:
        """An escaped HTML table for the committee report."""
        rows = self.lacking if only_lacking else self.items
        rows = rows[:limit] if limit else rows
        esc = html.escape
        body = []
        for i in rows:
            here = "" if i.adopted_here is None else ("採用済" if i.adopted_here else "未採用")
            body.append("<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in (
                f"{i.adopters}/{self.municipalities}", f"{i.title} ({i.key})", i.check_question,
                "; ".join(i.targets), i.provenance_tags, here)) + "</tr>")
        return (f"<section id=\"peers\" class=\"peers\"><h2>{esc(self._heading().lstrip('# '))}</h2><table>"
                "<thead><tr><th>採用自治体数</th><th>項目</th><th>点検内容</th><th>対応する基準</th><th>出典</th>"
                f"<th>当団体</th></tr></thead><tbody>{''.join(body)}</tbody></table></section>")

    def _heading(self) -> str:
        who = f" (団体コード {self.municipality})" if self.municipality else ""
        return f"### 他団体が採用した追加点検項目{who}: {self.municipalities} 団体が公開"

    def _repr_html_(self) -> str:
        return self.to_html()


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _key(node: str, candidate: str | None) -> str:
    if candidate:
        return candidate
    # an item of the municipality's own: https://w3id.org/controlmap/municipality/<code>/item/<id>
    if node.startswith(MUNICIPALITY_BASE) and "/item/" in node:
        graph, _, item = node.partition("/item/")
        code = municipality_of_graph(graph)
        if code:
            return f"{code}/{unquote(item)}"
    return node


def peers(store: Store, municipality: str | int | None = None, *,
          catalog: HasCatalog | Catalog | None = None) -> PeersResult:
    """Which additional items are adopted by how many municipalities, and which of them ``municipality`` lacks.

    Runs ``queries/sparql/peers*.rq`` on any store. Ids, titles and [R]/[I] tags of
    the reference controls come from ``catalog`` when given (fast), else from what the publishers wrote
    (``peers_targets.rq``), which is also asked for controls the catalog does not hold.

    Examples
    --------
    >>> import controlmap as cm
    >>> from controlmap.graph.publication import AdoptedItem
    >>> from controlmap.store import MemoryStore
    >>> from controlmap.workflows.publish import publish
    >>> kg, store = cm.load(), MemoryStore()
    >>> item = AdoptedItem("MIC-ADD-01", "情報の格付", "情報を格付しているか。", ("GUS-R3:1.2(1)",), "",
    ...                    "C-GUS-R3-1.2(1)")
    >>> _ = publish(store, "131156", [item], catalog=kg)
    >>> _ = publish(store, "131016", [item], catalog=kg)
    >>> result = peers(store, "011002", catalog=kg)
    >>> [(i.key, i.adopters, i.targets, i.adopted_here) for i in result.items], result.municipalities
    ([('C-GUS-R3-1.2(1)', 2, ('GUS-R3:1.2(1)',), False)], 2)
    """
    from ..queries.sparql_runner import prepare
    from ..resources import query_text

    code = municipality_code(municipality) if municipality is not None else None
    own = graph_iri(code) if code else NOBODY
    count_rows = store.select(query_text("peers_count"))
    total = _integer(count_rows[0]["municipalities"]) if count_rows and "municipalities" in count_rows[0] else 0
    rows = store.select(query_text("peers"))
    mine = {str(r["key"]) for r in store.select(prepare("peers_own", own=own)) if "key" in r} if code else set()
    closes: dict[str, set[str]] = {}
    for row in store.select(query_text("peers_targets")):
        closes.setdefault(str(row["key"]), set()).add(str(row["target"]))
    texts = _item_texts(store, sorted({str(r["example"]) for r in rows if "example" in r}))
    iris = {iri for targets in closes.values() for iri in targets}
    known = _catalog_targets(catalog, iris)
    known.update(_published_targets(store, sorted(iris - set(known))))
    items = []
    published = False
    for row in rows:
        node = str(row["key"])
        candidate = unquote(node[len(CANDIDATE_BASE):]) if node.startswith(CANDIDATE_BASE) else ""
        here = node in mine
        published = published or here
        title, question = texts.get(str(row.get("example", "")), ("", ""))
        found = sorted((known.get(iri) or (iri, "", None)) for iri in closes.get(node, ()))
        items.append(PeerItem(
            key=_key(node, candidate), candidate_id=candidate, title=title, check_question=question,
            adopters=_integer(row["adopters"]),
            targets=tuple(c[0] for c in found), target_titles=tuple(c[1] for c in found),
            provenance=tuple(sorted({c[2] for c in found if c[2]}, key=lambda p: p.value)),
            adopted_here=here if code else None))
    items.sort(key=lambda i: (-i.adopters, i.key))
    if code and not published:
        published = code in {municipality_of_graph(g) for g in _publications(store, own)}
    return PeersResult(code, total, tuple(items), published if code else None)


def _integer(term: Node) -> int:
    """The number a COUNT in a SPARQL result holds (an ``xsd:integer`` literal)."""
    return int(cast("Literal", term).toPython())


def _with_values(name: str, variable: str, iris: list[str]) -> str:
    """The shipped query ``name`` with its ``VALUES ?variable { ... }  # @parameters`` row listing ``iris``."""
    from ..resources import query_text
    from ..store.base import check_graph_iri

    text = query_text(name)
    marker = f"VALUES ?{variable} {{ <urn:controlmap:none> }}  # @parameters"
    if marker not in text:  # pragma: no cover - guards an edit of the shipped file
        raise ValueError(f"{name}.rq lost its @parameters row")
    values = " ".join(f"<{check_graph_iri(i)}>" for i in iris)
    return text.replace(marker, f"VALUES ?{variable} {{ {values} }}")


def _item_texts(store: Store, iris: list[str]) -> dict[str, tuple[str, str]]:
    if not iris:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for row in store.select(_with_values("peers_items", "item", iris)):
        out.setdefault(str(row["item"]), (str(row.get("title", "")), str(row.get("checkQuestion", ""))))
    return out


_Target = tuple[str, str, "Provenance | None"]


def _catalog_targets(catalog, iris: set[str]) -> dict[str, _Target]:
    if catalog is None or not iris:
        return {}
    from ..rdfterms import control_iri

    cat = as_catalog(catalog)
    frameworks = {f.key: f for f in cat.frameworks}
    out: dict[str, _Target] = {}
    for control in cat.controls:
        framework = frameworks.get(control.framework)
        if framework is None:
            continue
        iri = str(control_iri(framework, control.notation))
        if iri in iris:
            out[iri] = (control.id, control.title, control.provenance)
    return out


def _published_targets(store: Store, iris: list[str]) -> dict[str, _Target]:
    if not iris:
        return {}
    out = {}
    for row in store.select(_with_values("peers_controls", "target", iris)):
        if "targetId" in row:
            out[str(row["target"])] = (str(row["targetId"]), str(row.get("targetTitle", "")),
                                       _TAGS.get(str(row.get("provenance", ""))))
    return out


def _publications(store: Store, own: str) -> list[str]:
    rows = store.select(f"PREFIX cm: <https://w3id.org/controlmap/vocab/>\n"
                        f"SELECT ?g WHERE {{ GRAPH ?g {{ ?g a cm:Publication }} VALUES ?g {{ <{own}> }} }}")
    return [str(r["g"]) for r in rows if "g" in r]
