"""Property: whatever the YAML, the framework loader returns a Framework or raises
FrameworkError (a message with the file and line), never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from evalsoc.errors import FrameworkError
from evalsoc.framework.load import load_framework
from fuzz.strategies import mutated_yaml

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@FAST
@given(text=mutated_yaml())
def test_loader_raises_only_framework_errors(tmp_path_factory, text):
    path = tmp_path_factory.getbasetemp() / "fuzz-framework.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_framework(path)
    except FrameworkError as exc:
        assert str(path) in str(exc)
