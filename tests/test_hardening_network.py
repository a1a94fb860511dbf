"""No request leaves the machine while loading: a JSON-LD file cannot make controlmap fetch a context.

A server on 127.0.0.1 (the ``listener`` fixture of conftest.py) counts the requests it gets;
the attack files point at it.
"""

from __future__ import annotations

import json

import pytest

from controlmap.cli.main import main
from controlmap.errors import InputLimitError
from controlmap.io.rdf import read_rdf


@pytest.mark.parametrize("shape", ["string", "list", "nested", "import"])
def test_jsonld_with_a_remote_context_is_refused_without_a_request(tmp_path, capsys, listener, shape):
    url, hits = listener
    ctx = f"{url}/ctx.jsonld"
    doc = {
        "string": {"@context": ctx, "@id": "http://example.org/a", "t": "x"},
        "list": {"@context": [{"dc": "http://purl.org/dc/terms/"}, ctx], "@id": "http://example.org/a", "t": "x"},
        "nested": {"@graph": [{"@context": ctx, "@id": "http://example.org/a", "t": "x"}]},
        "import": {"@context": {"@version": 1.1, "@import": ctx}, "@id": "http://example.org/a", "t": "x"},
    }[shape]
    path = tmp_path / "x.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputLimitError, match="never fetches"):
        read_rdf(path)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}::@" in out and "refused" in out
    assert hits == []  # the listener works (see below), and nothing asked it


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_the_listener_would_have_seen_rdflib_fetch(listener):
    """Guard of the test above: rdflib itself does fetch such a context."""
    from rdflib import Graph

    url, hits = listener
    Graph().parse(data=json.dumps({"@context": f"{url}/ctx.jsonld", "@id": "http://example.org/a", "t": "x"}),
                  format="json-ld")
    assert hits == ["/ctx.jsonld"]


def test_jsonld_with_an_inline_context_still_loads(tmp_path):
    path = tmp_path / "x.jsonld"
    path.write_text(json.dumps({"@context": {"t": "http://purl.org/dc/terms/title"},
                                "@id": "http://example.org/a", "t": "題"}), encoding="utf-8")
    assert len(read_rdf(path)) == 1


def test_rdf_xml_with_entities_is_refused(tmp_path, listener):
    url, hits = listener
    path = tmp_path / "x.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "{url}/e">]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n', encoding="utf-8")
    with pytest.raises(InputLimitError, match=r"x\.rdf:2:\d+: RDF/XML with <!ENTITY"):
        read_rdf(path)
    assert hits == []
