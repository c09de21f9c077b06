"""Faults as a user's machine meets them, each driven through the CLI in subprocesses: same-name files,
lost sidecars, two runs at once, a damaged segment, Ctrl-C and SIGTERM, a killed worker, a full disk, odd
names, an empty index, a closed stdout, and the same ids from one worker or two."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.faults.conftest import big_folder, env, group_alive, paper, pcp, spawn


def ids(index_dir: Path, query: str) -> list[str]:
    found = pcp("search", query, "-n", "1000", "--kind", "qa", "--json", "--index-dir", index_dir)
    assert found.returncode == 0, found.stderr
    return [r["id"] for r in json.loads(found.stdout)["results"]]


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_files_with_the_same_name_in_two_folders_keep_apart(tmp_path):
    corpus = tmp_path / "corpus"
    paper(corpus / "north", "minutes.txt", "zanzibarite")
    paper(corpus / "south", "minutes.txt", "zanzibarite", place="Lakeside")
    paper(corpus, "minutes.txt", "zanzibarite", place="Hillford")
    result = pcp("index", corpus, "--index-dir", tmp_path / "ix")
    assert result.returncode == 0, result.stderr
    found = ids(tmp_path / "ix", "zanzibarite")
    assert len(found) == len(set(found))
    prefixes = {i.split("#")[0] for i in found}
    assert prefixes == {"minutes.txt", "north/minutes.txt", "south/minutes.txt"}  # (one in the root keeps its form)
    shown = pcp("show", "south/minutes.txt#qa1", "--json", "--index-dir", tmp_path / "ix")
    assert shown.returncode == 0 and "Lakeside" in shown.stdout


def test_lost_sidecars_then_one_root_reindexed_keeps_the_other_root(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    paper(one, "a.txt", "quarzelmond")
    paper(two, "b.txt", "zanzibarite")
    index_dir = tmp_path / "ix"
    assert pcp("index", one, two, "--index-dir", index_dir).returncode == 0
    for name in ("manifest.json", "entities.json", "words.json", "params.index.json"):
        (index_dir / name).unlink()
    paper(one, "c.txt", "blorptastic")
    result = pcp("index", one, "--index-dir", index_dir)
    assert result.returncode == 0, result.stderr
    assert "rebuilt from the index" in result.stderr
    assert ids(index_dir, "zanzibarite") and ids(index_dir, "quarzelmond") and ids(index_dir, "blorptastic")
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert len(manifest["files"]) == 3
    words = json.loads((index_dir / "words.json").read_text())  # the did-you-mean words came back too
    assert words["zanzibarite"] and words["quarzelmond"] and words["blorptastic"]


def test_two_runs_at_once_into_a_fresh_index_lose_nothing(tmp_path):
    one, two = big_folder(tmp_path / "one", 40), tmp_path / "two"  # seconds of work: still running when the second starts
    paper(two, "b.txt", "zanzibarite")
    index_dir = tmp_path / "ix"
    first = spawn("index", one, "--index-dir", index_dir)
    lock = tmp_path / ".ix.lock"  # the second starts once the first holds the run's lock (its pid is in the file)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None and not (lock.is_file() and lock.read_text() == str(first.pid)):
        time.sleep(0.02)
    second = spawn("index", two, "--index-dir", index_dir)
    outs = [p.communicate(timeout=180) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), outs
    assert f"in use by pid {first.pid}" in outs[1][1]  # the later one said why it waited
    assert ids(index_dir, "zanzibarite") and ids(index_dir, '"Building 2"')
    assert len(json.loads((index_dir / "manifest.json").read_text())["files"]) == 41


def test_a_damaged_segment_is_named_and_index_force_rebuilds_beside_it(tmp_path):
    papers = tmp_path / "papers"
    paper(papers, "a.txt", "zanzibarite")
    index_dir = tmp_path / "ix"
    assert pcp("index", papers, "--index-dir", index_dir).returncode == 0
    for segment in index_dir.glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[:300])
    for command in (["search", "zanzibarite"], ["index", papers], ["entities"]):
        result = pcp(*command, "--index-dir", index_dir)
        assert result.returncode == 2
        line = one_line_error(result)
        assert line.startswith("error: index damaged:") and "pcp-search index --force" in line
    rebuilt = pcp("index", papers, "--force", "--index-dir", index_dir)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert ids(index_dir, "zanzibarite") == ["a.txt#qa1"]
    assert not index_dir.with_name("ix.rebuild").exists()


def _overwrite_inside(index_dir: Path, part: str, at: int, garbage: bytes) -> None:
    """Write `garbage` `at` bytes into the `part` subfile ('pst', 'payload.col') of the index's only
    segment: damage inside what Zstandard compressed, which a cut-short file does not reach."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage

    (segment,) = index_dir.glob("*.seg")
    compound = CompoundStorage(FileStorage(str(index_dir)).open_file(segment.name), use_mmap=False)
    name = next(name for name in compound.list() if name.endswith("." + part))
    start = compound._dir[name]["offset"]
    compound.close()
    data = bytearray(segment.read_bytes())
    data[start + at:start + at + len(garbage)] = garbage
    segment.write_bytes(bytes(data))


def _compressed_block_of(index_dir: Path, word: bytes) -> int:
    """Where the data of the word's first posting block begins in the postings, checking that the
    block is compressed with Zstandard."""
    from pcp_search.engine import Store
    from pcp_search.engine.internals import ZSTD_BLOCK

    searcher = Store(index_dir)._searcher()
    matcher = searcher.reader().postings("body", word)
    assert matcher._compression == ZSTD_BLOCK
    return matcher._dataoffset


@pytest.mark.parametrize("part", ["pst", "payload.col"])
def test_damage_inside_a_compressed_block_or_record_is_named_and_index_force_rebuilds(tmp_path, part):
    from pcp_search.engine import Store

    papers = tmp_path / "papers"
    shutil.copytree(SEEDS, papers)
    index_dir = tmp_path / "ix"
    assert pcp("index", papers, "--index-dir", index_dir, "--workers", "1").returncode == 0
    found = ids(index_dir, "police")
    first = next(Store(index_dir).stored_records())  # (the record the damage reaches in the payload column)
    at = _compressed_block_of(index_dir, b"polic") + 8 if part == "pst" else 40
    _overwrite_inside(index_dir, part, at, b"\xff" * 24)
    changed = papers / Path(first["path"]).name
    changed.write_text(changed.read_text() + "\nA new line.\n", encoding="utf-8")
    searched = pcp("search", "police", "--index-dir", index_dir)
    shown = pcp("show", first["id"], "--index-dir", index_dir)
    updated = pcp("index", papers, "--index-dir", index_dir)  # (deleting the changed file's records reads them)
    for result in (searched, shown, updated) if part == "payload.col" else (searched,):
        assert result.returncode == 2, result.stdout
        line = one_line_error(result)
        assert line.startswith("error: index damaged:") and "pcp-search index --force" in line, line
    rebuilt = pcp("index", papers, "--force", "--index-dir", index_dir)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert sorted(ids(index_dir, "police")) == sorted(found)


def test_an_index_of_format_13_stays_searchable_and_index_rebuilds_it(tmp_path):
    # before format 14 a record was kept in Whoosh's stored fields (no payload column) and posting
    # blocks were compressed with zlib by Whoosh's own codec: such an index is read as it is
    from whoosh import index as whoosh_index
    from whoosh.fields import STORED

    from pcp_search.engine import record_fields
    from pcp_search.engine.records import index_params, stored_json
    from pcp_search.engine.schema import SEARCH_FIELD, build_schema
    from pcp_search.entities.tagger import Tagger
    from pcp_search.filework import process_file

    papers = tmp_path / "papers"
    path = paper(papers, "a.txt", "zanzibarite")
    index_dir = tmp_path / "ix"
    index_dir.mkdir()
    schema = build_schema()
    schema.remove("payload")
    schema.add("payload", STORED())
    writer = whoosh_index.create_in(str(index_dir), schema, indexname="pcp").writer()
    for record in process_file(path, Tagger())[0]:
        fields = record_fields(record, str(path))
        fields[SEARCH_FIELD] = "\n".join(fields[SEARCH_FIELD])
        fields["payload"] = stored_json(record, str(path), {"sha": "0", "size": 1, "learned": []}).decode("utf-8")
        writer.add_document(**fields)
    writer.commit()
    (index_dir / "params.index.json").write_text(json.dumps(index_params() | {"format": 13}))

    searched = pcp("search", "zanzibarite", "--json", "--index-dir", index_dir)
    assert searched.returncode == 0, searched.stderr
    found = json.loads(searched.stdout)
    assert "a.txt#qa1" in [result["id"] for result in found["results"]]
    assert any("rebuild" in note for note in found["notes"])
    shown = pcp("show", "a.txt#qa1", "--index-dir", index_dir)
    assert shown.returncode == 0 and "zanzibarite" in shown.stdout.lower(), shown.stderr
    rebuilt = pcp("index", papers, "--index-dir", index_dir)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads((index_dir / "params.index.json").read_text())["format"] == index_params()["format"]
    assert ids(index_dir, "zanzibarite") == ["a.txt#qa1"]


@pytest.mark.parametrize("how", ["ctrl-c x3", "sigterm"])
def test_interrupting_a_run_stops_it_quickly_and_the_next_run_completes(tmp_path, how):
    papers = tmp_path / "papers"
    paper(papers, "first.txt", "zanzibarite")
    index_dir = tmp_path / "ix"
    assert pcp("index", papers, "--index-dir", index_dir).returncode == 0
    big_folder(papers, 40)  # several seconds of work even on a quiet machine
    proc = spawn("index", papers, "--index-dir", index_dir, "--workers", "2")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not [pid for pid in group_alive(proc.pid) if pid != proc.pid]:
        time.sleep(0.2)  # interrupt once the workers are at it, not after a fixed wait that a fast machine outruns
    time.sleep(0.5)
    assert proc.poll() is None, proc.communicate()
    stopped = time.monotonic()
    if how == "sigterm":
        os.kill(proc.pid, signal.SIGTERM)
    else:
        for _ in range(3):  # as a terminal sends it: to the whole process group
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.3)
    _out, err = proc.communicate(timeout=15)
    assert time.monotonic() - stopped < 15
    assert proc.returncode == (143 if how == "sigterm" else 130), err
    assert "Traceback" not in err and "the index is searchable" in err
    time.sleep(0.5)
    assert group_alive(proc.pid) == []  # no orphaned workers
    assert ids(index_dir, "zanzibarite") == ["first.txt#qa1"]
    again = pcp("index", papers, "--index-dir", index_dir)
    assert again.returncode == 0, again.stderr
    assert ids(index_dir, '"Building 13"')


def test_a_killed_worker_stops_the_run_with_a_message(tmp_path):
    papers = big_folder(tmp_path / "papers", 30)  # still at work when a worker is killed, even on a quiet machine
    index_dir = tmp_path / "ix"
    proc = spawn("index", papers, "--index-dir", index_dir, "--workers", "2")
    deadline = time.monotonic() + 30
    workers = []
    while time.monotonic() < deadline and not workers:
        time.sleep(0.5)
        workers = [pid for pid in group_alive(proc.pid) if pid != proc.pid]
    assert workers, "no worker started"
    time.sleep(0.5)
    os.kill(workers[0], signal.SIGKILL)
    _out, err = proc.communicate(timeout=15)
    assert proc.returncode == 2 and "worker" in err and "killed" in err and "Traceback" not in err
    time.sleep(0.5)
    assert group_alive(proc.pid) == []
    assert pcp("index", papers, "--index-dir", index_dir).returncode == 0


def _small_tmpfs(path: Path) -> bool:
    path.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(path)], capture_output=True).returncode == 0


def test_a_full_disk_stops_the_run_keeps_the_last_commit(tmp_path):
    disk = tmp_path / "disk"
    mounted = _small_tmpfs(disk)
    try:
        papers = tmp_path / "papers"
        paper(papers, "first.txt", "zanzibarite")
        index_dir = disk / "ix"
        assert pcp("index", papers, "--index-dir", index_dir).returncode == 0
        big_folder(papers, 12 if mounted else 3)
        fault = None if mounted else {"PCP_SEARCH_TEST_FAULT": "enospc"}  # no tmpfs to fill: the commit is told the disk is full
        result = pcp("index", papers, "--index-dir", index_dir, "--workers", "2", extra_env=fault, timeout=60)
        assert result.returncode == 2
        assert "no space left" in one_line_error(result)
        assert ids(index_dir, "zanzibarite") == ["first.txt#qa1"]
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=False)


def test_a_name_that_is_not_utf8_is_indexed_and_shown_escaped(tmp_path):
    papers = tmp_path / "papers"
    paper(papers, "plain.txt", "quarzelmond")
    odd = Path(os.fsdecode(bytes(papers) + b"/caf\xe9 minutes.txt"))
    odd.write_text(paper(tmp_path / "x", "t.txt", "zanzibarite").read_text(), encoding="utf-8")
    result = pcp("index", papers, "--index-dir", tmp_path / "ix")
    assert result.returncode == 0, result.stderr
    assert ids(tmp_path / "ix", "zanzibarite") == ["caf\\xe9 minutes.txt#qa1"]
    assert ids(tmp_path / "ix", "quarzelmond") == ["plain.txt#qa1"]
    assert pcp("index", papers, "--index-dir", tmp_path / "ix").stdout.startswith("0 documents indexed")


def test_an_empty_index_and_a_closed_stdout_give_no_traceback(tmp_path):
    (tmp_path / "empty").mkdir()
    index_dir = tmp_path / "ix"
    assert pcp("index", tmp_path / "empty", "--index-dir", index_dir).returncode == 0
    empty = pcp("search", "MASH", "--index-dir", index_dir)
    assert empty.returncode == 0 and "nothing indexed yet" in empty.stderr and "Traceback" not in empty.stderr
    for command in (["search", "MASH"], ["timeline", "MASH"], ["entities"], ["ask", "what about MASH?"]):
        shell = f"exec {_python()} {shlex.join(command)} --index-dir {index_dir} >&-"
        closed = subprocess.run(["sh", "-c", shell], stderr=subprocess.PIPE, text=True, timeout=60, env=env())
        assert closed.returncode == 0 and "Traceback" not in closed.stderr, (command, closed.stderr)
    papers = tmp_path / "papers"
    paper(papers, "a.txt", "zanzibarite")
    assert pcp("index", papers, "--index-dir", index_dir).returncode == 0
    piped = subprocess.run(["sh", "-c", f"{_python()} search zanzibarite --index-dir {index_dir} | head -c 1"],
                           capture_output=True, text=True, timeout=60, env=env())
    assert "Traceback" not in piped.stderr and "Exception ignored" not in piped.stderr


def _python() -> str:
    return shlex.join([sys.executable, "-m", "pcp_search"])


def test_odd_index_folders_give_one_line(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("not an index")
    for command in (["search", "MASH"], ["index", tmp_path]):
        result = pcp(*command, extra_env={"PCP_SEARCH_INDEX": str(afile)})
        assert result.returncode == 2 and "is a file" in one_line_error(result)


def test_one_worker_and_two_give_the_same_record_and_entity_ids(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for workers in ("1", "2"):
        result = pcp("index", corpus, "--index-dir", tmp_path / f"ix{workers}", "--workers", workers)
        assert result.returncode == 0, result.stderr
    from pcp_search.engine import Store
    from pcp_search.engine.records import payload

    def records(index_dir: Path) -> dict[str, list[str]]:
        whole = [payload(json.dumps(stored)) for stored in Store(index_dir).stored_records()]
        return {record["id"]: sorted(e["id"] for e in record["entities"]) for record in whole}

    one, two = records(tmp_path / "ix1"), records(tmp_path / "ix2")
    assert one.keys() == two.keys() and one == two
    entities = [json.loads(pcp("entities", "--json", "--index-dir", tmp_path / f"ix{w}").stdout) for w in ("1", "2")]
    assert sorted(e["id"] for e in entities[0]) == sorted(e["id"] for e in entities[1])
    assert not any(i.startswith("person:mr-") or i.startswith("person:cllr-") for i in one_ids(one))


def one_ids(records: dict[str, list[str]]) -> set[str]:
    return {i for ids in records.values() for i in ids}
