"""The named queries as ready-to-run examples for the query page.

A named query (``queries/*.rq``) takes its parameters as SEP-0007 substitutions, which the
SPARQL protocol has no way to send; in the editor each example must run as plain SPARQL. So the
example text is the query with each parameter's value written in as an RDF term, in the query
text itself, by the same binding the remote store uses (``queries/substitute.py``):
``?lang`` becomes ``"vi"`` wherever it is used, ``("vi" AS ?lang)`` in the projection, and
disappears from ``GROUP BY`` and subquery projections where a constant cannot stand. The values
are the declared defaults (a sample for required parameters; ``lang`` follows the page's
language), bound and checked by ``NamedQuery.bind`` — never text from a request. A parameter
left without a value stays a free variable, exactly as when the named query runs without it.
``tests/test_web_pages.py`` checks that every example gives the same rows as the named query.
"""

from __future__ import annotations

from ctkg.queries.substitute import substitute

# Sample values for required parameters without a default, so every example runs.
REQUIRED_SAMPLES = {
    ("fact-sources", "subject"): "id:edition/hoi-nghi-cong-thuong-phia-bac/2019",
    ("find-entity", "text"): "Hải Phòng",
}
# The query page's result views for the catalogue's view hints.
VIEWS = {"table": "table", "bar-chart": "chart", "timeline": "timeline", "map": "map"}


def _header_and_body(text: str) -> tuple[list[str], str]:
    lines = text.splitlines()
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    return lines[:i], "\n".join(lines[i:]).lstrip("\n")


def example(query, base_iri: str, lang: str | None = None, values: dict | None = None) -> dict:
    """One named query as an example: its text with the parameter values written in; a
    ``lang`` parameter gets the page's language (labels then match the interface).

    ``values`` are what a person typed into the page's parameter fields (``?province=…``);
    ``NamedQuery.bind`` checks them (a ``QueryParameterError`` for a bad one), and an empty
    field means the default. ``fields`` lists the parameters a page shows a field for (every
    one but ``lang``, which follows the interface), each with the text it holds.
    """
    given = {
        param: value for (name, param), value in REQUIRED_SAMPLES.items() if name == query.name
    }
    given.update({k: v for k, v in (values or {}).items() if v not in (None, "")})
    if lang and any(p.name == "lang" and p.type == "lang" for p in query.params):
        given["lang"] = lang
    bindings = query.bind(given, base_iri)
    values = {variable.value: str(term) for variable, term in bindings.items()}
    _, body = _header_and_body(query.sparql(base_iri))
    lines = [f"# {query.title.get('en', query.name)} — {query.title.get('vi', '')}"]
    if values:
        shown = ", ".join(f"{name} = {term}" for name, term in values.items())
        lines.append(f"# Parameters written in: {shown}")
    free = [p.name for p in query.params if p.name not in values]
    if free:
        lines.append(f"# Free (not bound, so all values): {', '.join('?' + n for n in free)}")
    sparql = "\n".join(lines) + "\n\n" + substitute(body, bindings)
    return {
        "name": query.name,
        "title": dict(query.title),
        "description": dict(query.description),
        "view": VIEWS.get(query.view, "table"),
        "hint": query.view,
        "values": values,
        "sparql": sparql,
        "fields": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "default": p.default or "",
                "value": str(given.get(p.name, p.default or "")),
                "description": dict(p.description),
            }
            for p in query.params
            if p.name != "lang"
        ],
    }


def examples(queries, base_iri: str, lang: str | None = None) -> list[dict]:
    """Every named query as an example; "who hosted which edition" first."""
    found = [example(q, base_iri, lang) for q in queries]
    found.sort(key=lambda e: (e["name"] != "series-editions", e["name"]))
    return found
