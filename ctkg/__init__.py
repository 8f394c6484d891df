"""ctkg — the Công Thương Knowledge Graph.

``ctkg.KnowledgeGraph`` opens the graph for notebooks; ``%load_ext ctkg`` adds the ``%%sparql``
cell magic.
"""

__all__ = ["KnowledgeGraph", "QueryError", "QueryTimeout", "load_ipython_extension"]


def __getattr__(name: str):
    if name == "__version__":
        # read on first use: importlib.metadata is 5 MB of resident memory, which a process
        # that only bulk-loads (bench/synth/loading.py) or runs queries has no use for
        from importlib.metadata import PackageNotFoundError, version

        try:  # the one source of the version is pyproject.toml, read from the installed metadata
            value = version("ctkg")
        except PackageNotFoundError:  # a source tree that was never installed
            value = "0+unknown"
        globals()["__version__"] = value
        return value
    # pandas and friends load only when the notebook API is used, not for every CLI call
    if name in ("KnowledgeGraph", "QueryError", "QueryTimeout"):
        from ctkg import api

        return getattr(api, name)
    raise AttributeError(f"module 'ctkg' has no attribute {name!r}")


def load_ipython_extension(ipython) -> None:
    """``%load_ext ctkg``: register the ``%%sparql`` cell magic."""
    from ctkg.magic import register

    register(ipython)
