"""The recorded AWX exchanges live in the repository, and tools/sync_recordings.py keeps them so."""
import glob
import importlib.util
import json
import os

import pytest

from tests.awxsim.replay import EXCHANGES, RECORDINGS, load_exchanges
from tests.conftest import REPO_ROOT


def _tool():
    spec = importlib.util.spec_from_file_location("sync_recordings",
                                                  os.path.join(REPO_ROOT, "tools", "sync_recordings.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_recordings_are_inside_the_repository():
    assert os.path.commonpath([RECORDINGS, REPO_ROOT]) == os.path.abspath(REPO_ROOT)
    assert os.path.isfile(os.path.join(RECORDINGS, "README.md"))
    assert len(glob.glob(os.path.join(EXCHANGES, "*.json"))) >= 21
    assert len(load_exchanges()) > 290
    for path in glob.glob(os.path.join(RECORDINGS, "*", "*.json")):
        with open(path, "rb") as handle:
            data = handle.read()
        assert max(data) < 0x80, "%s: non-ASCII bytes (run tools/sync_recordings.py)" % path
        json.loads(data)


def test_ascii_json_keeps_the_document():
    tool = _tool()
    text = json.dumps({"quote": "\u201cfiltered\u201d \u2026", "astral": "\U0001f600", "plain": "a\\u00e9"},
                      ensure_ascii=False, indent=1)
    escaped = tool.ascii_json(text)
    assert max(escaped.encode("utf-8")) < 0x80
    assert json.loads(escaped) == json.loads(text)
    assert escaped.count("\n") == text.count("\n")


def test_sync_copies_new_and_changed_files_and_reports_them(tmp_path, monkeypatch, capsys):
    tool = _tool()
    source = tmp_path / "shared" / "awx-api"
    (source / "exchanges").mkdir(parents=True)
    (source / "options").mkdir()
    (source / "README.md").write_text("facts \u2019quoted\u2019\n", encoding="utf-8")
    (source / "exchanges" / "01-a.json").write_text('[{"detail": "\u201cx\u201d"}]\n', encoding="utf-8")
    (source / "options" / "hosts.json").write_text('{"name": "Host List"}\n')
    dest = tmp_path / "repo" / "recordings"
    monkeypatch.setattr(tool, "DEST", str(dest))
    monkeypatch.setattr(tool, "REPO", str(tmp_path / "repo"))

    assert tool.main(["--from", str(source), "--check"]) == 1
    assert not dest.exists()
    capsys.readouterr()
    assert tool.main(["--from", str(source)]) == 0
    out = capsys.readouterr().out
    assert "new:" in out and "exchanges/01-a.json" in out and "3 new or updated, 0 unchanged" in out
    assert (dest / "README.md").read_text() == "facts 'quoted'\n"
    assert json.loads((dest / "exchanges" / "01-a.json").read_text()) == [{"detail": "\u201cx\u201d"}]
    assert tool.main(["--from", str(source), "--check"]) == 0

    (source / "exchanges" / "02-b.json").write_text("[]\n")
    (source / "options" / "hosts.json").write_text('{"name": "Host List", "new": 1}\n')
    (dest / "options" / "stale.json").write_text("{}")
    capsys.readouterr()
    assert tool.main(["--from", str(source)]) == 0
    out = capsys.readouterr().out
    assert "new:" in out and "exchanges/02-b.json" in out
    assert "updated:" in out and "options/hosts.json" in out
    assert "only in the repository: options/stale.json" in out and (dest / "options" / "stale.json").exists()
    assert "2 new or updated, 2 unchanged" in out
    assert tool.main(["--from", str(source), "--prune"]) == 0
    assert not (dest / "options" / "stale.json").exists()


def test_sync_without_a_source_changes_nothing(tmp_path, monkeypatch, capsys):
    tool = _tool()
    monkeypatch.setattr(tool, "DEST", str(tmp_path / "dest"))
    assert tool.main(["--from", str(tmp_path / "missing")]) == 0
    assert "no recordings found" in capsys.readouterr().out
    assert not (tmp_path / "dest").exists()


@pytest.mark.skipif(_tool().default_source() is None, reason="no shared/awx-api beside the checkout to compare with")
def test_the_copy_is_up_to_date_with_shared_recordings_when_present():
    assert _tool().main(["--check"]) == 0, "newer recordings beside the checkout: run tools/sync_recordings.py"
