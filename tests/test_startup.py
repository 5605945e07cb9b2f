"""evalsoc/startup.py: the collector paused during a command's start-up, in-process."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest

from evalsoc import startup


@pytest.fixture
def command_line(monkeypatch):
    """This process behaves as the command line; the frozen objects are given back after."""
    monkeypatch.setitem(startup._state, "command_line", True)
    yield
    gc.unfreeze()
    gc.enable()


def framework(*derived: bool) -> SimpleNamespace:
    return SimpleNamespace(
        data={f"s{i}": SimpleNamespace(derived=d) for i, d in enumerate(derived)}
    )


def test_as_a_library_nothing_changes():
    assert not startup._state["command_line"]
    with startup.collector_paused():
        assert gc.isenabled()
        startup.end_of_startup(framework(False), None)
        assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_paused_until_the_libraries_are_imported(command_line):
    with startup.collector_paused():
        assert not gc.isenabled()
        startup.end_of_startup(framework(False), SimpleNamespace(name="pandas"))
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled()


def test_stopped_before_the_data_resumes_without_freezing(command_line):
    with pytest.raises(SystemExit):
        with startup.collector_paused():
            assert not gc.isenabled()
            raise SystemExit(2)  # a framework error
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_collector_the_user_disabled_stays_disabled(command_line):
    gc.disable()
    with startup.collector_paused():
        startup.end_of_startup(framework(False), None)
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_late_import_runs_with_the_collector_paused_and_freezes_nothing(command_line):
    """`collector_paused_for` (pandera's import when a check may fail, data/validate.py)."""
    seen = []
    assert startup.collector_paused_for(lambda: seen.append(gc.isenabled()) or "module") == (
        "module"
    )
    assert seen == [False]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    with pytest.raises(ImportError):  # an import error is loud, and the collector back on
        startup.collector_paused_for(lambda: __import__("evalsoc_no_such_module"))
    assert gc.isenabled()


def test_a_late_import_as_a_library_leaves_the_collector_alone():
    seen = []
    startup.collector_paused_for(lambda: seen.append(gc.isenabled()))
    assert seen == [True]
