"""The SPARQL services: the 1.1 Protocol, the Graph Store Protocol, the named-query API, the
service description, health and statistics."""
