"""The committee report (controlmap.committee) and the ``viz`` / ``report`` commands."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

import controlmap as cm
from controlmap.cli.main import main

AGAINST = ["jisq15001", "govt_unified_std"]
EDITIONS = {"jisq15001": "jisq15001@2006", "govt_unified_std": "govt_unified_std@2021"}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each element that has an id or data-*."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text_parts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def with_attr(self, name: str, tag: str | None = None) -> list[dict]:
        return [a for t, a in self.tags if name in a and (tag is None or t == tag)]


@pytest.fixture(scope="module")
def result(kg):
    return cm.gaps(kg, "mic", AGAINST)


@pytest.fixture(scope="module")
def page(kg, result):
    return cm.committee.report_html(kg, result, generated="2024-04-01")


@pytest.fixture(scope="module")
def parsed(page):
    return Elements(page)


def _chain(edition, local):
    parent = {r["id"]: r["parent"] for _, r in edition.rows}
    out = [local]
    while parent.get(out[-1]):
        out.append(parent[out[-1]])
    return out


def _section_of(edition, control_id):
    chain = _chain(edition, control_id.split(":", 1)[1])
    return edition.control_id(chain[-2] if len(chain) > 1 else chain[-1])


def test_summary_counts_per_framework(kg, parsed):
    rows = {a["data-framework"]: a for a in parsed.with_attr("data-framework", "tr")}
    for name, key in EDITIONS.items():
        tally = Counter(i.status.value for i in cm.coverage(kg, "mic", name).items)
        for status in ("covered", "partial", "gap", "unassessed", "not_applicable"):
            assert int(rows[key][f"data-{status}"]) == tally[status], (key, status)


def test_section_rows_follow_the_shipped_hierarchy(kg, parsed, shipped_editions):
    rows = {a["data-section"]: a for a in parsed.with_attr("data-section", "tr") if "data-covered" in a}
    for name, key in EDITIONS.items():
        tally: dict[str, Counter] = {}
        for item in cm.coverage(kg, "mic", name).items:
            tally.setdefault(_section_of(shipped_editions[key], item.control.id), Counter())[item.status.value] += 1
        for section, counts in tally.items():
            for status in ("covered", "partial", "gap", "unassessed", "not_applicable"):
                assert int(rows[section][f"data-{status}"]) == counts[status], (section, status)


def test_heatmap_counts_targets_reached_from_each_chapter(kg, parsed, shipped_editions):
    mic = shipped_editions["mic@2009"]
    chapter = {mic.control_id(r["id"]): mic.control_id(_chain(mic, r["id"])[-1]) for _, r in mic.rows}
    cells = {(a["data-chapter"]): a for a in parsed.with_attr("data-chapter", "td")}
    assert {c for c in cells} == {mic.control_id(r["id"]) for _, r in mic.rows if not r["parent"]}
    expected: Counter = Counter()
    for name, key in EDITIONS.items():
        for item in cm.coverage(kg, "mic", name).items:
            if item.status.value in ("covered", "partial"):
                for ch in {chapter[s] for s in item.sources if s in chapter}:
                    expected[(_section_of(shipped_editions[key], item.control.id), ch)] += 1
    got: Counter = Counter()
    section = None
    for tag, attrs in parsed.tags:
        if tag == "tr" and "data-section" in attrs and "data-covered" not in attrs:
            section = attrs["data-section"]
        elif tag == "td" and "data-chapter" in attrs and int(attrs["data-count"]):
            got[(section, attrs["data-chapter"])] = int(attrs["data-count"])
    assert got == expected and sum(got.values()) > 50


def test_every_candidate_is_listed_with_reason_and_links(result, page, parsed):
    rows = parsed.with_attr("data-candidate", "tr")
    assert [r["data-candidate"] for r in rows] == [c.id for c in result.candidates]
    assert [int(r["data-priority"]) for r in rows] == sorted((c.priority for c in result.candidates), reverse=True)
    hrefs = {a["href"] for a in parsed.with_attr("href", "a")}
    text = parsed.text
    for c in result.candidates:
        assert c.check_question in text and c.reason in text
        for target in c.targets:
            assert f"committee.html#node={quote(target, safe='')}" in hrefs
    assert f"追加点検項目の候補({len(result.candidates)} 件)" in text
    assert "[R]" in text and "優先度" in text


def test_every_link_opens_a_node_of_the_network(kg, result, parsed):
    from urllib.parse import unquote

    nodes = set(cm.viz.network(kg, result).node_ids)
    targets = {unquote(a["href"].split("#node=", 1)[1]) for a in parsed.with_attr("href", "a") if "#node=" in a["href"]}
    assert targets and targets <= nodes


def test_excluded_controls_are_shown_with_their_reason(kg, parsed):
    text = parsed.text
    for name in EDITIONS:
        for item in cm.coverage(kg, "mic", name).by_status("not_applicable"):
            assert item.not_applicable_reason and item.not_applicable_reason in text


def test_page_is_self_contained_and_prints_on_a4(page):
    assert '<html lang="ja">' in page
    assert not re.search(r"<(link|script|iframe|img|embed|object)\b", page, re.I)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"url\(", page) and "@import" not in page
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", page)
    assert "@media print" in page and "print-color-adjust: exact" in page


def test_links_follow_the_network_file_name(kg, result):
    page = cm.committee.report_html(kg, result, network_href="net/graph.html", generated="2024-04-01")
    assert 'href="net/graph.html#node=JISQ15001-2006%3A3.6"' in page
    assert "committee.html" not in page


def test_text_from_data_is_escaped():
    from test_viz import XSS_REQ, XSS_TITLE, hostile_kg

    kg = hostile_kg()
    page = cm.committee.report_html(kg, "chk", ["ref"], scope=None, generated="2024-04-01")
    for raw in (XSS_TITLE, XSS_REQ, "<b>太字</b>", "<script>window.__xss = 3", "<i>一</i>"):
        assert raw not in page
    assert "&lt;img src=x onerror=&#34;window.__xss = 2&#34;&gt;" in page
    assert not re.search(r"<(script|img)\b", page, re.I)


def test_cli_writes_both_pages(tmp_path, capsys):
    assert main(["viz", "--source", "mic", "--against", "jisq15001", "--against", "govt_unified_std",
                 "-o", str(tmp_path / "committee.html")]) == 0
    assert main(["report", "--source", "mic", "--against", "jisq15001", "--against", "govt_unified_std",
                 "-o", str(tmp_path / "report.html")]) == 0
    out = capsys.readouterr().out
    assert "committee.html" in out and "report.html" in out and "note:" not in out
    assert 'href="committee.html#node=' in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "vis.Network" in (tmp_path / "committee.html").read_text(encoding="utf-8")


def test_cli_report_says_where_the_network_page_should_go(tmp_path, capsys):
    assert main(["report", "--source", "mic", "--against", "jisq15001", "--no-scope",
                 "-o", str(tmp_path / "r.html")]) == 0
    out = capsys.readouterr().out
    assert "note:" in out and "controlmap viz --source mic --against jisq15001" in out
    assert "対象外とした要求事項" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("argv, message", [
    (["viz", "--source", "mic", "--against", "nope", "-o", "x.html"], "unknown framework 'nope'"),
    (["report", "--source", "mic", "--against", "jisq15001", "-o", "x.pdf"], "ending in .html"),
])
def test_cli_errors(argv, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
