"""The human side of the linked data: landing page, entity and article pages, ontology and dump
listings, the 404 page, and the SPARQL query page (YASGUI, served from ``static/vendor``).

Pages are rendered on the server from the descriptions in ``describe.py`` (no JavaScript is
needed to read them; ``static/site.js`` only adds the quote highlighting on article pages and
``static/query.js`` drives YASGUI). The interface language is Vietnamese or English: ``?lang=``
switches it and is remembered in a cookie, else ``Accept-Language`` decides, else Vietnamese.
Labels and definitions are shown in that language, falling back to the other one.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import HTTPException

from ctkg import namespaces
from ctkg.queries.catalog import QueryParameterError, all_queries
from ctkg.queries.label_index import sort_key

from ..http.answers import etag_for, not_modified
from ..http.context import state
from ..http.errors import http_error, wants_html
from ..http.formats import FORMATS
from ..http.stats import store_stats
from . import describe, ontology_doc, query_examples
from .describe import DCTERMS, OWL, PROV, RDF, RDF_TYPE, RDFS, SCHEMA, SKOS, XSD, Description
from .paths import EXTENSION_OF, data_path, local_path

bp = Blueprint("pages", __name__)

LANGUAGES = ("vi", "en")
LANG_COOKIE = "ctkg_lang"
ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

_HERE = Path(__file__).resolve().parent


def _page_version() -> str:
    """Changes when a template or static file changes, so ETags never outlive the code."""
    digest = hashlib.sha256()
    for folder in ("templates", "static"):
        for path in sorted((_HERE / folder).rglob("*")):
            if path.is_file() and "vendor" not in path.parts:
                digest.update(str(path.relative_to(_HERE)).encode())
                digest.update(str(path.stat().st_mtime_ns).encode())
    shapes = _HERE.parent.parent / "graph" / "gazetteer" / "shapes.json"  # the maps' data
    if shapes.is_file():
        digest.update(str(shapes.stat().st_mtime_ns).encode())
    return digest.hexdigest()[:12]


PAGE_VERSION = _page_version()

# Interface strings: key -> (vi, en)
UI = {
    "site": ("Đồ thị tri thức Công Thương", "Công Thương Knowledge Graph"),
    "home": ("Trang chủ", "Home"),
    "query": ("Truy vấn", "Query"),
    "ontology": ("Bản thể học", "Ontology"),
    "dumps": ("Tải dữ liệu", "Downloads"),
    "void": ("Mô tả bộ dữ liệu", "Dataset description"),
    "sparql": ("Điểm truy vấn SPARQL", "SPARQL endpoint"),
    "types": ("Loại", "Types"),
    "iri": ("IRI", "IRI"),
    "properties": ("Thuộc tính", "Properties"),
    "incoming": ("Được liên kết từ", "Linked from"),
    "incoming_note": (
        "Các tài nguyên khác trỏ tới mục này.",
        "Other resources that point to this one.",
    ),
    "identifiers": ("Mã định danh bên ngoài", "External identifiers"),
    "standard_view": ("Theo các từ vựng chuẩn (suy diễn)", "In standard vocabularies (inferred)"),
    "standard_note": (
        "Bộ xây dựng suy ra các bộ ba này từ bản thể học (schema.org, ORG, PROV, SKOS…).",
        "The build materialised these triples from the ontology (schema.org, ORG, PROV, SKOS…).",
    ),
    "download_as": ("Tải mô tả dạng", "Download this description as"),
    "source": ("Nguồn", "Source"),
    "sources": ("Nguồn", "Sources"),
    "quote_in_article": ("trích dẫn trong bài", "quote in the article"),
    "confidence": ("độ tin cậy", "confidence"),
    "inferred": ("suy diễn", "inferred"),
    "no_source": ("không có nguồn riêng", "no statement of its own"),
    "cited_by": ("dữ kiện dẫn nguồn này", "facts cite this source"),
    "published": ("Ngày đăng", "Published"),
    "author": ("Tác giả", "Author"),
    "article_text": ("Toàn văn bài báo", "Article text"),
    "article_hint": (
        "Các đoạn được tô màu là trích dẫn làm bằng chứng cho dữ kiện; chọn một đoạn để xem "
        "các dữ kiện nó hỗ trợ.",
        "Highlighted passages are quotes that support facts; select one to see the facts.",
    ),
    "evidence": ("Bằng chứng và dữ kiện", "Evidence and facts"),
    "supports": ("hỗ trợ", "supports"),
    "in_text": ("xem trong bài", "show in text"),
    "not_found": ("Không tìm thấy", "Not found"),
    "not_found_text": (
        "Đồ thị không có thông tin nào về IRI này.",
        "The graph says nothing about this IRI.",
    ),
    "search": ("Tìm theo tên", "Find by name"),
    "language": ("Ngôn ngữ", "Language"),
    "editions": ("Các kỳ hội nghị", "Conference editions"),
    "provinces": ("Tỉnh, thành phố", "Provinces and cities"),
    "indicators": ("Chỉ tiêu kinh tế", "Economic indicators"),
    "regions": ("Vùng", "Regions"),
    "articles": ("Bài báo nguồn", "Source articles"),
    "more": ("Xem thêm", "More"),
    "status": ("Trạng thái", "Status"),
    "host": ("Đăng cai", "Host"),
    "year": ("Năm", "Year"),
    "edition": ("Kỳ", "Edition"),
    "start_here": ("Bắt đầu", "Start here"),
    "licence": ("Giấy phép", "Licence"),
    "file": ("Tệp", "File"),
    "format": ("Định dạng", "Format"),
    "size": ("Kích thước", "Size"),
    "checksum": ("SHA-256", "SHA-256"),
    "build": ("Bản dựng", "Build"),
    "examples": ("Truy vấn mẫu", "Example queries"),
    "run": ("Chạy", "Run"),
    "view": ("Hiển thị", "View"),
    "permalink": ("Liên kết cố định", "Permalink"),
    "chart": ("Biểu đồ", "Chart"),
    "timeline": ("Dòng thời gian", "Timeline"),
    "copy": ("Sao chép", "Copy"),
    "classes": ("Lớp", "Classes"),
    "object_properties": ("Thuộc tính đối tượng", "Object properties"),
    "datatype_properties": ("Thuộc tính dữ liệu", "Datatype properties"),
    "individuals": ("Cá thể", "Individuals"),
    "alignments": ("Liên kết với từ vựng chuẩn", "Alignments to standard vocabularies"),
    "external_terms": ("Thuật ngữ bên ngoài được khai báo", "External terms declared"),
    "superclasses": ("Lớp cha", "Superclasses"),
    "subclasses": ("Lớp con", "Subclasses"),
    "superproperties": ("Thuộc tính cha", "Super-properties"),
    "subproperties": ("Thuộc tính con", "Sub-properties"),
    "domain": ("Miền", "Domain"),
    "range": ("Miền giá trị", "Range"),
    "characteristics": ("Đặc tính", "Characteristics"),
    "disjoint": ("Tách rời với", "Disjoint with"),
    "type": ("Loại", "Type"),
    "version": ("Phiên bản", "Version"),
    "namespace": ("Không gian tên", "Namespace"),
    "definition": ("Định nghĩa", "Definition"),
    "facts": ("dữ kiện có nguồn", "sourced statements"),
    "quotes": ("trích dẫn", "quotes"),
    "triples": ("bộ ba", "triples"),
    "entities": ("thực thể", "entities"),
    "graphs": ("đồ thị con", "named graphs"),
    # search and index pages
    "search_label": ("Tìm theo tên", "Search by name"),
    "search_placeholder": ("Tìm: Hải Phòng, Đặng Hoàng An…", "Find: Hai Phong, Dang Hoang An…"),
    "search_button": ("Tìm", "Search"),
    "search_results": ("Kết quả tìm kiếm", "Search results"),
    "search_none": ("Không tìm thấy gì có tên này.", "Nothing has that name."),
    "search_hint": (
        "Gõ tên bằng tiếng Việt hoặc tiếng Anh, có hoặc không có dấu.",
        "Type a name in Vietnamese or English, with or without diacritics.",
    ),
    "browse": ("Danh mục", "Browse"),
    "map": ("Bản đồ", "Map"),
    "map_shown": ("Tô đậm:", "Highlighted:"),
    "map_source": (
        "Ranh giới: Natural Earth (phạm vi công cộng)",
        "Boundaries: Natural Earth (public domain)",
    ),
    "people": ("Cán bộ", "People"),
    "organizations": ("Cơ quan, tổ chức", "Organisations"),
    "post": ("Chức danh", "Post"),
    "organization": ("Cơ quan", "Organisation"),
    "attested_at": ("Ghi nhận tại", "Attested at"),
    "jurisdiction": ("Địa bàn", "Jurisdiction"),
    "part_of": ("Trực thuộc", "Part of"),
    "region": ("Vùng", "Region"),
    "hosted": ("Kỳ hội nghị đăng cai", "Editions hosted"),
    "date": ("Ngày", "Date"),
    "name": ("Tên", "Name"),
    "skip": ("Bỏ qua, tới nội dung chính", "Skip to the main content"),
    "editor_label": ("Trình soạn truy vấn SPARQL", "SPARQL query editor"),
    "rows_per_page": ("Số dòng mỗi trang", "Rows per page"),
    # the query page (query.js reads these from the page's config)
    "params": ("Tham số", "Parameters"),
    "params_note": (
        "Giá trị được viết vào truy vấn; để trống là dùng giá trị mặc định. Ngôn ngữ của nhãn "
        "theo ngôn ngữ giao diện.",
        "The values are written into the query; leave a field empty for its default. Labels "
        "follow the interface language.",
    ),
    "run_with": ("Chạy với các giá trị này", "Run with these values"),
    "required": ("bắt buộc", "required"),
    "default": ("mặc định", "default"),
    "editor_hint": (
        "Trong trình soạn: Ctrl+Space gợi ý thuật ngữ và tên của đồ thị này, Ctrl+Enter chạy "
        "truy vấn, Esc rời trình soạn (tới nút Chạy).",
        "In the editor: Ctrl+Space suggests this graph's terms and names, Ctrl+Enter runs the "
        "query, Esc leaves the editor (to the Run button).",
    ),
    "err_syntax_at": (
        "Lỗi cú pháp ở dòng {line}, cột {column}",
        "Syntax error at line {line}, column {column}",
    ),
    "err_syntax": ("Lỗi cú pháp", "Syntax error"),
    "err_expected": ("ở đây cần một trong: {items}", "expected here: one of {items}"),
    "err_unexpected": (
        "ký tự hoặc từ không hợp lệ ở vị trí này",
        "a character or word that cannot stand here",
    ),
    "err_prefix": (
        "tiền tố chưa được khai báo: thêm một dòng PREFIX cho nó ở đầu truy vấn",
        "undeclared prefix: add a PREFIX line for it at the top of the query",
    ),
    "err_bad": ("Truy vấn không chạy được", "The query could not run"),
    "err_timeout": (
        "Truy vấn chưa xong sau {seconds} giây nên đã bị dừng. Hãy thu hẹp truy vấn (LIMIT, mẫu "
        "cụ thể hơn).",
        "The query did not finish within {seconds} s and was stopped. Narrow it (LIMIT, more "
        "specific patterns).",
    ),
    "err_busy": (
        "Máy chủ đang bận; hãy thử lại sau giây lát.",
        "The server is busy; try again shortly.",
    ),
    "err_forbidden": (
        "Điểm truy vấn công khai chỉ đọc và không gọi tới máy chủ khác (SERVICE, LOAD).",
        "The public endpoint is read-only and does not call other servers (SERVICE, LOAD).",
    ),
    "err_memory": (
        "Truy vấn cần nhiều bộ nhớ hơn mức cho phép nên đã bị dừng; hãy thu hẹp truy vấn.",
        "The query needed more memory than one query may use and was stopped; narrow it.",
    ),
    "err_too_large": ("Truy vấn quá dài.", "The query is too long."),
    "err_network": ("Không kết nối được tới máy chủ.", "The server could not be reached."),
    "err_server_said": ("Thông báo của máy chủ", "What the server said"),
    "cite_this": ("Trích dẫn", "Cite this"),
    "place": ("Địa điểm", "Place"),
    "named_graph": ("Đồ thị con", "Named graph"),
    "graph_text": (
        "Một đồ thị con của bộ dữ liệu; đồ thị mặc định là hợp của tất cả các đồ thị con.",
        "One named graph of the dataset; the default graph is the merge of all of them.",
    ),
    "publisher": ("Cơ quan đăng", "Publisher"),
    "original_url": ("Địa chỉ gốc", "Original address"),
    "retrieved": ("Ngày lấy về", "Retrieved"),
    "origin": ("Nơi đăng gốc", "Where it was published"),
    "origin_unknown": (
        "không rõ: bản chúng tôi có không ghi cơ quan đăng hay địa chỉ gốc",
        "not known: the copy we hold names neither the publisher nor the original address",
    ),
    "organizers": ("Đơn vị tổ chức", "Organisers"),
    "directed_by": ("Chỉ đạo", "Directed by"),
    "series": ("Chuỗi hội nghị", "Series"),
    "members_count": ("Số địa phương", "Member provinces"),
    "posts": ("Chức danh qua các năm", "Posts over time"),
    "posts_here": ("Chức danh tại cơ quan", "Posts in this organisation"),
    "values": ("Số liệu được báo cáo", "Reported values"),
    "relations": ("Quan hệ", "Relations"),
    "details": ("Chi tiết", "Details"),
    "names": ("Tên gọi khác", "Other names"),
    "other": ("Thông tin khác", "More"),
    "sources_list": ("Nguồn dẫn", "Sources"),
    "supports_props": ("cho", "for"),
    "in_article": ("trong bài", "in the article"),
    "inverse_of": ("(chiều ngược của “{}”)", "(inverse of “{}”)"),
    "show_all": ("Xem tất cả {}", "Show all {}"),
}

# Labels for the standard-vocabulary predicates ctkg uses (ctkg's own come from the ontology).
KNOWN_PREDICATES = {
    RDF_TYPE: ("loại", "type"),
    RDFS + "label": ("nhãn", "label"),
    RDFS + "comment": ("chú thích", "comment"),
    RDFS + "isDefinedBy": ("được định nghĩa bởi", "defined by"),
    SKOS + "altLabel": ("tên khác", "also known as"),
    SKOS + "prefLabel": ("tên ưu tiên", "preferred label"),
    SKOS + "definition": ("định nghĩa", "definition"),
    SKOS + "editorialNote": ("ghi chú biên tập", "editorial note"),
    SKOS + "inScheme": ("thuộc hệ khái niệm", "in scheme"),
    SKOS + "topConceptOf": ("khái niệm gốc của", "top concept of"),
    SKOS + "hasTopConcept": ("khái niệm gốc", "top concept"),
    SCHEMA + "url": ("địa chỉ web", "URL"),
    SCHEMA + "headline": ("tiêu đề", "headline"),
    SCHEMA + "datePublished": ("ngày đăng", "date published"),
    SCHEMA + "author": ("tác giả", "author"),
    SCHEMA + "inLanguage": ("ngôn ngữ", "language"),
    SCHEMA + "articleBody": ("nội dung", "article body"),
    SCHEMA + "name": ("tên", "name"),
    PROV + "wasDerivedFrom": ("có nguồn từ", "derived from"),
    PROV + "wasQuotedFrom": ("trích từ", "quoted from"),
    PROV + "wasGeneratedBy": ("được tạo bởi", "generated by"),
    PROV + "value": ("giá trị", "value"),
    PROV + "used": ("đã dùng", "used"),
    ORG + "member": ("thành viên", "member"),
    ORG + "organization": ("tổ chức", "organization"),
    ORG + "role": ("chức danh", "role"),
    ORG + "memberDuring": ("trong thời gian", "member during"),
    TIME + "hasBeginning": ("bắt đầu", "beginning"),
    TIME + "hasEnd": ("kết thúc", "end"),
    TIME + "inXSDDate": ("ngày", "date"),
    TIME + "inside": ("thời điểm", "inside"),
    RDF + "subject": ("chủ thể", "subject"),
    RDF + "predicate": ("vị từ", "predicate"),
    RDF + "object": ("đối tượng", "object"),
    DCTERMS + "license": ("giấy phép", "licence"),
    OWL + "sameAs": ("đồng nhất với", "same as"),
}

# Identifiers in other systems, shown as links: predicate -> (name, URL template or None)
EXTERNAL_IDS = {
    "iso3166Code": (
        "ISO 3166-2",
        "https://www.wikidata.org/w/index.php?search=haswbstatement%3AP300%3D{}",
    ),
    "gsoCode": ("GSO (Tổng cục Thống kê)", "https://danhmuchanhchinh.gso.gov.vn/"),
}
LINK_PREDICATES = (SCHEMA + "url", OWL + "sameAs", SKOS + "exactMatch", SKOS + "closeMatch")
HIDDEN_PREDICATES = (RDFS + "label", SKOS + "prefLabel", SCHEMA + "name", SCHEMA + "articleBody")
LONG_TEXT = 600


# --- language ----------------------------------------------------------------------------


def current_lang() -> str:
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(LANG_COOKIE, "")
    if cookie in LANGUAGES:
        return cookie
    best = request.accept_languages.best_match(LANGUAGES)
    return best or "vi"


def t(key: str) -> str:
    vi, en = UI[key]
    return en if current_lang() == "en" else vi


def other_lang() -> str:
    return "en" if current_lang() == "vi" else "vi"


# --- links and terms ---------------------------------------------------------------------


def _prefixes() -> dict[str, str]:
    """The prefix table for the served base (``ctkg.namespaces.prefixes``)."""
    return namespaces.prefixes(state().settings.base_iri)


def curie(iri: str) -> str:
    """``iri`` as a page shows it: prefixed by the served base's table, else in full."""
    return namespaces.curie(iri, _prefixes()) or iri


def href(iri: str) -> str:
    """Where a link to ``iri`` goes: its path on this server, or the IRI itself."""
    return local_path(iri) or iri


def is_local(iri: str) -> bool:
    return local_path(iri) is not None


def short_url(iri: str) -> str:
    parts = urlsplit(iri)
    text = parts.netloc + parts.path + (("?" + parts.query) if parts.query else "")
    return text if len(text) <= 70 else text[:67] + "…"


class View:
    """Helpers the templates call: labels in the interface language, links, literals."""

    def __init__(self, labels: describe.Labels | None = None):
        self.labels = labels or describe.Labels()
        self.lang = current_lang()

    def label(self, iri: str) -> str:
        if self.labels.has_label(iri):
            return self.labels.label(iri, self.lang)
        known = KNOWN_PREDICATES.get(iri)
        if known:
            return known[1] if self.lang == "en" else known[0]
        if not is_local(iri) and "://" in iri and curie(iri) == iri:
            return short_url(iri)
        return describe.local_name(iri) if is_local(iri) else curie(iri)

    def other_label(self, iri: str) -> str:
        """The label in the other language, if it differs."""
        if not self.labels.has_label(iri):
            return ""
        mine = self.labels.label(iri, self.lang)
        theirs = self.labels.labels[iri].get("en" if self.lang == "vi" else "vi", "")
        return theirs if theirs and theirs != mine else ""

    def definition(self, iri: str) -> str:
        return self.labels.definition(iri, self.lang)

    def href(self, iri: str) -> str:
        return href(iri)

    def external(self, iri: str) -> bool:
        return not is_local(iri)

    def curie(self, iri: str) -> str:
        return curie(iri)

    def literal(self, literal: ox.Literal) -> dict:
        datatype = literal.datatype.value if literal.datatype else ""
        value = literal.value
        info = {
            "text": value,
            "lang": literal.language or "",
            "datatype": "" if literal.language else curie(datatype),
            "url": value if datatype == XSD + "anyURI" else "",
            "long": len(value) > LONG_TEXT,
        }
        if datatype in (XSD + "string",):
            info["datatype"] = ""
        return info


def html_response(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Cookie, Accept-Language"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Language"] = current_lang()
    return response


def site_context() -> dict:
    """What base.html needs: the language, its strings, the citation of the data set."""
    from .citation import citation

    lang = current_lang()
    return {
        "t": t,
        "lang": lang,
        "other_lang": other_lang(),
        "lang_url": _lang_url,
        "num": number,
        "base_iri": state().settings.base_iri,
        "view": View(),
        "cite": citation(lang),
    }


@bp.app_context_processor
def _site_template_context() -> dict:
    """Every template of the app gets the site's context, so pages rendered outside this
    layer (the SPARQL service page) wear the same header, language and footer."""
    return site_context()


@bp.after_app_request
def _remember_language(response: Response) -> Response:
    """``?lang=`` on any page is remembered in a cookie; HTML says its language."""
    if response.mimetype == "text/html":
        asked = request.args.get("lang", "")
        if asked in LANGUAGES and LANG_COOKIE + "=" not in response.headers.get("Set-Cookie", ""):
            response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
        response.headers.setdefault("Content-Language", current_lang())
    return response


def render(template: str, status: int = 200, **context) -> Response:
    from .citation import citation

    if "cite_iri" in context:
        context["cite"] = citation(current_lang(), context["cite_iri"])
    return html_response(render_template(template, **context), status)


def number(n: int) -> str:
    """``13640`` as ``13.640`` in Vietnamese, ``13,640`` in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if current_lang() == "vi" else text


def _lang_url(lang: str) -> str:
    args = request.args.to_dict(flat=True)
    args["lang"] = lang
    query = "&".join(
        f"{k}={v}" if k == "lang" else f"{k}={_quote(v)}" for k, v in sorted(args.items())
    )
    return f"{request.path}?{query}"


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


# --- resource pages ----------------------------------------------------------------------


def is_article(desc: Description) -> bool:
    return bool(desc.literals(SCHEMA + "articleBody"))


def render_resource(desc: Description) -> Response:
    if is_article(desc):
        return render_article(desc)
    return render("entity.html", **entity_context(desc))


def _value_view(value: describe.Value, view: View, notes=None, predicate: str = "") -> dict:
    term = value.term
    out = {"refs": notes.refs(value.statements, view.label(predicate)) if notes else []}
    out["inferred"] = value.inferred_only
    if isinstance(term, ox.NamedNode):
        out.update(
            kind="iri",
            iri=term.value,
            label=view.label(term.value),
            href=href(term.value),
            external=not is_local(term.value),
        )
    elif isinstance(term, ox.Literal):
        out.update(kind="literal", **view.literal(term))
    else:
        out.update(kind="bnode", text=str(term))
    return out


_sort_key_text = sort_key


# the groups "the rest" of an entity page falls into, in order
GROUPS = ("relations", "details", "names", "other")
NAME_PREDICATES = (SKOS + "altLabel", SKOS + "prefLabel", SCHEMA + "alternateName")


def _group_of(predicate: str, values: list[dict], vocab: str) -> str:
    if predicate in NAME_PREDICATES:
        return "names"
    if not predicate.startswith(vocab):
        return "other"
    return "relations" if any(v["kind"] == "iri" for v in values) else "details"


def entity_context(desc: Description) -> dict:
    from . import summary

    view = View(desc.labels)
    notes = summary.SourceNotes(view)
    base = state().settings.base_iri
    vocab = base + "ontology#"
    asserted_types = desc.types(include_inferred=False)
    inferred_types = [x for x in desc.types() if x not in asserted_types]
    card = summary.key_facts(desc, view, notes, t)
    from . import maps

    card["maps"] = maps.for_entity(desc, card["kind"], view.lang)
    in_card = {p for row in card["rows"] for p in row.get("predicates", [])}
    identifiers = []
    groups: dict[str, list[dict]] = {g: [] for g in GROUPS}
    inferred = []
    for predicate, values in desc.values.items():
        if predicate == RDF_TYPE or predicate in HIDDEN_PREDICATES or predicate in in_card:
            continue
        local = predicate[len(vocab) :] if predicate.startswith(vocab) else ""
        if local in EXTERNAL_IDS:
            name, template = EXTERNAL_IDS[local]
            for v in values:
                code = v.term.value
                identifiers.append(
                    {
                        "name": name,
                        "code": code,
                        "url": template.format(_quote(code)) if template else "",
                        "predicate": curie(predicate),
                        "refs": notes.refs(v.statements, name),
                    }
                )
            continue
        if predicate in LINK_PREDICATES:
            for v in values:
                identifiers.append(
                    {
                        "name": view.label(predicate),
                        "code": short_url(v.term.value),
                        "url": v.term.value,
                        "predicate": curie(predicate),
                        "refs": [],
                    }
                )
            continue
        shown = [_value_view(v, view, notes, predicate) for v in values if not v.inferred_only]
        hidden = [_value_view(v, view) for v in values if v.inferred_only]
        row = {
            "iri": predicate,
            "label": view.label(predicate),
            "curie": curie(predicate),
            "href": href(predicate),
        }
        if shown:
            shown.sort(key=lambda v: _sort_key_text(v.get("label") or v.get("text", "")))
            groups[_group_of(predicate, shown, vocab)].append({**row, "vals": shown})
        if hidden:
            inferred.append({**row, "vals": hidden})
    for rows in groups.values():
        rows.sort(key=lambda r: _sort_key_text(r["label"]))
    inferred.sort(key=lambda r: r["curie"])
    inverses = summary.inverse_labels(desc.incoming)
    other = "en" if view.lang == "vi" else "vi"

    def inverse(p: str) -> tuple[str, bool]:
        found = inverses.get(p, {})
        text = found.get(view.lang) or found.get(other) or ""
        return (text, True) if text else (view.label(p), False)

    incoming = []
    for p, subjects in desc.incoming.items():
        if p in card["incoming"]:
            continue
        label, known = inverse(p)
        incoming.append(
            {
                "iri": p,
                "label": label,
                "inverse_known": known,
                "forward": view.label(p),
                "curie": curie(p),
                "href": href(p),
                "subjects": sorted(
                    ({"label": view.label(s), "href": href(s), "iri": s} for s in subjects),
                    key=lambda x: _sort_key_text(x["label"]),
                ),
            }
        )
    incoming.sort(key=lambda r: (not r["iri"].startswith(vocab), _sort_key_text(r["label"])))
    own_definition = view.definition(desc.iri)
    type_for_text = asserted_types[0] if asserted_types else ""
    downloads = [
        {"label": label, "href": data_path(desc.iri, key), "type": FORMATS[key].media_type}
        for key, label in (
            ("turtle", "Turtle"),
            ("ntriples", "N-Triples"),
            ("rdfxml", "RDF/XML"),
            ("jsonld", "JSON-LD"),
        )
        if key in EXTENSION_OF
    ]
    types = [
        {
            "iri": x,
            "label": view.label(x),
            "href": href(x),
            "curie": curie(x),
            "definition": view.definition(x),
        }
        for x in asserted_types
    ]
    from .structured_data import json_ld

    return {
        "view": view,
        "iri": desc.iri,
        "title": view.label(desc.iri),
        "other_title": view.other_label(desc.iri),
        "summary": own_definition,
        "type_for_text": type_for_text,
        "types": types,
        "inferred_types": [
            {"iri": x, "label": view.label(x), "href": href(x), "curie": curie(x)}
            for x in inferred_types
        ],
        "card": card,
        "identifiers": identifiers,
        "groups": [(g, groups[g]) for g in GROUPS if groups[g]],
        "properties": [row for g in GROUPS for row in groups[g]],
        "inferred": inferred,
        "incoming": incoming,
        "incoming_truncated": desc.incoming_truncated,
        "downloads": downloads,
        "cited_by": desc.cited_by,
        "notes": notes,
        "external_page": "",
        "cite_iri": desc.iri,
        "json_ld": json_ld(desc, view, card),
    }


# --- article pages -----------------------------------------------------------------------


def segments(text: str, evidence: list[describe.QuotedEvidence]) -> list[dict]:
    """The text cut at every quote boundary; each piece with the quotes covering it and the
    anchors of the quotes that start there. Quotes overlap freely."""
    valid = [e for e in evidence if 0 <= e.start < e.end <= len(text)]
    valid = [e for e in valid if text[e.start : e.end] == e.quote]
    bounds = sorted({0, len(text), *(e.start for e in valid), *(e.end for e in valid)})
    out = []
    for a, b in itertools.pairwise(bounds):
        covering = [e for e in valid if e.start <= a and b <= e.end]
        covering.sort(key=lambda e: (e.end - e.start, e.start))
        out.append(
            {
                "text": text[a:b],
                "anchors": [e.anchor for e in valid if e.start == a],
                "evidence": [e.anchor for e in covering],
                "target": covering[0].anchor if covering else "",
                "depth": min(len(covering), 3),
            }
        )
    return out


def _clip(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def render_article(desc: Description) -> Response:
    context = entity_context(desc)
    view = context["view"]
    evidence, labels = describe.article_evidence(desc.iri)
    view.labels.update(labels)
    body = desc.text(SCHEMA + "articleBody", "vi")
    author = desc.first(SCHEMA + "author")
    cards = []
    for ev in evidence:
        facts = []
        for fact in ev.facts:
            obj = fact.object
            facts.append(
                {
                    "subject": {"label": view.label(fact.subject), "href": href(fact.subject)},
                    "predicate": {
                        "label": view.label(fact.predicate),
                        "curie": curie(fact.predicate),
                        "href": href(fact.predicate),
                    },
                    "object": (
                        {"label": view.label(obj.value), "href": href(obj.value)}
                        if isinstance(obj, ox.NamedNode)
                        else {"label": _clip(obj.value), "href": ""}
                    ),
                }
            )
        cards.append({"anchor": ev.anchor, "quote": ev.quote, "iri": ev.iri, "facts": facts})
    hidden = {SCHEMA + "headline", SCHEMA + "datePublished", SCHEMA + "author"}
    context["properties"] = [p for p in context["properties"] if p["iri"] not in hidden]
    # the article's incoming links are its evidence, shown as cards instead
    context["incoming"] = [
        row for row in context["incoming"] if row["iri"] != PROV + "wasQuotedFrom"
    ]
    context.update(
        headline=desc.text(SCHEMA + "headline", "vi") or context["title"],
        published=desc.first(SCHEMA + "datePublished"),
        author=(
            {"label": view.label(author.value), "href": href(author.value)}
            if isinstance(author, ox.NamedNode)
            else None
        ),
        segments=segments(body, evidence),
        cards=cards,
        origin=article_origin(desc, view),
        language=desc.text(SCHEMA + "inLanguage", "vi"),
    )
    return render("article.html", **context)


ARTICLE_ORIGIN = (
    (SCHEMA + "publisher", "publisher"),
    (SCHEMA + "url", "original_url"),
    ("http://purl.org/pav/retrievedOn", "retrieved"),
    (DCTERMS + "date", "retrieved"),
)


def article_origin(desc: Description, view: View) -> list[dict]:
    """Publisher, original address and retrieval date — each only if the graph states it."""
    rows = []
    for predicate, key in ARTICLE_ORIGIN:
        for v in desc.values.get(predicate, []):
            term = v.term
            if isinstance(term, ox.NamedNode):
                external = not is_local(term.value)
                rows.append(
                    {
                        "label": t(key),
                        "text": short_url(term.value) if external else view.label(term.value),
                        "href": term.value if external else href(term.value),
                    }
                )
            else:
                rows.append({"label": t(key), "text": term.value, "href": ""})
    if not any(r["label"] in (t("publisher"), t("original_url")) for r in rows):
        rows.append({"label": t("origin"), "text": t("origin_unknown"), "href": ""})
    return rows


def render_graph(iri: str) -> Response:
    """A named graph that has no description of its own: its size, its classes, downloads."""
    info = describe.graph_summary(iri)
    view = View(describe.fetch_labels({c for c, _ in info["classes"]}))
    quoted = _quote(iri)
    downloads = [
        (label, f"/graph-store?graph={quoted}&format={ext}")
        for label, ext in (("Turtle", "ttl"), ("N-Triples", "nt"), ("RDF/XML", "rdf"))
    ]
    return render(
        "graph.html",
        view=view,
        iri=iri,
        title=describe.local_name(iri),
        info=info,
        downloads=downloads,
        cite_iri=iri,
    )


def not_found_page(iri: str) -> Response:
    """The 404 page, its search box filled in with the IRI's last segment as words."""
    tail = iri.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    guess = " ".join(tail.replace("-", " ").replace("_", " ").split())[:80]
    return render("not_found.html", status=404, iri=iri, guess=guess)


@bp.app_errorhandler(404)
def _not_found(exc: HTTPException) -> Response:
    """No route here: the site's own 404 page for people, the error answer for programs."""
    return not_found_page(request.url) if wants_html() else http_error(exc)


# --- ontology, dumps ---------------------------------------------------------------------


def render_ontology(ontology_ntriples: Callable[[], bytes]) -> Response:
    """The ontology's documentation page, from its N-Triples (read only if not cached)."""
    settings = state().settings
    doc = ontology_doc.get(
        state().backend.data_version(), ontology_ntriples, settings.base_iri, _prefixes()
    )
    return render("ontology.html", doc=doc, langs=(current_lang(), other_lang()))


def render_dumps(info: dict) -> Response:
    files = [
        {"name": name, **meta, "size": human_size(meta["bytes"])}
        for name, meta in info["files"].items()
    ]
    return render(
        "dumps.html",
        files=files,
        build=info["build"],
        writes=state().backend.write_count(),
    )


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


# --- landing page ------------------------------------------------------------------------

_landing_cache: dict[str, dict] = {}
_landing_lock = threading.Lock()


def landing_data() -> dict:
    """What the landing page lists, computed once per data version."""
    version = state().backend.data_version()
    with _landing_lock:
        cached = _landing_cache.get(version)
    if cached is not None:
        return cached
    base = state().settings.base_iri
    ctkg = base + "ontology#"
    editions = describe.select(
        f"""PREFIX ctkg: <{ctkg}>
SELECT ?e ?year ?ordinal ?date ?status ?host ?series WHERE {{
  ?e a ctkg:ConferenceEdition ; ctkg:year ?year .
  OPTIONAL {{ ?e ctkg:ordinal ?ordinal }}
  OPTIONAL {{ ?e ctkg:startDate ?date }}
  OPTIONAL {{ ?e ctkg:editionStatus ?status }}
  OPTIONAL {{ ?e ctkg:hostProvince ?host }}
  OPTIONAL {{ ?e ctkg:partOfSeries ?series }}
}} ORDER BY ?year ?e"""
    )
    units = describe.select(
        f"""PREFIX ctkg: <{ctkg}>
SELECT ?p ?kind WHERE {{
  ?p a ctkg:AdministrativeUnit .
  OPTIONAL {{ ?p a ?kind FILTER(?kind IN (ctkg:Province, ctkg:CentrallyGovernedCity)) }}
}}"""
    )
    indicators = describe.select(
        f"""PREFIX ctkg: <{ctkg}>
SELECT ?i (COUNT(?o) AS ?n) WHERE {{
  ?i a ctkg:Indicator . OPTIONAL {{ ?o ctkg:indicator ?i }}
}} GROUP BY ?i"""
    )
    regions = describe.select(
        f"""PREFIX ctkg: <{ctkg}>
SELECT ?r (COUNT(?p) AS ?n) WHERE {{
  ?r a ctkg:Region . OPTIONAL {{ ?r ctkg:memberProvince ?p }}
}} GROUP BY ?r"""
    )
    articles = describe.select(
        f"""PREFIX ctkg: <{ctkg}>
PREFIX schema: <{SCHEMA}>
SELECT ?a ?date WHERE {{ ?a a ctkg:NewsArticle . OPTIONAL {{ ?a schema:datePublished ?date }} }}
ORDER BY ?date"""
    )
    counts = describe.select(
        f"""PREFIX rdf: <{RDF}>
PREFIX ctkg: <{ctkg}>
SELECT
  (COUNT(DISTINCT ?st) AS ?statements)
  (COUNT(DISTINCT ?ev) AS ?quotes)
  (COUNT(DISTINCT ?src) AS ?web)
WHERE {{
  {{ ?st a rdf:Statement }} UNION {{ ?ev a ctkg:Evidence }} UNION {{ ?src a ctkg:WebSource }}
}}"""
    )[0]
    entities = describe.select(
        f"""PREFIX rdf: <{RDF}>
PREFIX ctkg: <{ctkg}>
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?type .
  FILTER(STRSTARTS(STR(?s), "{base}id/"))
  FILTER NOT EXISTS {{ ?s a rdf:Statement }}
  FILTER NOT EXISTS {{ ?s a ctkg:Evidence }}
  FILTER NOT EXISTS {{ ?s a ctkg:Fact }}
}}"""
    )[0]
    wanted = {r["e"].value for r in editions}
    wanted |= {r[k].value for r in editions for k in ("status", "host", "series") if k in r}
    wanted |= {r["p"].value for r in units} | {r["kind"].value for r in units if "kind" in r}
    wanted |= {r["i"].value for r in indicators} | {r["r"].value for r in regions}
    wanted |= {r["a"].value for r in articles}
    data = {
        "editions": editions,
        "units": units,
        "indicators": indicators,
        "regions": regions,
        "articles": articles,
        "counts": {k: int(v.value) for k, v in counts.items()},
        "entities": int(entities["n"].value),
        "labels": describe.fetch_labels(wanted),
    }
    with _landing_lock:
        _landing_cache.clear()
        _landing_cache[version] = data
    return data


@bp.route("/maps/provinces-<era>.svg", methods=["GET", "HEAD"])
def country_map(era: str):
    """The country map of an era with nothing highlighted, every unit a link (``data-unit`` its
    slug): the query page's map view loads it and highlights the units of the results."""
    from . import maps

    if era not in ("2019", "2025"):
        return not_found_page(request.url)
    lang = current_lang()
    etag = etag_for("map", era, lang, PAGE_VERSION)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    body = maps.svg_map(era, [], f"map-{era}", lang, standalone=True)
    response = Response(str(body), content_type="image/svg+xml; charset=utf-8")
    response.headers["Vary"] = "Accept, Cookie, Accept-Language"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Language"] = lang
    response.set_etag(etag, weak=True)
    return response


@bp.route("/", methods=["GET", "HEAD"])
def landing():
    etag = etag_for("landing", current_lang(), PAGE_VERSION)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    if not state().backend.available():
        return render("landing.html", status=503, data=None, stats=None)
    data = landing_data()
    view = View(data["labels"])

    def entry(iri: str, **extra) -> dict:
        return {"label": view.label(iri), "href": href(iri), "iri": iri, **extra}

    editions = [
        entry(
            r["e"].value,
            year=r["year"].value,
            ordinal=r["ordinal"].value if "ordinal" in r else "",
            date=r["date"].value if "date" in r else "",
            status=view.label(r["status"].value) if "status" in r else "",
            held=r.get("status") is not None and r["status"].value.endswith("#held"),
            host=entry(r["host"].value) if "host" in r else None,
        )
        for r in data["editions"]
    ]
    units = sorted(
        (
            entry(r["p"].value, city=r.get("kind") is not None and "City" in r["kind"].value)
            for r in data["units"]
        ),
        key=lambda e: _sort_key_text(e["label"]),
    )
    series = sorted({r["series"].value for r in data["editions"] if "series" in r})
    response = render(
        "landing.html",
        data=data,
        stats=store_stats(),
        view=view,
        editions=editions,
        series=[entry(s) for s in series],
        units=units,
        indicators=[entry(r["i"].value, count=int(r["n"].value)) for r in data["indicators"]],
        regions=sorted(
            (entry(r["r"].value, count=int(r["n"].value)) for r in data["regions"]),
            key=lambda e: -e["count"],
        ),
        articles=[
            entry(r["a"].value, date=r["date"].value if "date" in r else "")
            for r in data["articles"]
        ],
    )
    response.set_etag(etag, weak=True)
    return response


# --- the query page ----------------------------------------------------------------------


# the query page's own URL parameters; every other one is a named query's parameter
QUERY_PAGE_ARGS = {"query", "example", "view", "run", "lang"}


@bp.route("/query", methods=["GET", "HEAD"])
def query_page():
    """YASGUI with the named queries as examples. ``?example=NAME&province=id:province/ha-noi``
    writes the parameter values into the example's text (checked by ``NamedQuery.bind``; a bad
    value is said next to its field, and the defaults are used); ``?query=TEXT`` is an edited
    query (the language links carry it, so a switch keeps it)."""
    settings = state().settings
    lang = current_lang()
    queries = all_queries()
    names = [q.name for q in queries]
    example = request.args.get("example", "")
    initial = request.args.get("query", "")
    typed = {k: v for k, v in request.args.items() if k not in QUERY_PAGE_ARGS}
    param_error = ""
    chosen_query = next((q for q in queries if q.name == example), None)
    chosen = None
    if chosen_query is not None and not initial:
        try:
            chosen = query_examples.example(chosen_query, settings.base_iri, lang, typed)
        except QueryParameterError as exc:
            param_error = str(exc)
    examples = [
        chosen
        if chosen and q.name == chosen["name"]
        else query_examples.example(q, settings.base_iri, lang)
        for q in queries
    ]
    examples.sort(key=lambda e: (e["name"] != "series-editions", e["name"]))
    if not initial:
        chosen = chosen or next((e for e in examples if e["name"] == example), examples[0])
        initial = chosen["sparql"]
        example = chosen["name"]
    elif example not in names:
        example = ""
    current = next((e for e in examples if e["name"] == example), None)
    config = {
        "endpoint": "/sparql",
        "examples": examples,
        "initialQuery": initial,
        "initialExample": example,
        "initialView": request.args.get("view", ""),
        "autorun": bool(request.args.get("query") or request.args.get("run")) and not param_error,
        "prefixes": _prefixes(),
        "base": settings.base_iri,
        "lang": lang,
        "ui": {key: UI[key][0 if lang == "vi" else 1] for key in UI},
        "terms": "/api/terms?lang=" + lang,
    }
    return render(
        "query.html",
        status=400 if param_error else 200,
        examples=examples,
        current=current,
        param_error=param_error,
        config=json.dumps(config, ensure_ascii=False).replace("</", "<\\/"),
    )
