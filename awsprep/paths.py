"""Where things live: the shipped content, the learner's data and the cache.

`AWSPREP_HOME` (used by tests and by learners who want their progress elsewhere) overrides the platform
directories for both data and cache.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def content_root() -> Path:
    """The folder that holds `content/` and `decks/`.

    In an installed wheel they ship inside the package (`awsprep/_bundled`); in a source checkout (and an
    editable install) they are the top-level folders next to the package. `AWSPREP_CONTENT` names another
    folder of the same shape (an author's working copy).
    """
    override = os.environ.get("AWSPREP_CONTENT")
    if override:
        return Path(override).expanduser()
    package = Path(str(files("awsprep")))
    bundled = package / "_bundled"
    if (bundled / "content").is_dir():
        return bundled
    return package.parent


def data_dir() -> Path:
    home = os.environ.get("AWSPREP_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_path

    return user_data_path("awsprep", appauthor=False)


def cache_dir() -> Path:
    home = os.environ.get("AWSPREP_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path("awsprep", appauthor=False)
