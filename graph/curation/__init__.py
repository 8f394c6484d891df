"""Curation: an article in, proposed facts with quotes out (``ctkg extract``), scored against gold
(``ctkg eval-extract``); the proposal format and the entity resolver that review, ingest and
reconciliation build on. See ``README.md`` in this folder.
"""
