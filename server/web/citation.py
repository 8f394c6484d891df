"""How to cite what a page shows: the data set, its build (version and date), its licence and
the page's own IRI — offered on every page ("Cite this") as a sentence and as BibTeX.

The build id (``20261202T155050-8431b9``) is the version: the same inputs give the same
canonical dump, and ``/dumps/`` carries its checksums. A page about an entity cites the entity's
IRI (which stays stable across builds), not the server's address.
"""

from __future__ import annotations

import datetime as dt

from flask import request

from ctkg import __version__
from ctkg.graph.store import StoreMissing, manifest

from ..http.context import state

TITLE = {"vi": "Đồ thị tri thức Công Thương (ctkg)", "en": "Công Thương Knowledge Graph (ctkg)"}
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def _build() -> tuple[str, str]:
    try:
        build = manifest(state().settings).get("build", "")
    except (StoreMissing, FileNotFoundError, ValueError):
        return "", ""
    try:
        date = dt.datetime.strptime(build[:8], "%Y%m%d").date().isoformat()
    except ValueError:
        date = ""
    return build, date


def citation(lang: str, iri: str = "") -> dict:
    """What the "cite this" block shows (``iri``: the thing the page is about, if any)."""
    build, date = _build()
    base = state().settings.base_iri
    target = iri or base
    today = dt.date.today().isoformat()
    title = TITLE.get(lang, TITLE["en"])
    version = f"build {build}" if build else f"version {__version__}"
    accessed = "truy cập" if lang == "vi" else "accessed"
    text = (
        f"ctkg contributors. {title}, {version}"
        + (f" ({date})" if date else "")
        + f". {LICENCE}. {target} ({accessed} {today})."
    )
    key = "ctkg" + (build[:8] if build else "")
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            "  author = {{ctkg contributors}},",
            f"  title = {{{TITLE['en']}}},",
            f"  howpublished = {{\\url{{{target}}}}},",
            f"  note = {{{version}, {LICENCE}, accessed {today}}},",
            f"  year = {{{date[:4] or dt.date.today().year}}}",
            "}",
        ]
    )
    return {
        "text": text,
        "bibtex": bibtex,
        "build": build,
        "date": date,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "iri": target,
        "path": request.path,
    }
