"""What the standard vocabularies say of the terms ctkg aligns to, for checking the alignments.

The ontology declares external terms without importing their vocabularies, so a sub-property
axiom cannot be checked against the super-property's own domain and range unless they are
written down here. Domains and ranges are schema.org's ``domainIncludes`` / ``rangeIncludes``
(a disjunction: fitting one member is enough) and the ``rdfs:domain`` / ``rdfs:range`` of W3C
ORG and PROV-O, for the object properties ctkg specialises; class hierarchies are the ones those
vocabularies state between the classes ctkg declares. Sources: https://schema.org/ (version
29), https://www.w3.org/TR/vocab-org/, https://www.w3.org/TR/prov-o/.
"""

from __future__ import annotations

from rdflib import URIRef

from ctkg.namespaces import NAMESPACES

S = NAMESPACES["schema"]
ORG = NAMESPACES["org"]
PROV = NAMESPACES["prov"]


def _s(*names: str) -> frozenset[URIRef]:
    return frozenset(URIRef(S + n) for n in names)


def _ns(ns: str, *names: str) -> frozenset[URIRef]:
    return frozenset(URIRef(ns + n) for n in names)


# property -> (domain members, range members); an empty set means "not constrained"
SIGNATURES: dict[URIRef, tuple[frozenset[URIRef], frozenset[URIRef]]] = {
    URIRef(S + "areaServed"): (
        _s("Organization", "Service", "ContactPoint", "Offer", "Demand"),
        _s("Place", "AdministrativeArea", "GeoShape"),
    ),
    URIRef(S + "superEvent"): (_s("Event"), _s("Event")),
    URIRef(S + "subEvent"): (_s("Event"), _s("Event")),
    URIRef(S + "location"): (
        _s("Event", "Organization", "Place", "Action", "InteractionCounter"),
        _s("Place", "PostalAddress", "VirtualLocation"),
    ),
    URIRef(S + "organizer"): (_s("Event"), _s("Organization", "Person")),
    URIRef(S + "attendee"): (_s("Event"), _s("Organization", "Person")),
    URIRef(S + "performer"): (_s("Event"), _s("Organization", "Person")),
    URIRef(S + "mentions"): (_s("CreativeWork"), frozenset()),
    URIRef(S + "hasPart"): (_s("CreativeWork"), _s("CreativeWork")),
    URIRef(S + "containsPlace"): (_s("Place"), _s("Place")),
    URIRef(S + "containedInPlace"): (_s("Place"), _s("Place")),
    URIRef(S + "author"): (_s("CreativeWork", "Rating"), _s("Organization", "Person")),
    URIRef(ORG + "subOrganizationOf"): (_ns(ORG, "Organization"), _ns(ORG, "Organization")),
    URIRef(PROV + "wasAssociatedWith"): (_ns(PROV, "Activity"), _ns(PROV, "Agent")),
    URIRef(PROV + "wasDerivedFrom"): (_ns(PROV, "Entity"), _ns(PROV, "Entity")),
    URIRef(PROV + "wasQuotedFrom"): (_ns(PROV, "Entity"), _ns(PROV, "Entity")),
}

# class -> its super-classes in its own vocabulary (only among classes ctkg declares)
SUBCLASSES: dict[URIRef, frozenset[URIRef]] = {
    URIRef(S + "EventSeries"): _s("Event"),
    URIRef(S + "GovernmentOrganization"): _s("Organization"),
    URIRef(S + "AdministrativeArea"): _s("Place"),
    URIRef(S + "Country"): _s("AdministrativeArea", "Place"),
    URIRef(S + "NewsArticle"): _s("CreativeWork"),
    URIRef(S + "Report"): _s("CreativeWork"),
    URIRef(S + "WebPage"): _s("CreativeWork"),
    URIRef(S + "Dataset"): _s("CreativeWork"),
    URIRef(ORG + "FormalOrganization"): _ns(ORG, "Organization"),
    URIRef(ORG + "OrganizationalUnit"): _ns(ORG, "Organization"),
    URIRef(PROV + "Person"): _ns(PROV, "Agent"),
    URIRef(PROV + "Bundle"): _ns(PROV, "Entity"),
}
