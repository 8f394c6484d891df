"""Articles: the news text with quotes and the per-edition builder of article graphs."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import random

from rdflib import URIRef

from ctkg.graph.provenance import graph_description

from .terms import (
    G_META,
    LABEL,
    MEMBER,
    ORGANIZATION,
    QB_NS,
    ROLE,
    SCHEMA_NS,
    SERIES_DATASET,
    SERIES_TABLE,
    SKOS_NS,
    TIME_NS,
    XSD_NS,
    A,
    Triple,
    c,
    eid,
    iri,
    lit,
    nt,
    xsd,
)
from .world import (
    FINDINGS,
    INDICATORS,
    LIMITATIONS,
    OUTLETS,
    ROLES,
    TASKS,
    Edition,
    Post,
    World,
    decimal_vi,
    ordinal_en,
    roman,
    zipf_weights,
)
from .writer import ArticleGraph, Graph


class ArticleWriter:
    """Renders one article's graph, plus the series-table row of an edition covered first."""

    def __init__(self, world: World, seed: int):
        self.world = world
        self.seed = seed
        self.article_ids: set[str] = set()
        self.table_stated: set[Triple] = set()  # triples the series table already holds

    def _article_id(self, edition: Edition, number: int, rng: random.Random):
        day = edition.date or dt.date(edition.year, 6, 15)
        published = day + dt.timedelta(days=rng.randint(0, 6) + (number - 1) * rng.randint(0, 3))
        base = f"{published.isoformat()}-{edition.host or edition.series.slug}"
        aid, n = base, 1
        while aid in self.article_ids:
            n += 1
            aid = f"{base}-{n}"
        return aid, published

    def render(self, edition: Edition, number: int, max_observations: int | None = None):
        """(quads, commit) of the article; nothing changes until ``commit`` is applied."""
        rng = random.Random(f"ctkg-synth:{self.seed}:{edition.path}:{number}")
        aid, published = self._article_id(edition, number, rng)
        outlet = OUTLETS[min(len(OUTLETS), int(rng.paretovariate(1.0))) - 1]
        author = rng.choice(self.world.journalists[outlet])
        a = ArticleGraph(aid)
        b = _Builder(self.world, a, edition, rng)
        headline = b.headline()
        n_obs = min(60, 2 + int(rng.paretovariate(1.3) * 3))
        if max_observations is not None:
            n_obs = min(n_obs, max_observations)
        b.content(n_obs)
        byline = f"Nguồn:{author.name_vi}"
        a.quoted("author", author.triples(), a.say(byline), byline)
        meta = Graph("meta", [])
        a.quoted(
            "article",
            [
                (a.article, A, c("NewsArticle")),
                (a.article, iri(SCHEMA_NS + "headline"), lit(headline, "vi")),
                (a.article, LABEL, lit(headline, "vi")),
                (a.article, iri(SCHEMA_NS + "datePublished"), xsd(published.isoformat(), "date")),
                (a.article, iri(SCHEMA_NS + "author"), author.iri),
                (a.article, iri(SCHEMA_NS + "inLanguage"), lit("vi")),
                (a.article, iri(SCHEMA_NS + "articleBody"), lit(a.body, "vi")),
                (a.article, c("articleFile"), lit(f"synthetic/{aid}.txt")),
                (
                    a.article,
                    iri(SCHEMA_NS + "url"),
                    lit(f"https://{outlet}/{aid}", datatype=XSD_NS + "anyURI"),
                ),
            ],
            (0, len(headline)),
            headline,
        )
        quads = a.quads
        quads += [
            (s, p, o, G_META)
            for s, p, o in _described_graph(
                a.name,
                f"Dữ kiện từ bài báo tổng hợp {aid}",
                f"Facts from synthetic article {aid}",
                [a.article],
            )
        ]
        del meta
        commit: dict = {"article_id": aid, "table": set(), "observations": b.observations}
        if number == 1:
            row = self._series_row(edition, rng)
            quads += row.quads
            commit["table"] = row.new
        return quads, commit, n_obs

    def commit(self, commit: dict) -> None:
        self.article_ids.add(commit["article_id"])
        self.table_stated |= commit["table"]

    def _series_row(self, e: Edition, rng: random.Random) -> Graph:
        """What a news page says of the edition, in the series table, cited with a confidence."""
        url = f"https://{rng.choice(OUTLETS)}/{e.series.slug}/{e.year}"
        conf = c("high") if rng.random() < 0.8 else c("medium")
        row = Graph(SERIES_TABLE, [SERIES_DATASET, iri(url)], conf, self.table_stated)
        row.fact(f"{e.series.slug}/{e.year}", _edition_triples(e, with_people=True))
        row.quads += [
            (iri(url), A, c("WebSource"), G_META),
            (iri(url), iri(SCHEMA_NS + "url"), lit(url, datatype=XSD_NS + "anyURI"), G_META),
        ]
        return row


def _described_graph(name: str, vi: str, en: str, derived: list[str]) -> list[Triple]:
    """``provenance.graph_description`` as N-Triples text."""
    return [
        (nt(s), nt(p), nt(o))
        for s, p, o, _g in graph_description(
            name, {"vi": vi, "en": en}, [URIRef(d[1:-1]) for d in derived]
        )
    ]


def _labels(s: str, vi: str, en: str) -> list[Triple]:
    return [(s, LABEL, lit(vi, "vi")), (s, LABEL, lit(en, "en"))]


def _edition_labels(e: Edition) -> tuple[str, str]:
    s = e.series
    if e.ordinal:
        return (
            f"{s.label_vi} lần thứ {roman(e.ordinal)} ({e.year})",
            f"{s.label_en}, {ordinal_en(e.ordinal)} edition ({e.year})",
        )
    return f"{s.label_vi} năm {e.year}", f"{s.label_en}, {e.year}"


def _role_triples(title: str) -> list[Triple]:
    slug, en = ROLES[title]
    r = eid(f"role/{slug}")
    return [(r, A, c("Role")), *_labels(r, title, en)]


def _post_triples(post: Post, edition: Edition) -> list[Triple]:
    m = post.iri
    person = post.person
    role_en = ROLES[post.title][1]
    return [
        *person.triples(),
        *post.org.triples,
        *_role_triples(post.title),
        (m, A, c("Membership")),
        (m, MEMBER, person.iri),
        (m, ORGANIZATION, post.org.iri),
        (m, ROLE, eid(f"role/{post.role_slug}")),
        (m, c("attestedAt"), edition.iri),
        *_labels(
            m,
            f"{person.name_vi} — {post.title} {post.org.name_vi}",
            f"{person.name_en}, {role_en}, {post.org.name_en}",
        ),
    ]


def _edition_triples(e: Edition, with_people: bool) -> list[Triple]:
    s, x = e.series, e.iri
    vi, en = _edition_labels(e)
    t = [
        (s.iri, A, c("ConferenceSeries")),
        *_labels(s.iri, s.label_vi, s.label_en),
        (x, A, c("ConferenceEdition")),
        (x, c("partOfSeries"), s.iri),
        (x, c("year"), xsd(e.year, "gYear")),
        (x, c("editionStatus"), c("held") if e.held else c("designated")),
        *_labels(x, vi, en),
    ]
    if e.ordinal:
        t.append((x, c("ordinal"), xsd(e.ordinal, "positiveInteger")))
    if e.held and e.date:
        t.append((x, c("startDate"), xsd(e.date.isoformat(), "date")))
    # the status as of a day, as the real build derives it (graph/in_time.py)
    status = "held" if e.held else "designated"
    assertion = f"{x[:-1]}/status/{status}>"
    t += [
        (x, c("statusAssertion"), assertion),
        (assertion, A, c("StatusAssertion")),
        (assertion, c("status"), c(status)),
    ]
    if e.held and e.date:
        t.append((assertion, c("asOf"), xsd(e.date.isoformat(), "date")))
    if e.host:
        t.append((x, c("hostProvince"), eid(f"province/{e.host}")))
        if e.held:
            t.append((x, c("heldIn"), eid(f"province/{e.host}")))
    for org in e.organizers:
        t += [*org.triples, (x, c("organizer"), org.iri)]
    for org in e.co_organizers:
        t += [*org.triples, (x, c("coOrganizer"), org.iri)]
    if e.host_org:
        t += [*e.host_org.triples, (x, c("hostOrganization"), e.host_org.iri)]
    if with_people and e.director:
        t += _post_triples(e.director, e)
        t += [
            (x, c("directedBy"), e.director.person.iri),
            (x, c("attendee"), e.director.person.iri),
        ]
    return t


class _Builder:
    """The sentences and quoted facts of one article about one edition."""

    def __init__(self, world: World, a: ArticleGraph, e: Edition, rng: random.Random):
        self.w, self.a, self.e, self.rng = world, a, e, rng
        self.n = 0
        self.observations = 0

    def fid(self, kind: str) -> str:
        self.n += 1
        return f"{kind}-{self.n}"

    def headline(self) -> str:
        vi, _ = _edition_labels(self.e)
        host_vi = self.w.province_label(self.e.host)[0] if self.e.host else ""
        text = f"{vi} tại {host_vi}" if host_vi else vi
        assert self.a.say(text) == (0, len(text))
        return text

    def quote(self, kind: str, sentence: str, triples: list[Triple]) -> None:
        self.a.quoted(self.fid(kind), triples, self.a.say(sentence), sentence)

    def describe(self, kind: str, sentence: str, entity: str, triples: list[Triple]) -> None:
        """Describe an entity once per article (its type and labels), with a quote."""
        if entity in self.a.described:
            return
        self.a.described.add(entity)
        self.quote(kind, sentence, triples)

    def content(self, n_obs: int) -> None:
        e, rng = self.e, self.rng
        x = e.iri
        vi, _ = _edition_labels(e)
        date_vi = f"Ngày {e.date.day}⁄{e.date.month}⁄{e.date.year}" if e.date else f"Năm {e.year}"
        org_vi = ", ".join(o.name_vi for o in e.organizers + e.co_organizers)
        self.quote(
            "edition", f"{date_vi}, {org_vi} tổ chức {vi}.", _edition_triples(e, with_people=False)
        )
        people = []
        if e.director:
            people.append(e.director)
            d = e.director
            self.quote(
                "directed-by",
                f"Đồng chí {d.person.name_vi} - {d.title} {d.org.name_vi} dự và chỉ đạo Hội nghị.",
                [(x, c("attendee"), d.person.iri), (x, c("directedBy"), d.person.iri)],
            )
        people += self._attendees()
        for post in people:
            self.describe(
                "membership",
                f"{post.person.name_vi}, {post.title} {post.org.name_vi}.",
                post.iri,
                _post_triples(post, e),
            )
            if post is not e.director:
                self.quote(
                    "attendee",
                    f"Dự Hội nghị có đồng chí {post.person.name_vi}.",
                    [(x, c("attendee"), post.person.iri)],
                )
        self._group()
        report = eid(f"{e.path}/report")
        self.quote(
            "report",
            "Theo báo cáo tại Hội nghị, ngành Công Thương đạt nhiều kết quả tích cực.",
            [
                (x, c("report"), report),
                (report, A, c("Report")),
                *_labels(report, "Báo cáo tại Hội nghị", "Report at the Conference"),
            ],
        )
        self._assessments(report)
        self._observations(report, n_obs)
        if rng.random() < 0.6 and e.director:
            self._speech()
        if rng.random() < 0.4:
            self._programme()
        if e.next is not None and not e.series.provincial and rng.random() < 0.8:
            self._handover()

    def _attendees(self) -> list[Post]:
        e, w, rng = self.e, self.w, self.rng
        posts: list[Post] = []
        hosts = [e.host] if e.host else []
        others = [m for m in e.series.members if m != e.host]
        if others:
            weights = [w.province_weight[m] for m in others]
            hosts += rng.choices(others, weights, k=min(len(others), rng.randint(1, 6)))
        for province in dict.fromkeys(hosts):
            for org, title in ((w.ubnd(province), "Phó Chủ tịch"), (w.so(province), "Giám đốc")):
                holders = w.holders(org, title, e.year)
                if holders and rng.random() < 0.7:
                    posts.append(holders[0] if len(holders) == 1 else rng.choice(holders))
        return [p for p in dict.fromkeys(posts) if p is not e.director]

    def _group(self) -> None:
        e = self.e
        g = eid(f"{e.path}/participants/provinces")
        n = len(e.series.members)
        label = "Lãnh đạo UBND và Sở Công Thương" + (f" {n} tỉnh, thành phố" if n > 1 else "")
        self.quote(
            "group",
            f"Dự Hội nghị có {label[0].lower()}{label[1:]}.",
            [
                (g, A, c("ParticipantGroup")),
                *_labels(
                    g,
                    label,
                    "Leaders of the People's Committees and Departments of Industry and Trade",
                ),
                (e.iri, c("attendeeGroup"), g),
            ],
        )

    def _assessments(self, report: str) -> None:
        e, rng = self.e, self.rng
        for i, text in enumerate(rng.sample(FINDINGS, rng.randint(0, 3)), 1):
            f = eid(f"{e.path}/finding/{i}")
            self.quote(
                "finding",
                f"Báo cáo đánh giá {text}.",
                [
                    (f, A, c("Finding")),
                    *_labels(f, text.capitalize(), f"Finding {i}"),
                    (f, c("reportedAt"), e.iri),
                    (report, c("finding"), f),
                ],
            )
        for i, text in enumerate(rng.sample(LIMITATIONS, rng.randint(0, 5)), 1):
            f = eid(f"{e.path}/limitation/{i}")
            self.quote(
                "limitation",
                f"Tuy nhiên, {text}.",
                [
                    (f, A, c("Limitation")),
                    *_labels(f, text.capitalize(), f"Limitation {i}"),
                    (f, c("reportedAt"), e.iri),
                    (report, c("limitation"), f),
                ],
            )
        if len(e.series.members) > 1:
            members = sorted(e.series.members)
            weights = [self.w.province_weight[m] for m in members]
            chosen = dict.fromkeys(rng.choices(members, weights, k=rng.randint(0, 5)))
            for province in chosen:
                pvi, pen = self.w.province_label(province)
                d = eid(f"{e.path}/designation/{province}")
                self.quote(
                    "designation",
                    f"{pvi} là địa phương đầu tàu về phát triển công nghiệp của vùng.",
                    [
                        (d, A, c("LocalityDesignation")),
                        (d, c("designationType"), c("leadingIndustrialLocality")),
                        (d, c("reportedAt"), e.iri),
                        (d, c("designatedArea"), eid(f"province/{province}")),
                        *_labels(
                            d,
                            f"{pvi} - địa phương đầu tàu về phát triển công nghiệp",
                            f"{pen} - a leading locality in industrial development",
                        ),
                        (report, c("designation"), d),
                    ],
                )

    def _area(self) -> tuple[str, str, str, str]:
        """(IRI, slug, vi, en) of an area an observation is about: host, region or member."""
        e, w, rng = self.e, self.w, self.rng
        roll = rng.random()
        if e.series.region and roll < 0.25:
            r = w.regions[e.series.region]
            return (
                eid(f"region/{e.series.region}"),
                e.series.region,
                r["labels"]["vi"],
                r["labels"]["en"],
            )
        province = e.host
        if (roll > 0.6 or province is None) and len(e.series.members) > 1:
            members = sorted(e.series.members)
            province = rng.choices(members, [w.province_weight[m] for m in members])[0]
        vi, en = w.province_label(province)
        return eid(f"province/{province}"), province, vi, en

    def _period(self) -> tuple[str, str, str, str]:
        """(IRI, slug, vi, en) of the reference period, described in the article when new."""
        e, rng = self.e, self.rng
        year = e.year - 1
        if rng.random() < 0.4 and e.date and e.date.month > 2:
            year = e.year
            months = rng.randint(1, e.date.month - 1)
            last = calendar.monthrange(year, months)[1]
            slug = f"{year}-01--{year}-{months:02d}"
            vi, en = (
                f"{months} tháng đầu năm {year}",
                f"January–{calendar.month_name[months]} {year}",
            )
            end = dt.date(year, months, last)
        else:
            slug, vi, en, end = str(year), f"Năm {year}", str(year), dt.date(year, 12, 31)
        p = eid(f"period/{slug}")
        begin = dt.date(year, 1, 1)
        instants = []
        for day in (begin, end):
            i = eid(f"instant/{day.isoformat()}")
            instants.append(i)
            self.describe(
                "instant",
                f"{vi} (tính đến ngày {day.day}⁄{day.month}⁄{day.year}).",
                i,
                [
                    (i, A, iri(TIME_NS + "Instant")),
                    (i, iri(TIME_NS + "inXSDDate"), xsd(day.isoformat(), "date")),
                    *_labels(
                        i,
                        f"Ngày {day.day} tháng {day.month} năm {day.year}",
                        f"{day.day} {calendar.month_name[day.month]} {day.year}",
                    ),
                ],
            )
        self.describe(
            "period",
            f"Số liệu {vi.lower()}.",
            p,
            [
                (p, A, c("ReferencePeriod")),
                *_labels(p, vi, en),
                (p, iri(TIME_NS + "hasBeginning"), instants[0]),
                (p, iri(TIME_NS + "hasEnd"), instants[1]),
            ],
        )
        return p, slug, vi, en

    def _observations(self, report: str, n: int) -> None:
        e, rng = self.e, self.rng
        done: set[str] = set()
        weights = zipf_weights(len(INDICATORS), 0.8)
        for _ in range(n):
            slug, ind_vi, ind_en = rng.choices(INDICATORS, weights)[0]
            area, area_slug, area_vi, area_en = self._area()
            period, period_slug, period_vi, period_en = self._period()
            key = f"observation/{slug}/{area_slug}/{period_slug}"
            if key in done:
                continue
            done.add(key)
            # one observation per reporting source: the report's edition is part of the IRI
            obs_path = f"{key}/reported/{e.series.slug}-{e.year}"
            ind = eid(f"indicator/{slug}")
            self.describe(
                "indicator",
                f"Về {ind_vi.lower()}.",
                ind,
                [
                    (ind, A, c("Indicator")),
                    (ind, iri(SKOS_NS + "inScheme"), c("IndicatorScheme")),
                    *_labels(ind, ind_vi, ind_en),
                ],
            )
            value = _value(key)
            o = eid(obs_path)
            sentence = f"{period_vi}, {ind_vi.lower()} của {area_vi} tăng {decimal_vi(value)}%."
            span = self.a.say(sentence)
            self.a.quoted(
                self.fid("obs"),
                [
                    (o, A, c("Observation")),
                    *_labels(
                        o,
                        f"{ind_vi} {area_vi} {period_vi.lower()}: tăng {decimal_vi(value)}%",
                        f"{ind_en}, {area_en}, {period_en}: growth of {value}%",
                    ),
                    (o, iri(QB_NS + "dataSet"), c("indicatorObservations")),
                    (o, c("indicator"), ind),
                    (o, c("refPeriod"), period),
                    (o, c("valueKind"), c("yearOnYearGrowth")),
                    (o, c("unitMeasure"), c("percent")),
                    (o, c("value"), xsd(value, "decimal")),
                ],
                span,
                sentence,
            )
            self.a.quoted(self.fid("obs-area"), [(o, c("refArea"), area)], span, sentence)
            self.observations += 1
            self.quote(
                "obs-source",
                "Theo báo cáo tại Hội nghị.",
                [(o, c("reportedAt"), e.iri), (o, c("reportedIn"), report)],
            )

    def _speech(self) -> None:
        e, rng = self.e, self.rng
        d = e.director
        sp = eid(f"{e.path}/speech/{d.person.slug}")
        self.quote(
            "speech",
            f"Phát biểu chỉ đạo tại Hội nghị, đồng chí {d.person.name_vi} đánh giá cao "
            "kết quả đạt được.",
            [
                (e.iri, c("speech"), sp),
                (sp, A, c("Speech")),
                (sp, c("speaker"), d.person.iri),
                *_labels(sp, f"Phát biểu của {d.person.name_vi}", f"Address by {d.person.name_en}"),
            ],
        )
        for i, text in enumerate(rng.sample(TASKS, rng.randint(1, 4)), 1):
            dr = eid(f"{e.path}/direction/{i}")
            region = e.series.region
            area = eid(f"region/{region}") if region else eid(f"province/{e.host}")
            self.quote(
                "direction",
                f"Đồng chí đề nghị: {text[0].lower()}{text[1:]}.",
                [
                    (dr, A, c("Direction")),
                    *_labels(dr, text, f"Direction {i}"),
                    (sp, c("direction"), dr),
                    (dr, c("mentionsArea"), area),
                ],
            )

    def _programme(self) -> None:
        e, rng = self.e, self.rng
        pr = eid(f"{e.path}/programme")
        tasks = rng.sample(TASKS, rng.randint(2, 6))
        period = eid(f"period/{e.year}")
        self.describe(
            "period",
            f"Các nhiệm vụ năm {e.year}.",
            period,
            [
                (period, A, c("ReferencePeriod")),
                *_labels(period, f"Năm {e.year}", str(e.year)),
                (period, iri(TIME_NS + "hasBeginning"), eid(f"instant/{e.year}-01-01")),
                (period, iri(TIME_NS + "hasEnd"), eid(f"instant/{e.year}-12-31")),
            ],
        )
        for day in (f"{e.year}-01-01", f"{e.year}-12-31"):
            i = eid(f"instant/{day}")
            y, m, d = (int(x) for x in day.split("-"))
            self.describe(
                "instant",
                f"Kế hoạch tính đến ngày {d}⁄{m}⁄{y}.",
                i,
                [
                    (i, A, iri(TIME_NS + "Instant")),
                    (i, iri(TIME_NS + "inXSDDate"), xsd(day, "date")),
                    *_labels(i, f"Ngày {d} tháng {m} năm {y}", f"{d} {calendar.month_name[m]} {y}"),
                ],
            )
        self.quote(
            "programme",
            f"Hội nghị thống nhất {len(tasks) + rng.randint(0, 12)} nhóm nhiệm vụ và giải pháp.",
            [
                (e.iri, c("neededTasks"), pr),
                (pr, A, c("TaskProgramme")),
                *_labels(pr, "Các nhóm nhiệm vụ và giải pháp", "Groups of tasks and solutions"),
                (pr, c("numberOfTaskGroups"), xsd(len(tasks), "nonNegativeInteger")),
                (pr, c("forPeriod"), period),
            ],
        )
        for i, text in enumerate(tasks, 1):
            t = eid(f"{e.path}/task/{i}")
            self.quote(
                "task",
                f"{text}.",
                [(t, A, c("Task")), *_labels(t, text, f"Task {i}"), (pr, c("focusTask"), t)],
            )

    def _handover(self) -> None:
        e, nxt = self.e, self.e.next
        ho = eid(f"{e.path}/handover")
        giver = e.host_org or (self.w.so(e.host) if e.host else e.organizers[0])
        taker = nxt.host_org or self.w.so(nxt.host)
        nvi, nen = _edition_labels(nxt)
        triples = [
            (nxt.iri, A, c("ConferenceEdition")),
            (nxt.iri, c("partOfSeries"), e.series.iri),
            (nxt.iri, c("year"), xsd(nxt.year, "gYear")),
            (nxt.iri, c("hostProvince"), eid(f"province/{nxt.host}")),
            (nxt.iri, c("hostOrganization"), taker.iri),
            *_labels(nxt.iri, nvi, nen),
            *taker.triples,
            *giver.triples,
            (e.iri, c("handover"), ho),
            (ho, A, c("HostingHandover")),
            (ho, c("handoverFrom"), giver.iri),
            (ho, c("handoverTo"), taker.iri),
            (ho, c("handoverOf"), nxt.iri),
            *_labels(
                ho, f"Chuyển giao quyền đăng cai {nvi}", f"Hand-over of the right to host the {nen}"
            ),
        ]
        if nxt.ordinal:
            triples.append((nxt.iri, c("ordinal"), xsd(nxt.ordinal, "positiveInteger")))
        if not nxt.held:
            triples.append((nxt.iri, c("editionStatus"), c("designated")))
        self.quote(
            "handover",
            f"{giver.name_vi} đã chuyển giao quyền đăng cai tổ chức {nvi} cho {taker.name_vi}.",
            triples,
        )


def _value(key: str) -> str:
    """The observation's value, a function of its IRI so every article reports the same one."""
    h = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)
    return f"{(h % 3300) / 100 - 3:.1f}"
