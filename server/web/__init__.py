"""The web for people and linked-data clients: dereferencing, entity and article pages, VoID and
dumps, the ontology documentation, the query page; its templates and static files."""
