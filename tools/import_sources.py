"""Rebuild data/ from the gathered reference material in ../shared/sources (run by hand, never at run time).

Usage: python tools/import_sources.py [SOURCES_DIR]

Each node file becomes data/<framework>/<edition>/{framework.yaml,controls.csv}: the root row becomes the
edition's metadata, every other row a control whose id is its official clause number (the part after the
file's prefix). The trailing [R]/[I] tag of source_ref moves into the provenance column. Crosswalk files
become SSSOM mapping sets under data/crosswalks/ (see controlmap.io.crosswalk).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

RIGHTS_JIS = (
    "JIS Q 15001 の本文は著作権で保護されています(日本規格協会)。本データは箇条番号・箇条の見出し・"
    "controlmap 独自の一行要約のみを収録し、規格本文は含みません。本文は利用者が正規に入手したものを読み込めます。"
)
RIGHTS_GUS = (
    "統一基準は内閣官房内閣サイバーセキュリティセンター(NISC)の公表文書です。本データは項番・見出し・"
    "controlmap 独自の一行要約のみを収録し、本文は含みません。"
)
RIGHTS_MIC = (
    "総務省の住基ネットセキュリティチェックリスト本体は非公開です。本データは告示334号と公開された市町村の"
    "住基ネット規程から controlmap が再構成した点検項目(独自の表現)であり、総務省の項番・文言ではありません。"
    "都道府県から配布された正式なチェックリスト(Excel)は利用者が読み込めます。"
)

EDITIONS = [
    # file, framework id, data dir, edition key, prefix, metadata
    ("mic_juki_checklist.csv", "mic", "mic_checklist", "2009", "MIC", dict(
        title="総務省 住基ネット セキュリティ対策チェックリスト(再構成)",
        publisher="総務省(原本) / controlmap による再構成",
        edition_label="告示334号準拠 自己点検項目 再構成版(2002–2009期)",
        date="2009", rights=RIGHTS_MIC, is_default=True, completeness="reconstructed",
        levels=["chapter", "item"], assessable_levels=[],
        provenance_doc="mic_juki_checklist.provenance.md",
        sources=[
            "http://ec2-44-227-94-153.us-west-2.compute.amazonaws.com/a1/2003/0727-7.html",
            "https://happylibus.com/doc/302360/",
            "https://nishimeya.jp/section/reiki_int/reiki_honbun/c026RG00000341.html",
            "https://www.town.aizumi.lg.jp/reiki_int/reiki_honbun/o026RG00000294.html",
        ])),
    ("jisq15001.csv", "jisq15001", "jisq15001", "2006", "JISQ15001-2006", dict(
        title="個人情報保護マネジメントシステム―要求事項", publisher="日本産業標準調査会 審議 / 日本規格協会 発行",
        edition_label="JIS Q 15001:2006", date="2006-05-20", rights=RIGHTS_JIS, is_default=True,
        completeness="full", levels=["clause", "term"], assessable_levels=[],
        provenance_doc="jisq15001.provenance.md",
        sources=["http://jisq15001.privacymark.co.jp/plan/index_331.html",
                 "https://saaj.jp/03Kaiho/saajpmsJISQ15001_2017/000JISQ15001_2017.html"])),
    ("jisq15001_2017.csv", "jisq15001", "jisq15001", "2017", "JISQ15001-2017", dict(
        title="個人情報保護マネジメントシステム―要求事項", publisher="日本産業標準調査会 審議 / 日本規格協会 発行",
        edition_label="JIS Q 15001:2017", date="2017-12-20", rights=RIGHTS_JIS, is_default=False,
        completeness="partial", levels=["clause", "annex", "control_group", "control"],
        assessable_levels=["control"], provenance_doc="jisq15001.provenance.md",
        sources=["https://pmark.istrz.com/get-privacy-mark/key-points-of-pms-construction",
                 "https://saaj.jp/03Kaiho/saajpmsJISQ15001_2017/000JISQ15001_2017.html"])),
    ("jisq15001_2023_partial.csv", "jisq15001", "jisq15001", "2023", "JISQ15001-2023", dict(
        title="個人情報保護マネジメントシステム―要求事項", publisher="日本産業標準調査会 審議 / 日本規格協会 発行",
        edition_label="JIS Q 15001:2023(箇条0〜6.2のみ)", date="2023-09-20", rights=RIGHTS_JIS,
        is_default=False, completeness="partial", levels=["clause"], assessable_levels=[],
        provenance_doc="jisq15001.provenance.md",
        sources=["https://spangle-umbra-925.notion.site/JIS-Q-15001-2023-0a54db8db40e40ecb50d5a39239dcade?pvs=4"])),
    ("govt_unified_std_2021.csv", "govt_unified_std", "govt_unified_std", "2021", "GUS-R3", dict(
        title="政府機関等のサイバーセキュリティ対策のための統一基準", publisher="サイバーセキュリティ戦略本部(NISC)",
        edition_label="令和3年度版", date="2021-07-07", rights=RIGHTS_GUS, is_default=True,
        completeness="full", levels=["part", "section", "item", "requirement"], assessable_levels=[],
        provenance_doc="govt_unified_std.provenance.md",
        sources=["https://www.nisc.go.jp/policy/group/general/kijun.html"])),
    ("govt_unified_std_2014_partial.csv", "govt_unified_std", "govt_unified_std", "2014", "GUS-H26", dict(
        title="政府機関の情報セキュリティ対策のための統一基準", publisher="情報セキュリティ政策会議(NISC)",
        edition_label="平成26年度版(部分)", date="2014-05-19", rights=RIGHTS_GUS, is_default=False,
        completeness="partial", levels=["part", "section", "item", "requirement"], assessable_levels=[],
        provenance_doc="govt_unified_std.provenance.md",
        sources=["https://www.nisc.go.jp/policy/group/general/kijun.html"])),
    ("govt_unified_std_2009.csv", "govt_unified_std", "govt_unified_std", "2009", "GUS-V4", dict(
        title="政府機関の情報セキュリティ対策のための統一基準(第4版)", publisher="情報セキュリティ政策会議(NISC)",
        edition_label="第4版(骨格のみ)", date="2009-02-03", rights=RIGHTS_GUS, is_default=False,
        completeness="skeleton", levels=["volume", "part", "requirement"], assessable_levels=[],
        provenance_doc="govt_unified_std.provenance.md",
        sources=["https://vdocuments.pub/oeeffffc-c-1-oeeffffc.html"])),
    ("govt_unified_std_2009.csv", "govt_unified_std", "govt_unified_std", "2008", "GUS-V3", dict(
        title="政府機関の情報セキュリティ対策のための統一基準(第3版)", publisher="情報セキュリティ政策会議(NISC)",
        edition_label="第3版(骨格と断片)", date="2008-02", rights=RIGHTS_GUS, is_default=False,
        completeness="skeleton", levels=["part", "chapter", "section", "requirement"], assessable_levels=[],
        provenance_doc="govt_unified_std.provenance.md",
        sources=["https://vdocuments.pub/oeeffffc-c-1-oeeffffc.html"])),
]

TAG = re.compile(r"\s*\[(R|I)\]\s*$")


def split_tag(source_ref: str, where: str) -> tuple[str, str]:
    m = TAG.search(source_ref)
    if not m:
        raise SystemExit(f"{where}: source_ref has no [R]/[I] tag: {source_ref!r}")
    return source_ref[: m.start()].rstrip(), m.group(1)


def local(full_id: str, prefix: str) -> str:
    if full_id == prefix:
        return ""
    if prefix == "MIC":
        return full_id  # MIC-04-02 is already the local id
    head, sep, tail = full_id.partition(":")
    if head != prefix or not sep:
        raise SystemExit(f"id {full_id!r} does not start with {prefix}:")
    return tail


def import_edition(src: Path, file: str, fid: str, ddir: str, edition: str, prefix: str, meta: dict) -> None:
    rows = list(csv.DictReader((src / file).open(encoding="utf-8", newline="")))
    rows = [r for r in rows
            if r["id"] == prefix or r["id"].startswith(prefix + ":") or (prefix == "MIC" and r["id"].startswith("MIC"))]
    root = [r for r in rows if r["id"] == prefix]
    if len(root) != 1:
        raise SystemExit(f"{file}: expected one root row {prefix}")
    root_ref, root_tag = split_tag(root[0]["source_ref"], f"{file}:{prefix}")
    out_dir = DATA / ddir / edition
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = {
        "id": fid, "edition": edition, "prefix": prefix,
        "title": meta["title"], "edition_label": meta["edition_label"], "publisher": meta["publisher"],
        "date": meta["date"], "default": meta["is_default"], "completeness": meta["completeness"],
        "description": root[0]["summary_ja"],
        "source_ref": f"{root_ref} [{root_tag}]",
        "rights": meta["rights"], "sources": meta["sources"],
        "levels": meta["levels"], "assessable_levels": meta["assessable_levels"],
        "controls": "controls.csv",
    }
    with (out_dir / "framework.yaml").open("w", encoding="utf-8") as fh:
        fh.write(f"# {meta['title']} {meta['edition_label']} — generated by tools/import_sources.py from {file}\n")
        fh.write(f"# provenance of every row: data/provenance/{meta['provenance_doc']}\n")
        yaml.safe_dump(doc, fh, allow_unicode=True, sort_keys=False, width=120)
    with (out_dir / "controls.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "parent", "level", "title", "summary", "source_ref", "provenance"])
        for r in rows:
            if r["id"] == prefix:
                continue
            ref, tag = split_tag(r["source_ref"], f"{file}:{r['id']}")
            w.writerow([local(r["id"], prefix), local(r["parent_id"], prefix), r["level"], r["title"],
                        r["summary_ja"], ref, tag])


def main(argv: list[str]) -> None:
    src = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "sources"
    for spec in EDITIONS:
        import_edition(src, *spec)
    prov = DATA / "provenance"
    prov.mkdir(exist_ok=True)
    for p in sorted(src.glob("*.md")):
        (prov / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    sys.path.insert(0, str(ROOT))
    from controlmap.io.crosswalk import import_crosswalks

    import_crosswalks(src, DATA)


if __name__ == "__main__":
    main(sys.argv)
