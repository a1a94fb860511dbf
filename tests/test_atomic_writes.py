"""No write goes astray: a SIGKILL mid-write leaves the old file or the new one, never a broken one;
no write follows a planted symbolic link; no command overwrites one of its inputs.

The kill loop runs the public commands in a child process whose ``open`` is wrapped: on the N-th
write into the output folder the child writes half of the data, flushes and SIGKILLs itself. An
atomic writer is then writing its temporary file, so the output still holds the old bytes; a writer
that writes in place leaves half a file. Every writer goes through ``controlmap.export.files``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from controlmap.cli.main import main
from controlmap.errors import ExportError, OutputIsInputError
from controlmap.export.files import atomic_path, refuse_overwrite, write_text

REPO = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent('''
    import builtins, io, os, signal, sys
    folder, kill_at, argv = os.path.abspath(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    real_open, writes = io.open, [0]

    class Dying:
        def __init__(self, f):
            self._f = f
        def write(self, data):
            writes[0] += 1
            if writes[0] >= kill_at:
                self._f.write(data[: max(1, len(data) // 2)])
                self._f.flush()
                os.kill(os.getpid(), signal.SIGKILL)
            return self._f.write(data)
        def writelines(self, lines):
            for line in lines:
                self.write(line)
        def __getattr__(self, name):
            return getattr(self._f, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self._f.__exit__(*exc)
        def __iter__(self):
            return iter(self._f)

    def dying_open(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        if (isinstance(file, (str, bytes, os.PathLike)) and any(c in mode for c in "wax+")
                and os.path.abspath(os.fsdecode(file)).startswith(folder + os.sep)):
            return Dying(f)
        return f

    builtins.open = io.open = dying_open
    from controlmap.cli.main import main
    sys.exit(main(argv))
''')


def _valid(path: Path, reference: bytes) -> bool:
    """``path`` is a whole file of its format (the same bytes as a clean run where output is stable)."""
    data = path.read_bytes()
    if data == reference:
        return True
    try:
        if path.suffix == ".xlsx":
            from openpyxl import load_workbook

            load_workbook(path).close()
            return True
        if path.suffix == ".json":  # OSCAL's last-modified differs between runs; a cut document does not parse
            import json

            return isinstance(json.loads(data.decode("utf-8")), dict)
        if path.suffix == ".ttl":
            from rdflib import Graph

            return len(Graph().parse(data=data.decode("utf-8"), format="turtle")) > 0
    except Exception:
        return False
    return False


# name, argv with {out} for the output file, output suffix
WRITERS = [
    ("coverage-csv", ["coverage", "--source", "mic", "--target", "jisq15001", "--format", "csv", "-o", "{out}"],
     ".csv"),
    ("report-html", ["report", "--source", "mic", "--against", "jisq15001", "-o", "{out}"], ".html"),
    ("viz-html", ["viz", "--source", "mic", "--against", "jisq15001", "-o", "{out}"], ".html"),
    ("gaps-xlsx", ["gaps", "--source", "mic", "--against", "jisq15001", "-o", "{out}"], ".xlsx"),
    ("gaps-md", ["gaps", "--source", "mic", "--against", "jisq15001", "-o", "{out}"], ".md"),
    ("export-rdf", ["export-rdf", "-o", "{out}"], ".ttl"),
    ("isheet-new", ["isheet", "new", "--year", "2026", "-o", "{out}"], ".xlsx"),
    ("export-ciso", ["export-ciso", "-o", "{out}"], ".yaml"),
    ("export-oscal", ["export-oscal", "--source", "mic", "--against", "jisq15001", "-o", "{out}"], ".json"),
    ("survey-new", ["survey", "new", "-o", "{out}"], ".xlsx"),
    ("editions-carry", ["editions", "carry", "--mappings", str(REPO / "data/mappings/mic_jisq15001-2006.sssom.tsv"),
                        "--to", "jisq15001@2017", "-o", "{out}"], ".sssom.tsv"),
]


def _run(script: Path, folder: Path, kill_at: int, argv: list[str]) -> int:
    done = subprocess.run([sys.executable, str(script), str(folder), str(kill_at), *argv], cwd=folder,
                          capture_output=True, timeout=120)
    return done.returncode


@pytest.mark.parametrize("name, argv, suffix", [pytest.param(*w, id=w[0]) for w in WRITERS])
def test_sigkill_during_a_write_leaves_the_old_file_or_the_new_one(tmp_path, name, argv, suffix):
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    clean = tmp_path / "clean"
    clean.mkdir()
    out = clean / f"out{suffix}"
    assert main([a.format(out=out) for a in argv]) == 0
    reference = out.read_bytes()
    kills = (1, 2, 3, 5, 8)
    folders = []
    for k in kills:
        folder = tmp_path / f"kill{k}"
        folder.mkdir()
        shutil.copy(out, folder / out.name)  # last year's file, as the user keeps it
        folders.append(folder)
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(
            lambda job: _run(script, job[0], job[1], [a.format(out=job[0] / out.name) for a in argv]),
            zip(folders, kills, strict=True)))
    assert codes[0] == -signal.SIGKILL, codes  # the first write into the folder was hit
    broken = [k for k, folder in zip(kills, folders, strict=True) if not _valid(folder / out.name, reference)]
    assert not broken, f"{name}: a kill at write {broken} left a broken {out.name}"


# -- symbolic links and temporary names ---------------------------------------------------------------------
def test_atomic_path_refuses_a_symlink_and_leaves_its_target_alone(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "out" / "a.csv"
    link.parent.mkdir()
    link.symlink_to(victim)
    with pytest.raises(ExportError, match="symbolic link"):
        write_text(link, "evil")
    folder_link = tmp_path / "linked"
    folder_link.symlink_to(tmp_path / "out", target_is_directory=True)
    with pytest.raises(ExportError, match="folder that is a symbolic link"):
        write_text(folder_link / "b.csv", "evil")
    assert victim.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.csv"]  # no temporary file left


def test_temporary_names_are_unique_and_a_planted_tmp_link_is_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    target = tmp_path / "decisions.yaml"
    (tmp_path / "decisions.yaml.tmp").symlink_to(victim)  # the fixed name an older version used
    with atomic_path(target) as first, atomic_path(tmp_path / "decisions.yaml") as second:
        assert first != second and first.parent == second.parent == tmp_path
        assert not first.is_symlink() and first.name.startswith(".decisions.yaml.")
        first.write_text("one", encoding="utf-8")
        second.write_text("two", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "one" and victim.read_text(encoding="utf-8") == "keep"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "kg.ttl"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("crash")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_the_new_file_keeps_the_permissions_of_the_old_one(tmp_path):
    target = tmp_path / "shared.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text(target, "new")
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    fresh = write_text(tmp_path / "fresh.csv", "x")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


def test_share_does_not_write_through_links_planted_in_its_folder(tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    decisions = tmp_path / "decisions.yaml"
    for state in ("under_review", "adopted"):
        assert main(["decide", "C-GUS-R3-1.2(1)", "--state", state, "--reason", "必要", "--reviewer", "委員会",
                     "--decisions", str(decisions)]) == 0
    out = tmp_path / "share"
    (out / "mic_additional").mkdir(parents=True)
    for name in ("adopted-items.csv", "mic_additional_govt_unified_std-2021.sssom.tsv",
                 "mic_additional/framework.yaml", "mic_additional/controls.csv"):
        (out / name).symlink_to(victim)
    main(["share", "--decisions", str(decisions), "-o", str(out)])
    assert victim.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("argv", [
    ["export-ciso", "--framework", "mic", "-o", "{out}/mic.yaml"],
    ["export-ciso", "--framework", "mic", "--framework", "jisq15001@2006", "--split", "-o", "{out}/ciso"],
    ["export-oscal", "--framework", "mic", "-o", "{out}/mic.json"],
    ["import-oscal", str(REPO / "tests/fixtures/oscal_sample_catalog.json"), "-o", "{out}/sample"],
], ids=["ciso", "ciso-split", "oscal", "import-oscal"])
def test_interop_writers_do_not_write_through_planted_links(tmp_path, capsys, argv):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    for name in ("mic.yaml", "mic.json", "ciso/controlmap-mic-2009.yaml", "sample/framework.yaml",
                 "sample/controls.csv"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).symlink_to(victim)
    assert main([a.format(out=out) for a in argv]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert victim.read_text(encoding="utf-8") == "keep"


def test_decide_does_not_follow_a_planted_tmp_link(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    decisions = tmp_path / "decisions.yaml"
    (tmp_path / "decisions.yaml.tmp").symlink_to(victim)
    main(["decide", "C-GUS-R3-1.2(1)", "--state", "under_review", "--reviewer", "委員会",
          "--decisions", str(decisions)])
    assert victim.read_text(encoding="utf-8") == "keep"


# -- outputs that are inputs --------------------------------------------------------------------------------
def test_refuse_overwrite_sees_other_spellings_and_hard_links(tmp_path):
    source = tmp_path / "isheet.xlsx"
    source.write_bytes(b"x")
    (tmp_path / "hard.xlsx").hardlink_to(source)
    for output in (source, tmp_path / "." / "isheet.xlsx", tmp_path / "hard.xlsx"):
        with pytest.raises(OutputIsInputError):
            refuse_overwrite(output, None, source)
    refuse_overwrite(tmp_path / "new.xlsx", source)


def test_isheet_new_refuses_to_overwrite_last_years_sheet(tmp_path, capsys):
    sheet = tmp_path / "isheet-2025.xlsx"
    assert main(["isheet", "new", "--year", "2025", "-o", str(sheet)]) == 0
    before = sheet.read_bytes()
    assert main(["isheet", "new", "--year", "2026", "--previous", str(sheet), "-o", str(sheet)]) == 2
    assert "the output is also an input" in capsys.readouterr().err
    assert sheet.read_bytes() == before


def test_editions_carry_refuses_to_overwrite_its_mappings(tmp_path, capsys):
    mappings = tmp_path / "mic_jisq15001-2006.sssom.tsv"
    shutil.copy(REPO / "data/mappings/mic_jisq15001-2006.sssom.tsv", mappings)
    before = mappings.read_bytes()
    assert main(["editions", "carry", "--mappings", str(mappings), "--to", "jisq15001@2017", "-o",
                 str(mappings)]) == 2
    assert "the output is also an input" in capsys.readouterr().err
    assert mappings.read_bytes() == before
