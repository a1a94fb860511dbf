"""The network and report pages in a real browser: Debian's headless Chromium driven through chromedriver.

Each page is opened from disk with name resolution cut off; the tests collect the console and every
request (Chrome's performance log), count the drawn nodes, hover and click a gap node, follow the
report's links, check the fonts Japanese is drawn with, and save screenshots to test-output/browser/.
scripts/test.sh installs chromium, chromium-driver and fonts-noto-cjk when they are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import pytest

import controlmap as cm
from controlmap.cli.main import main

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "test-output" / "browser"
AGAINST = ["jisq15001", "govt_unified_std"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
         "--disable-extensions", "--window-size=1600,1000", "--lang=ja",
         "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost"]  # the network is cut off

if not (CHROMIUM and CHROMEDRIVER):  # pragma: no cover - CI installs both through scripts/test.sh
    if os.environ.get("CI"):
        pytest.fail("chromium and chromedriver are needed (scripts/test.sh installs them)", pytrace=False)
    pytest.skip("chromium/chromedriver not installed (run scripts/test.sh)", allow_module_level=True)


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    drv = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def pages():
    """Both pages written by the CLI, as a user would make them, plus a page of hostile data."""
    from test_viz import hostile_kg

    OUT.mkdir(parents=True, exist_ok=True)
    argv = ["--source", "mic", *(a for x in AGAINST for a in ("--against", x))]
    assert main(["viz", *argv, "-o", str(OUT / "committee.html")]) == 0
    assert main(["report", *argv, "-o", str(OUT / "report.html")]) == 0
    kg = hostile_kg()
    (OUT / "hostile.html").write_text(cm.viz.to_html(cm.viz.network(kg, "chk", ["ref"], scope=None)),
                                      encoding="utf-8")
    (OUT / "hostile-report.html").write_text(
        cm.committee.report_html(kg, "chk", ["ref"], scope=None, network_href="hostile.html"), encoding="utf-8")
    return OUT


@pytest.fixture(scope="module")
def graph(kg):
    return cm.viz.network(kg, cm.gaps(kg, "mic", AGAINST))


class Visit:
    """One page load: the console messages and the URLs requested while loading and using it."""

    def __init__(self, drv, url: str, *, ready: str = "network"):
        from selenium.webdriver.support.ui import WebDriverWait

        self.drv = drv
        drv.get("about:blank")
        drv.get_log("browser")
        drv.get_log("performance")  # drop whatever came before this page
        drv.get(url)
        if ready == "network":
            WebDriverWait(drv, 60).until(
                lambda d: d.execute_script("return document.body.getAttribute('data-ready')") == "true")
        else:
            WebDriverWait(drv, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.console: list[dict] = []
        self.requests: list[str] = []
        self.collect()

    def collect(self) -> None:
        self.console += self.drv.get_log("browser")
        for entry in self.drv.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])

    def assert_clean(self) -> None:
        self.collect()
        errors = [e for e in self.console if e["level"] == "SEVERE"]
        assert errors == [], errors
        outside = [u for u in self.requests if not u.startswith(("file://", "data:", "about:"))]
        assert outside == [], outside
        assert any(u.startswith("file://") for u in self.requests)


def _url(name: str, fragment: str = "") -> str:
    return (OUT / name).as_uri() + fragment


def _node_point(drv, node_id: str) -> tuple[int, int]:
    """Centre the view on a node; return its offset from the canvas centre in CSS pixels."""
    drv.execute_script(
        "var id = arguments[0]; var p = cmNetwork.getPositions([id])[id];"
        "cmNetwork.moveTo({position: p, scale: 1.4, animation: false});", node_id)
    time.sleep(0.2)
    x, y, w, h = drv.execute_script(
        "var id = arguments[0]; var q = cmNetwork.canvasToDOM(cmNetwork.getPositions([id])[id]);"
        "var r = document.querySelector('#network canvas').getBoundingClientRect();"
        "return [q.x, q.y, r.width, r.height];",
        node_id)
    return int(x - w / 2), int(y - h / 2)


def _first(graph, status: str) -> dict:
    return next(n for n in graph.nodes if n["cm"]["status"] == status)


def _loneliest(drv, graph, status: str) -> dict:
    """The node of this status farthest from any other node on screen, so the pointer meets only it."""
    node_id = drv.execute_script("""
        var pos = cmNetwork.getPositions(), ids = Object.keys(pos), best = null, bestGap = -1;
        ids.forEach(function (id) {
          var n = cmNodes.get(id);
          if (!n.cm || n.cm.status !== arguments[0]) { return; }
          var gap = Infinity;
          ids.forEach(function (o) {
            if (o !== id) { gap = Math.min(gap, Math.hypot(pos[o].x - pos[id].x, pos[o].y - pos[id].y)); }
          });
          if (gap > bestGap) { bestGap = gap; best = id; }
        });
        return best;""".replace("arguments[0]", json.dumps(status)))
    return next(n for n in graph.nodes if n["id"] == node_id)


def test_network_page_opens_offline_without_console_errors(driver, pages):
    visit = Visit(driver, _url("committee.html"))
    visit.assert_clean()
    driver.save_screenshot(str(OUT / "committee-overview.png"))


def test_drawn_nodes_match_the_graph(driver, pages, graph, shipped_editions):
    Visit(driver, _url("committee.html"))
    in_data, drawn, shown = driver.execute_script(
        "return [cmNodes.length, cmNetwork.body.nodeIndices.length, document.body.getAttribute('data-shown')];")
    controls = set().union(*(shipped_editions[k].assessable_ids for k in
                             ("mic@2009", "jisq15001@2006", "govt_unified_std@2021")))
    hubs = {n["id"] for n in graph.nodes if n["cm"]["kind"] == "section"}
    assert in_data == drawn == int(shown) == len(graph.nodes) == len(controls | hubs)
    assert driver.execute_script("return cmEdges.length;") == len(graph.edges)
    physics = driver.execute_script("return cmNetwork.physics.options.enabled;")
    assert physics is False  # stabilised, then frozen


def test_hovering_a_gap_node_shows_its_tooltip(driver, pages, graph):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    visit = Visit(driver, _url("committee.html"))
    gap = _loneliest(driver, graph, "gap")
    dx, dy = _node_point(driver, gap["id"])
    canvas = driver.find_element(By.CSS_SELECTOR, "#network canvas")
    ActionChains(driver).move_to_element_with_offset(canvas, dx, dy).perform()
    ActionChains(driver).move_by_offset(1, 1).perform()
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "var t = document.querySelector('div.vis-tooltip');"
        "return !!t && getComputedStyle(t).visibility === 'visible';"))
    tip = driver.execute_script("return document.querySelector('div.vis-tooltip').innerText;")
    assert gap["cm"]["display"] in tip and gap["cm"]["title"] in tip
    assert "不足(ギャップ)" in tip and gap["cm"]["provenance"] in tip
    driver.save_screenshot(str(OUT / "committee-tooltip.png"))
    visit.assert_clean()


def test_clicking_a_gap_node_shows_its_explanation(driver, pages, graph):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    Visit(driver, _url("committee.html"))
    gap = _loneliest(driver, graph, "gap")
    dx, dy = _node_point(driver, gap["id"])
    canvas = driver.find_element(By.CSS_SELECTOR, "#network canvas")
    ActionChains(driver).move_to_element_with_offset(canvas, dx, dy).click().perform()
    time.sleep(0.2)
    details = driver.find_element(By.ID, "details")
    assert details.get_attribute("data-node") == gap["id"]
    assert gap["cm"]["explanation"] in details.text
    assert driver.execute_script("return cmNetwork.getSelectedNodes();") == [gap["id"]]


def test_a_link_fragment_selects_and_explains_the_node(driver, pages, graph):
    partial = _first(graph, "partial")
    Visit(driver, _url("committee.html", f"#node={quote(partial['id'], safe='')}"))
    assert driver.execute_script("return cmNetwork.getSelectedNodes();") == [partial["id"]]
    selected_edges = driver.execute_script("return cmNetwork.getSelectedEdges();")
    assert selected_edges  # the explanation path is highlighted
    assert partial["cm"]["display"] in driver.execute_script("return document.getElementById('details').innerText;")


def test_filters_by_status_and_section(driver, pages, graph):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Visit(driver, _url("committee.html"))
    controls = [n for n in graph.nodes if n["cm"]["kind"] != "section"]
    kept = {n["id"] for n in controls if n["cm"]["status"] != "covered"}
    hubs = {n["cm"]["section"] for n in controls if n["id"] in kept and n["cm"]["section"] != n["id"]}
    driver.find_element(By.CSS_SELECTOR, "input[name=status][value=covered]").click()
    shown = driver.execute_script("return cmNodes.getIds({filter: function (n) { return !n.hidden; }});")
    assert set(shown) == kept | hubs  # a section hub stays only while one of its controls shows
    assert int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-shown")) == len(kept | hubs)
    driver.find_element(By.ID, "reset").click()
    driver.find_element(By.ID, "filter-neighbours").click()  # only the section itself
    section = "GUS-R3:2.3"
    Select(driver.find_element(By.ID, "filter-section")).select_by_value(section)
    members = {n["id"] for n in graph.nodes if n["cm"].get("section") == section}
    shown = driver.execute_script("return cmNodes.getIds({filter: function (n) { return !n.hidden; }});")
    assert set(shown) == members
    driver.save_screenshot(str(OUT / "committee-filtered.png"))


def test_report_opens_offline_and_links_into_the_network(driver, pages, graph):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    visit = Visit(driver, _url("report.html"), ready="document")
    visit.assert_clean()
    driver.save_screenshot(str(OUT / "report-top.png"))
    links = driver.find_elements(By.CSS_SELECTOR, "table.candidates a[data-target]")
    assert links
    first = links[0]
    href = first.get_attribute("href")
    node_id = href.split("#node=", 1)[1]
    driver.execute_script("arguments[0].scrollIntoView();", first)
    first.click()
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script("return document.body && document.body.getAttribute('data-ready')") == "true")
    from urllib.parse import unquote

    assert driver.execute_script("return cmNetwork.getSelectedNodes();") == [unquote(node_id)]


def test_japanese_is_drawn_with_a_cjk_font(driver, pages):
    for name, ready in (("committee.html", "network"), ("report.html", "document")):
        Visit(driver, _url(name), ready=ready)
        driver.execute_cdp_cmd("DOM.enable", {})
        driver.execute_cdp_cmd("CSS.enable", {})
        root = driver.execute_cdp_cmd("DOM.getDocument", {})["root"]["nodeId"]
        h1 = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
        fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": h1})["fonts"]
        families = {f["familyName"] for f in fonts if f["glyphCount"]}
        assert any("CJK" in f for f in families), families
        driver.execute_cdp_cmd("CSS.disable", {})


def test_hostile_text_is_shown_as_text_and_never_runs(driver, pages):
    from selenium.webdriver.common.by import By
    from test_viz import XSS_REQ, XSS_TITLE

    visit = Visit(driver, _url("hostile.html", "#node=REF%3AA.1"))
    assert driver.execute_script("return window.__xss === undefined;")
    assert XSS_REQ in driver.find_element(By.ID, "details").text
    assert XSS_TITLE in driver.execute_script(
        "return cmNodes.get('CHK:1.1').title.innerText;")  # the tooltip element holds it as text
    visit.assert_clean()
    visit = Visit(driver, _url("hostile-report.html"), ready="document")
    assert driver.execute_script("return window.__xss === undefined;")
    assert XSS_REQ in driver.find_element(By.TAG_NAME, "body").text
    visit.assert_clean()
