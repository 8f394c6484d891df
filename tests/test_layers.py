"""The server's layers hold, and no import cycle comes back.

``server/`` is layered: ``app`` (with ``run`` and ``commands``) on top, then ``web`` and
``sparql`` (independent of each other), then ``http``, then ``engine`` at the bottom, which
imports no Flask or werkzeug. A module may import its own layer or any layer below it. Every
import counts, module-level or inside a function, so a cycle cannot hide in a function body.

(import-linter's layers contract would say the same, but grimp only analyses top-level
packages and ``ctkg.server`` is mapped from ``server/`` by ``package-dir``; this reads the
files with ``ast`` instead.)
"""

from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parents[1] / "server"
PACKAGE = "ctkg.server"
# higher layers first; a layer may import itself and anything after it ("web" and "sparql"
# share a rank: neither imports the other)
LAYERS: list[set[str]] = [{"commands"}, {"run"}, {"app"}, {"web", "sparql"}, {"http"}, {"engine"}]
NO_HTTP_IN = "engine"
HTTP_LIBRARIES = {"flask", "werkzeug", "gunicorn"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SERVER).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def imports(path: Path, name: str | None = None) -> set[str]:
    """Every module ``path`` imports (absolute names), wherever the import statement is."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            # `from . import pages` imports the module ctkg.server.web.pages
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def layer_of(module: str) -> str | None:
    if module == PACKAGE or not module.startswith(PACKAGE + "."):
        return None
    return module[len(PACKAGE) + 1 :].split(".")[0]


def rank(layer: str) -> int:
    return next(i for i, members in enumerate(LAYERS) if layer in members)


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in SERVER.rglob("*.py")}
    return {name: {m for m in imports(path) if m in modules} for name, path in modules.items()}


def test_every_server_module_is_in_a_layer():
    for path in SERVER.rglob("*.py"):
        layer = layer_of(module_name(path))
        assert layer is None or any(layer in members for members in LAYERS), (
            f"{path.relative_to(SERVER)}: put it in a layer (engine, http, sparql, web) or list it"
        )


def test_imports_go_down_the_layers():
    wrong = []
    for source, targets in graph().items():
        here = layer_of(source)
        for target in targets:
            there = layer_of(target)
            if here is None or there is None or here == there:
                continue
            if rank(there) <= rank(here):  # up the layers, or sideways between web and sparql
                wrong.append(f"{source} imports {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_the_engine_imports_no_http_library():
    wrong = [
        f"{module_name(path)} imports {name}"
        for path in (SERVER / NO_HTTP_IN).rglob("*.py")
        for name in imports(path)
        if name.split(".")[0] in HTTP_LIBRARIES
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    edges = graph()
    for node in edges:  # a package imports its own submodules by being imported; not a cycle
        edges[node] = {t for t in edges[node] if not node.startswith(t + ".")}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*stack[stack.index(target) :], target]))
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_reader_sees_imports_inside_functions(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def f():\n    from ..web.pages import not_found_page\n    from . import formats\n"
    )
    found = imports(probe, "ctkg.server.http.probe")
    assert {"ctkg.server.web.pages", "ctkg.server.http.formats"} <= found


def test_both_backends_keep_the_backend_contract():
    """``LocalBackend`` and ``RemoteBackend`` have every method of ``Backend``, same parameters."""
    import inspect

    from ctkg.server.engine.backend import Backend, LocalBackend
    from ctkg.server.engine.remote_backend import RemoteBackend

    contract = {
        name: inspect.signature(member)
        for name, member in vars(Backend).items()
        if callable(member) and not name.startswith("_")
    }
    assert set(contract) == {
        "data_version",
        "available",
        "write_count",
        "warm",
        "run",
        "write",
        "close",
    }
    for backend in (LocalBackend, RemoteBackend):
        for name, signature in contract.items():
            got = inspect.signature(getattr(backend, name))
            assert list(got.parameters) == list(signature.parameters), (backend, name)
