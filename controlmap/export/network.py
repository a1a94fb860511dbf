"""Results -> an interactive network of controls and mappings (a pyvis Network) and its offline HTML page.

The nodes, edges and legend come from :mod:`controlmap.export.network_data` (its names are importable
from here too); this module hands them to pyvis and renders ``resources/network.html`` with
vis-network inlined, so the page opens from disk without any request.

>>> import controlmap as cm
>>> kg = cm.load()
>>> net = build_network(kg.catalog, cm.coverage(kg, source="mic", target="jisq15001"))
>>> len(net.nodes) > 100, "<script" in to_html(net)
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import SetupError
from ..model import Catalog
from ..results import CoverageResult, GapResult
from .network_data import EDGE_STYLES, FONT_STACK, SOURCE_COLOR, STATUS_COLORS, as_gap_result, network_elements
from .network_filter import apply_filters

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = [
    "EDGE_STYLES",
    "FONT_STACK",
    "SOURCE_COLOR",
    "STATUS_COLORS",
    "as_gap_result",
    "build_network",
    "inline_html",
    "network_elements",
    "to_html",
]

_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "nodes": {"font": {"face": FONT_STACK, "size": 12, "color": "#222222"}},
    "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1.5},
    "layout": {"randomSeed": 7, "improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "multiselect": False,
                    "navigationButtons": False, "keyboard": {"enabled": True, "bindToWindow": False}},
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {"gravitationalConstant": -2500, "centralGravity": 0.0, "springLength": 60,
                      "springConstant": 0.04, "damping": 0.4, "avoidOverlap": 0.8},
        "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 25, "fit": True},
        "minVelocity": 1.0,
    },
}


def build_network(catalog: Catalog, result: GapResult | CoverageResult, *, heading: str | None = None,
                  height: str = "100%", only_status: Iterable[str] | None = None,
                  collapse_sections: bool = False) -> Network:
    """The committee network of ``result`` as a pyvis Network: controls by framework and section, coloured by status.

    ``result`` is a GapResult or a CoverageResult computed on ``catalog``. The Network renders the
    offline page of :func:`to_html` (also through pyvis's own ``generate_html`` and ``write_html``)
    and shows inline in Jupyter. Nothing is written to disk. :func:`controlmap.viz.network` runs the
    query first when given framework names. ``only_status`` (``["gap", "partial"]``) and
    ``collapse_sections`` thin a big network first (:mod:`controlmap.export.network_filter`).

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> net = build_network(kg.catalog, cm.gaps(kg, "mic", ["jisq15001"]))
    >>> net.get_node("JISQ15001-2006:3.6")["cm"]["status"]
    'gap'
    >>> "https://" in to_html(net).split("<script", 1)[0]
    False
    """
    gap = as_gap_result(result)
    elements = apply_filters(network_elements(catalog, gap), only=only_status, collapse=collapse_sections)
    fw = catalog.framework(gap.source)
    refs = " / ".join(f["title"] for f in elements["frameworks"][1:])
    net = _network_class()(height=height, width="100%", directed=True, cdn_resources="in_line",
                           heading=heading or f"{fw.title} と {refs} の対応とギャップ")
    for node in elements["nodes"]:
        node = dict(node)
        net.add_node(node.pop("id"), label=node.pop("label"), shape=node.pop("shape"), color=node.pop("color"),
                     **node)
    net.edges = [dict(e) for e in elements["edges"]]  # pyvis add_edge is quadratic; the rows are already unique
    net.options = {k: (dict(v) if isinstance(v, dict) else v) for k, v in _OPTIONS.items()}
    net.cm_meta = {k: v for k, v in elements.items() if k not in ("nodes", "edges")}
    return net


@cache
def _network_class():
    from pyvis.network import Network

    class ControlNetwork(Network):
        """A pyvis Network whose HTML is controlmap's offline page and that displays inline in Jupyter."""

        cm_meta: ClassVar[dict[str, Any]] = {}

        def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
            self.html = to_html(self)
            return self.html

        def _repr_html_(self) -> str:
            return inline_html(self)

    ControlNetwork.__module__ = __name__
    ControlNetwork.__qualname__ = "ControlNetwork"
    return ControlNetwork


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS from the copy shipped inside the pyvis package, ready to inline."""
    from importlib.resources import files

    lib = files("pyvis") / "templates" / "lib"
    versions = sorted((d for d in lib.iterdir() if d.name.startswith("vis-")),
                      key=lambda d: tuple(int(p) for p in re.findall(r"\d+", d.name)))
    if not versions:  # pragma: no cover - depends on the installed pyvis
        raise SetupError("the installed pyvis ships no vis-network copy to inline")
    folder = versions[-1]
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js).replace("</script", "<\\/script")
    css = re.sub(r"/\*# sourceMappingURL=\S+ \*/", "", css).replace("</style", "<\\/style")
    return js, css


@cache
def _template(name: str):
    from importlib.resources import files

    from jinja2 import Environment, StrictUndefined

    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env.from_string((files("controlmap") / "resources" / name).read_text(encoding="utf-8"))


def to_html(net: Network) -> str:
    """The self-contained page of a network: vis-network, styles and data inline, no network request.

    Works for any pyvis Network; one built by :func:`network` also gets the legend, filters by
    framework, section and status, tooltips with the explanation path and [R]/[I] provenance, and
    ``#node=ID`` links that select and focus a control. Every text from the data is escaped.
    """
    from markupsafe import Markup

    js, css = _vis_assets()
    import json

    options = net.options if isinstance(net.options, dict) else json.loads(net.options.to_json())
    meta = dict(getattr(net, "cm_meta", None) or {})
    return _template("network.html").render(
        heading=net.heading or "controlmap network", nodes=net.nodes, edges=net.edges, options=options,
        meta=meta, height=net.height, vis_js=Markup(js), vis_css=Markup(css), font_stack=FONT_STACK,
        status_colors=STATUS_COLORS, source_color=SOURCE_COLOR,
    )


def inline_html(net: Network, height: int = 720) -> str:
    """An ``<iframe srcdoc>`` holding :func:`to_html`, for Jupyter (sandboxed: scripts only)."""
    import html

    return (f'<iframe title="{html.escape(net.heading or "network")}" srcdoc="{html.escape(to_html(net))}" '
            f'sandbox="allow-scripts" style="width:100%;height:{int(height)}px;border:1px solid #ddd"></iframe>')
