"""ctkg — the Công Thương Knowledge Graph.

``ctkg.KnowledgeGraph`` opens the graph for notebooks; ``%load_ext ctkg`` adds the ``%%sparql``
cell magic.
"""

from importlib.metadata import PackageNotFoundError, version

try:  # the one source of the version is pyproject.toml, read from the installed metadata
    __version__ = version("ctkg")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
__all__ = ["KnowledgeGraph", "QueryError", "QueryTimeout", "load_ipython_extension"]


def __getattr__(name: str):
    # pandas and friends load only when the notebook API is used, not for every CLI call
    if name in ("KnowledgeGraph", "QueryError", "QueryTimeout"):
        from ctkg import api

        return getattr(api, name)
    raise AttributeError(f"module 'ctkg' has no attribute {name!r}")


def load_ipython_extension(ipython) -> None:
    """``%load_ext ctkg``: register the ``%%sparql`` cell magic."""
    from ctkg.magic import register

    register(ipython)
