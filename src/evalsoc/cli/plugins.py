"""The command line does not look for pydantic's and typeguard's plugins (issue 16, start-up).

Both libraries scan the entry points of every installed distribution the first time they are
used (pydantic when it builds the framework's validator, typeguard when pandera imports it):
tens of milliseconds of CPU in each `evalsoc` command, growing with the environment, for
plugins evalsoc never uses (pydantic's are observability hooks; typeguard's add type checkers
for pandera's generic Python dtypes, which evalsoc does not declare). Each library documents an
environment variable that skips its scan; the command line sets it unless the user already has,
so `PYDANTIC_DISABLE_PLUGINS=` (empty) brings pydantic's plugins back. The library
(`import evalsoc`) changes nothing in the environment.
"""

from __future__ import annotations

import os

# pydantic: "__all__" disables every plugin (pydantic/plugin/_loader.py, docs "Plugins").
# typeguard: the variable's presence disables autoloading (typeguard.load_plugins' docstring).
SKIPPED = {"PYDANTIC_DISABLE_PLUGINS": "__all__", "TYPEGUARD_DISABLE_PLUGIN_AUTOLOAD": "1"}


def skip_plugin_scans() -> None:
    for name, value in SKIPPED.items():
        os.environ.setdefault(name, value)
