"""Compare two ``controlmap gaps … -o X.json`` runs and print a Markdown changelog section (run by hand only).

Usage: python tools/gaps_changelog.py BEFORE.json AFTER.json [--scope data/scope/juki_net.yaml]
                                      [--review data/provenance/mapping_review_2026-12.csv] [--title TEXT]

BEFORE.json is the gaps JSON of the earlier data and code (for issue 15: ``controlmap gaps --source mic --against
jisq15001 --against govt_unified_std -o before.json`` run on commit cb97e44), AFTER.json the same command on the
current tree. The section has the counts side by side, then every candidate added, removed or re-prioritised with
its reason: a merge group (統合), a scope entry (対象外 / 責任主体), a changed mapping row listed in the review CSV,
or a changed priority factor. Reads JSON, YAML and CSV only; nothing of controlmap is imported.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

import yaml

STATUSES = (("covered", "充足"), ("partial", "部分的"), ("gap", "不足"), ("unassessed", "未評価"),
            ("not_applicable", "対象外"))


def _scope(path: Path | None) -> tuple[dict[str, str], dict[str, str]]:
    """(not-applicable reason, responsibility text) per control id of a scope file."""
    if path is None:
        return {}, {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    na, resp = {}, {}
    for section, out in (("not_applicable", na), ("responsibilities", resp)):
        for e in doc.get(section) or []:
            value = e.get("responsibility")
            bodies = "、".join(value if isinstance(value, list) else [value]) if value else ""
            text = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", str(e.get("reason") or "").strip())
            for cid in e.get("controls") or [e.get("control")]:
                out[cid] = f"{text}" + (f"(責任主体: {bodies})" if bodies and section == "not_applicable" else "")
                if section == "responsibilities":
                    out[cid] = bodies
    return na, resp


def _review(path: Path | None) -> dict[str, list[str]]:
    """Changed mapping rows per object control: ``subject before → after``."""
    out: dict[str, list[str]] = {}
    if path is None:
        return out
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["object_id"], []).append(
                f"{row['subject_id'].split(':', 1)[-1]} {row['before'].split(' (')[0]} → {row['after']}")
    return out


def _counts_table(before: dict, after: dict) -> list[str]:
    lines = ["| 参照基準 | " + " | ".join(f"{ja} 前→後" for _, ja in STATUSES) + " | カバー率 前→後 | 候補 前→後 |",
             "|---|" + "---:|" * (len(STATUSES) + 2)]
    old = {f["framework"]: f for f in before["summary"]["frameworks"]}
    for f in after["summary"]["frameworks"]:
        o = old.get(f["framework"])
        cells = [f"{o['counts'][k] if o else '—'} → {f['counts'][k]}" for k, _ in STATUSES]
        pct = f"{o['coverage_pct'] if o else '—'}% → {f['coverage_pct']}%"
        cand = f"{o['candidates'] if o else '—'} → {f['candidates']}"
        lines.append(f"| {f['framework']} | " + " | ".join(cells) + f" | {pct} | {cand} |")
    b, a = before["summary"]["candidates"], after["summary"]["candidates"]
    levels = " / ".join(f"{k} {b['by_priority_level'][k]} → {a['by_priority_level'][k]}" for k in ("高", "中", "低"))
    lines += ["", f"候補の総数 {b['total']} → {a['total']}({levels})"]
    if "by_responsibility" in a:
        lines.append("責任主体(主): " + " / ".join(f"{k} {v}" for k, v in a["by_responsibility"].items()))
    return lines


def _targets(c: dict) -> list[str]:
    return [t["id"] for t in c["targets"]]


def _why_changed(cid_targets: list[str], review: dict[str, list[str]]) -> str:
    rows = [r for t in cid_targets for r in review.get(t, [])]
    return ("対応付けの再読: " + "; ".join(rows[:4]) + (" …" if len(rows) > 4 else "")) if rows else ""


def _removed(before: dict, after: dict, na: dict[str, str], review: dict[str, list[str]]) -> list[str]:
    now = {c["id"]: c for c in after["candidates"]}
    cited = {t: c for c in after["candidates"] for t in _targets(c)}
    lines = []
    for c in before["candidates"]:
        if c["id"] in now:
            continue
        ts = _targets(c)
        if any(t in cited and cited[t].get("merge_group") for t in ts):
            into = next(cited[t] for t in ts if t in cited)
            why = f"統合 {into['merge_group']}: {into['id']} に統合(対象の要求事項はすべて引き続き引用)"
        elif all(t in na for t in ts):
            first = na[ts[0]].split("。")[0]
            why = "対象外にした: " + first + ("。…" if first != na[ts[0]].rstrip("。") else "。")
        else:
            why = _why_changed(ts, review) or "充足になった"
            why = "未解決でなくなった(充足)。" + why if why != "充足になった" else why
        lines.append(f"| {c['id']} | {c['title']} | {c['priority']} {c['priority_level']} | {why} |")
    return lines


def _added(before: dict, after: dict, review: dict[str, list[str]]) -> list[str]:
    old_ids = {c["id"] for c in before["candidates"]}
    old_targets = {t for c in before["candidates"] for t in _targets(c)}
    frameworks = set(before["against"])
    lines = []
    for c in after["candidates"]:
        if c["id"] in old_ids:
            continue
        ts = _targets(c)
        if not set(c["frameworks"]) & frameworks:
            why = "新しい参照基準 " + ", ".join(c["frameworks"])
        elif not set(ts) & old_targets:
            why = (_why_changed(ts, review) or "状態の変化") + f"(現在 {c['status_ja']})"
        else:
            why = "id の変更"
        bodies = c.get("responsibility") or []
        if bodies and bodies[0] != "市区町村":
            why += f"; 責任主体: {'、'.join(bodies)}(R = {c['priority_factors'].get('R')})"
        lines.append(f"| {c['id']} | {c['title']} | {c['priority']} {c['priority_level']} | {why} |")
    return lines


def _factor_reason(o: dict, n: dict, resp: dict[str, str], review: dict[str, list[str]]) -> str:
    fo, fn = o["priority_factors"], n["priority_factors"]
    parts = []
    if fn.get("R", 1.0) != fo.get("R", 1.0):
        parts.append(f"R {fo.get('R', 1.0)} → {fn['R']}(責任主体: {'、'.join(n.get('responsibility', []))})")
    if "cap" in fn and "cap" not in fo:
        parts.append(f"上限 {int(fn['cap'])}(統合 {n.get('merge_group', '')})")
    for k in ("U", "E", "B"):
        if fo.get(k) != fn.get(k):
            parts.append(f"{k} {fo.get(k)} → {fn.get(k)}")
    if fo.get("U") != fn.get("U"):
        why = _why_changed(_targets(n), review)
        if why:
            parts.append(why)
    if _targets(o) != _targets(n):
        parts.append(f"対象の要求事項 {len(_targets(o))} → {len(_targets(n))} 件")
    return "; ".join(parts) or "—"


def _reprioritised(before: dict, after: dict, resp: dict[str, str], review: dict[str, list[str]]) -> list[str]:
    old = {c["id"]: c for c in before["candidates"]}
    lines = []
    for n in after["candidates"]:
        o = old.get(n["id"])
        if o is None or (o["priority"] == n["priority"] and _targets(o) == _targets(n)):
            continue
        lines.append(f"| {n['id']} | {n['title']} | {o['priority']} {o['priority_level']} → {n['priority']} "
                     f"{n['priority_level']} | {_factor_reason(o, n, resp, review)} |")
    return lines


def changelog(before: dict, after: dict, *, scope: Path | None = None, review: Path | None = None,
              title: str = "controlmap gaps: before and after") -> str:
    """The Markdown section comparing two gaps documents."""
    na, resp = _scope(scope)
    rows = _review(review)
    head = "| ID | 候補項目 | 優先度 | 理由 |\n|---|---|---|---|"
    out = [f"### {title}", "", f"`{before['source']}` against {', '.join(before['against'])}"
           f" (scope `{before['summary']['scope']}`).", "", *_counts_table(before, after)]
    for label, lines in (("追加された候補", _added(before, after, rows)),
                         ("なくなった候補", _removed(before, after, na, rows))):
        out += ["", f"#### {label}({len(lines)} 件)", "", head if lines else "なし", *lines]
    changed = _reprioritised(before, after, resp, rows)
    out += ["", f"#### 優先度・対象が変わった候補({len(changed)} 件)", "",
            "| ID | 候補項目 | 優先度 前 → 後 | 理由 |\n|---|---|---|---|" if changed else "なし", *changed]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    p.add_argument("--scope", type=Path)
    p.add_argument("--review", type=Path)
    p.add_argument("--title", default="controlmap gaps: before and after")
    args = p.parse_args(argv)
    load = lambda path: json.loads(path.read_text(encoding="utf-8"))  # noqa: E731
    sys.stdout.write(changelog(load(args.before), load(args.after), scope=args.scope, review=args.review,
                               title=args.title))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
