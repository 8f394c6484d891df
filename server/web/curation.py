"""``/curate``: the review page of the curation workflow, behind the write tokens.

The same operations as ``ctkg review`` and ``ctkg ingest``, through the same code:
decisions are ``graph/curation/review.Review`` (saved in the proposal, appended to
``curated/decisions.jsonl``), ingest is ``ctkg ingest`` (``graph/curation/ingest.py``) run as a
child process whose progress lines and result the page shows.

- ``GET /curate/login`` / ``POST /curate/login``: a write token (``CTKG_UPDATE_TOKENS``) buys a
  session: a cookie ``ctkg_curate`` (``HttpOnly``, ``SameSite=Strict``, ``Path=/curate``,
  ``Secure`` over HTTPS) holding an expiry, a fingerprint of the token and a CSRF secret, signed
  with HMAC-SHA256 by the server's secret (``$CTKG_DATA_DIR/curated/.session-secret``, made on
  first use, shared by the workers). A session ends at its expiry (8 h), at logout, or when its
  token leaves ``CTKG_UPDATE_TOKENS``.
- Every POST carries the session's CSRF token in a form field (the login form: a double-submit
  cookie) and, when the browser sends one, an ``Origin`` of this host; else 403.
- ``GET /curate``: the proposals; ``GET /curate/ID``: one proposal — the article with every
  proposed quote highlighted, each fact with its quote in context, rule, confidence, values,
  candidates and the decisions; ``POST /curate/ID/decide``: one decision (or undo);
  ``POST /curate/ID/ingest`` and ``GET /curate/ID/ingest``: the ingest and its state.
- Without writes configured: 403; without a session: 401 (the login form); an unknown proposal:
  404. The rest of the server stays read-only and public.
- A client that is no browser may send ``Authorization: Bearer <token>`` instead of the cookie,
  as on the other write endpoints (no CSRF token then: a browser never adds that header by
  itself, so a forged cross-site form cannot carry it). A refusal is a page for a browser, and
  the server's JSON (or text) error for a client that sends a bearer header or an ``Accept``
  without HTML (``http.errors.wants_html``), so a script reads a 401 it can act on.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from flask import Blueprint, Response, g, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from ctkg.graph.curation.layout import Curated
from ctkg.graph.curation.proposal import CurationError, Proposal, dump_yaml, load_proposal
from ctkg.graph.curation.review import Review
from ctkg.processes import pid_alive

from ..http.context import state
from ..http.errors import error_response, wants_html
from ..http.middleware import mark_write
from . import pages

bp = Blueprint("curation", __name__, url_prefix="/curate")
_R = TypeVar("_R", bound=BaseResponse)

COOKIE = "ctkg_curate"
LOGIN_COOKIE = "ctkg_curate_login"
PATH = "/curate"
SESSION_SECONDS = 8 * 3600
CONTEXT = 60  # characters of text shown around a fact's quote

UI = {
    "curate": ("Biên tập dữ kiện", "Curation"),
    "login": ("Đăng nhập biên tập", "Curator sign-in"),
    "login_text": (
        "Trang biên tập chỉ dành cho người có mã ghi (write token) của máy chủ này.",
        "The curation pages are for holders of one of this server's write tokens.",
    ),
    "token": ("Mã ghi", "Write token"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "bad_token": ("Mã không hợp lệ.", "That token is not valid."),
    "read_only": (
        "Máy chủ này chỉ đọc: chưa cấu hình mã ghi (CTKG_UPDATE_TOKENS).",
        "This server is read-only: no write tokens are configured (CTKG_UPDATE_TOKENS).",
    ),
    "need_login": ("Cần đăng nhập bằng mã ghi.", "Sign in with a write token first."),
    "proposals": ("Các đề xuất", "Proposals"),
    "no_proposals": (
        "Chưa có đề xuất nào. Tạo bằng lệnh: ctkg extract BÀI_BÁO",
        "No proposals yet. Make one with: ctkg extract ARTICLE",
    ),
    "article": ("Bài báo", "Article"),
    "facts": ("Dữ kiện", "Facts"),
    "proposed": ("đang đề xuất", "proposed"),
    "accepted": ("đã chấp nhận", "accepted"),
    "rejected": ("đã bác bỏ", "rejected"),
    "ingested": ("đã nạp", "ingested"),
    "not_ingested": ("chưa nạp", "not ingested"),
    "open": ("Mở", "Open"),
    "source_text": ("Văn bản nguồn", "Source text"),
    "source_hint": (
        "Các đoạn tô màu là trích dẫn của các dữ kiện đề xuất; chọn một đoạn để tới dữ kiện.",
        "Highlighted passages are the quotes of proposed facts; select one to go to its fact.",
    ),
    "rule": ("quy tắc", "rule"),
    "confidence": ("độ tin cậy", "confidence"),
    "slot": ("nhóm", "slot"),
    "subject": ("chủ thể", "subject"),
    "type": ("loại", "type"),
    "values": ("giá trị", "values"),
    "inferred": ("suy từ ngữ cảnh", "read from context"),
    "resolution": ("liên kết thực thể", "entity links"),
    "candidates": ("ứng viên", "candidates"),
    "outcome_exact": ("khớp đúng", "exact match"),
    "outcome_candidates": ("chỉ có ứng viên: đang là thực thể mới", "candidates only: new for now"),
    "outcome_new": ("thực thể mới", "new entity"),
    "accept": ("Chấp nhận", "Accept"),
    "reject": ("Bác bỏ", "Reject"),
    "edit": ("Sửa (YAML) và chấp nhận", "Edit (YAML) and accept"),
    "edit_label": ("Các trường thay thế, dạng YAML", "Fields to replace, as YAML"),
    "choose": ("Chọn ứng viên", "Choose this candidate"),
    "new": ("Thực thể mới", "A new entity"),
    "undo": ("Hoàn tác quyết định cuối", "Undo the last decision"),
    "ingest": ("Nạp vào đồ thị", "Ingest into the graph"),
    "ingest_hint": (
        "Nạp các dữ kiện đã chấp nhận: kiểm tra trích dẫn, SHACL, Data Cube và bộ suy luận, "
        "rồi dựng lại đồ thị; nếu có lỗi thì không gì thay đổi.",
        "Ingest the accepted facts: quotes, SHACL, Data Cube and the reasoner are checked, "
        "then the graph is rebuilt; if anything fails, nothing changes.",
    ),
    "no_reason": ("Bỏ qua bộ suy luận (nhanh hơn)", "Skip the reasoner (faster)"),
    "ingest_running": ("Đang nạp…", "Ingesting…"),
    "ingest_done": ("Đã nạp xong.", "Ingested."),
    "ingest_failed": ("Không nạp được; không gì thay đổi.", "Not ingested; nothing changed."),
    "ingest_none": ("Chưa nạp lần nào từ trang này.", "Not ingested from this page yet."),
    "refresh": ("Tải lại trạng thái", "Refresh the state"),
    "progress": ("Tiến trình", "Progress"),
    "saved": ("Đã lưu", "Saved"),
    "refused": ("Không thực hiện được", "Refused"),
    "back": ("Về danh sách đề xuất", "Back to the proposals"),
    "show_in_text": ("xem trong văn bản", "show in text"),
    "to_fact": ("tới dữ kiện", "to the fact"),
    "field": ("trường", "field"),
    "status": ("trạng thái", "status"),
    "actions": ("Quyết định", "Decisions"),
    "warnings": ("Lưu ý của bộ trích xuất", "Extractor warnings"),
    "summary": ("Tóm tắt", "Summary"),
    "see_edition": ("Xem kỳ hội nghị", "See the edition"),
}


def ct(key: str) -> str:
    vi, en = UI[key]
    return en if pages.current_lang() == "en" else vi


class Refused(Exception):
    """A request the curation pages answer with a page of their own (401, 403, 404)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# ------------------------------------------------------------------------------ sessions


def _curated() -> Curated:
    return Curated.of(state().settings.data_path)


_secret_lock = threading.Lock()


def server_secret() -> bytes:
    """The key sessions are signed with: made once per data directory, shared by the workers."""
    path = _curated().root / ".session-secret"
    with _secret_lock:
        with contextlib.suppress(FileNotFoundError):
            data = path.read_bytes()
            if len(data) >= 32:
                return data
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            time.sleep(0.05)
            return path.read_bytes()
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
        return path.read_bytes()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _fingerprint(token: str) -> str:
    return hmac.new(server_secret(), b"token:" + token.encode(), hashlib.sha256).hexdigest()[:32]


def _sign(payload: bytes) -> str:
    return _b64(hmac.new(server_secret(), payload, hashlib.sha256).digest())


@dataclass(frozen=True)
class Session:
    fingerprint: str
    csrf: str
    expires: int
    bearer: bool = False  # an ``Authorization: Bearer`` request: no cookie, no CSRF token


def make_cookie(token: str) -> tuple[str, Session]:
    session = Session(
        _fingerprint(token), secrets.token_urlsafe(24), int(time.time()) + SESSION_SECONDS
    )
    payload = json.dumps(
        {"f": session.fingerprint, "c": session.csrf, "e": session.expires}, separators=(",", ":")
    ).encode()
    return f"{_b64(payload)}.{_sign(payload)}", session


def read_session() -> Session | None:
    """The request's valid session, or None (bad signature, expired, token withdrawn)."""
    raw = request.cookies.get(COOKIE, "")
    body, _, signature = raw.partition(".")
    if not body or not signature:
        return None
    try:
        payload = _unb64(body)
        if not hmac.compare_digest(_sign(payload), signature):
            return None
        data = json.loads(payload)
        session = Session(str(data["f"]), str(data["c"]), int(data["e"]))
    except (ValueError, KeyError, TypeError):
        return None
    if session.expires < time.time():
        return None
    current = [_fingerprint(t) for t in state().settings.tokens]
    if not any(hmac.compare_digest(session.fingerprint, f) for f in current):
        return None
    return session


def _writes_on() -> None:
    mark_write()  # no CORS headers on these answers
    if not state().settings.tokens:
        raise Refused(403, ct("read_only"))


def _bearer() -> str | None:
    """The token of an ``Authorization: Bearer`` header ("" for another scheme or none given),
    None without the header."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, presented = header.partition(" ")
    return presented.strip() if scheme.lower() == "bearer" else ""


def _bearer_session() -> Session | None:
    """A session for this request's valid bearer token; 401 for one that is not valid."""
    presented = _bearer()
    if presented is None:
        return None
    matched = False
    for token in state().settings.tokens:  # every token, no early exit (constant time each)
        matched |= hmac.compare_digest(presented.encode(), token.encode())
    if not presented or not matched:
        raise Refused(401, "The bearer token is not valid for writes.")
    return Session(_fingerprint(presented), "", int(time.time()) + 60, bearer=True)


def require_session() -> Session:
    _writes_on()
    session = read_session() or _bearer_session()
    if session is None:
        raise Refused(401, ct("need_login"))
    g.curate_session = session
    return session


def check_session(session: Session) -> None:
    """A POST's CSRF check: the session's token in the form, unless the request is a bearer
    one (which a cross-site form cannot make)."""
    if not session.bearer:
        check_csrf(session.csrf)


def _same_origin() -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # no Origin (an older browser, a script): the CSRF token decides
    return origin.rstrip("/") == request.host_url.rstrip("/")


def check_csrf(expected: str) -> None:
    given = request.form.get("csrf", "")
    if not _same_origin() or not given or not hmac.compare_digest(given, expected):
        raise Refused(403, "CSRF check failed: reload the page and try again.")


# ------------------------------------------------------------------------------ answers


def _page(template: str, status: int = 200, **context) -> Response:
    response = pages.render(template, status=status, ct=ct, **context)
    _harden(response)
    return response


def _harden(response: _R) -> _R:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'none'; form-action 'self'"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _for_a_browser() -> bool:
    """Answer with a page: the client sends no bearer header and does not ask for something other
    than HTML (no ``Accept`` or ``*/*``: a page, as a browser's first request gets)."""
    return _bearer() is None and wants_html(default=True)


@bp.errorhandler(Refused)
def _refused(exc: Refused):
    if not _for_a_browser():
        headers = {"WWW-Authenticate": 'Bearer realm="ctkg curation"'} if exc.status == 401 else {}
        return _harden(error_response(exc.status, exc.message, headers))
    if exc.status == 401:
        return _login_page(exc.message, status=401)
    response = _page("curate_message.html", status=exc.status, message=exc.message)
    return response


def _login_page(message: str = "", status: int = 200) -> Response:
    nonce = secrets.token_urlsafe(24)
    nxt = request.args.get("next") or (request.path if request.method == "GET" else PATH)
    if not nxt.startswith(PATH):
        nxt = PATH
    response = _page("curate_login.html", status=status, message=message, csrf=nonce, next=nxt)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="ctkg curation"'
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=1800,
        path=PATH,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure,
    )
    return response


def _redirect(location: str) -> BaseResponse:
    return _harden(redirect(location, code=303))


# ------------------------------------------------------------------------------ routes


@bp.route("/login", methods=["GET"])
def login_form():
    _writes_on()
    return _login_page()


@bp.route("/login", methods=["POST"])
def login():
    _writes_on()
    check_csrf(request.cookies.get(LOGIN_COOKIE, ""))
    presented = request.form.get("token", "").strip()
    matched = False
    for token in state().settings.tokens:
        matched |= hmac.compare_digest(presented.encode(), token.encode())
    if not presented or not matched:
        return _login_page(ct("bad_token"), status=401)
    cookie, _ = make_cookie(presented)
    nxt = request.form.get("next", PATH)
    response = _redirect(nxt if nxt.startswith(PATH) and "//" not in nxt else PATH)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=SESSION_SECONDS,
        path=PATH,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure,
    )
    response.delete_cookie(LOGIN_COOKIE, path=PATH)
    return response


@bp.route("/logout", methods=["POST"])
def logout():
    session = require_session()
    check_session(session)
    response = _redirect(PATH + "/login")
    response.delete_cookie(COOKIE, path=PATH, httponly=True, samesite="Strict")
    return response


@bp.route("", methods=["GET"])
@bp.route("/", methods=["GET"])
def proposals():
    session = require_session()
    curated = _curated()
    ingested = set(curated.ingested_ids())
    rows = []
    for aid in curated.proposal_ids():
        try:
            p = load_proposal(curated.proposal(aid))
        except CurationError as exc:
            rows.append({"id": aid, "error": str(exc).splitlines()[0]})
            continue
        counts = Counter(f.status for f in p.facts)
        rows.append(
            {
                "id": aid,
                "headline": p.article.get("headline", ""),
                "published": p.article.get("published", ""),
                "counts": counts,
                "total": len(p.facts),
                "ingested": aid in ingested,
                "job": read_job(curated, aid),
            }
        )
    return _page("curate_list.html", rows=rows, csrf=session.csrf)


def _review(aid: str) -> Review:
    curated = _curated()
    if aid not in curated.proposal_ids():
        raise Refused(404, f"No proposal {aid!r}.")
    try:
        return Review(curated, aid, by="web")
    except CurationError as exc:
        raise Refused(409, str(exc)) from None


@dataclass
class _Quote:
    start: int
    end: int
    quote: str
    anchor: str


def _value_text(v) -> str:
    if isinstance(v, list):
        return ", ".join(_value_text(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_value_text(x)}" for k, x in v.items())
    return str(v)


def proposal_context(review: Review) -> dict:
    p: Proposal = review.proposal
    text = review.text
    quotes = [_Quote(f.start, f.end, f.quote, f"q-{f.id}") for f in p.facts]
    facts = []
    for f in p.facts:
        resolutions = []
        for path, res in f.resolution.items():
            resolutions.append(
                {
                    "path": path,
                    "kind": res.kind,
                    "surface": res.surface,
                    "outcome": res.outcome,
                    "ref": res.ref,
                    "candidates": [
                        {**c.to_dict(), "n": n} for n, c in enumerate(res.candidates, 1)
                    ],
                    "can_choose": bool(res.candidates)
                    and any(c.ref != res.ref for c in res.candidates),
                    "can_new": res.kind != "province",
                }
            )
        facts.append(
            {
                "id": f.id,
                "slot": f.slot,
                "rule": f.rule,
                "confidence": f.confidence,
                "status": f.status,
                "subject": f.subject,
                "type": f.type if isinstance(f.type, str) else _value_text(f.type or ""),
                "label": f.label or {},
                "props": [(k, _value_text(v)) for k, v in f.props.items()],
                "props_yaml": dump_yaml({"props": f.props}) if f.props else "",
                "inferred": list(f.inferred),
                "before": text[max(0, f.start - CONTEXT) : f.start],
                "quote": f.quote,
                "after": text[f.end : f.end + CONTEXT],
                "start": f.start,
                "end": f.end,
                "resolutions": resolutions,
            }
        )
    counts = Counter(f.status for f in p.facts)
    edition = next((f.subject for f in p.facts if f.type == "ConferenceEdition"), None)
    return {
        "aid": p.id,
        "headline": p.article.get("headline", p.id),
        "published": p.article.get("published", ""),
        "warnings": p.warnings,
        "segments": pages.segments(text, cast("list[Any]", quotes)),
        "facts": facts,
        "counts": counts,
        "edition": edition,
    }


@bp.route("/<aid>", methods=["GET"])
def proposal(aid: str):
    session = require_session()
    review = _review(aid)
    done = request.args.get("done", "")
    return _page(
        "curate_proposal.html",
        csrf=session.csrf,
        done=done,
        job=read_job(_curated(), aid),
        ingested=aid in _curated().ingested_ids(),
        **proposal_context(review),
    )


@bp.route("/<aid>/decide", methods=["POST"])
def decide(aid: str):
    session = require_session()
    check_session(session)
    review = _review(aid)
    form = request.form
    action, fact = form.get("action", ""), form.get("fact", "")
    try:
        if action == "accept":
            review.accept(fact)
        elif action == "reject":
            review.reject(fact)
        elif action == "edit":
            review.edit(fact, form.get("yaml", ""))
        elif action == "choose":
            review.choose(fact, form.get("path", ""), form.get("choice", ""))
        elif action == "new":
            review.new_entity(fact, form.get("path", ""))
        elif action == "undo":
            undone = review.undo()
            fact = undone.fact if undone else ""
        else:
            raise CurationError(f"unknown action {action!r}")
    except CurationError as exc:
        context = proposal_context(_review(aid))
        return _page(
            "curate_proposal.html",
            status=400,
            csrf=session.csrf,
            error=str(exc),
            error_fact=fact,
            job=read_job(_curated(), aid),
            ingested=aid in _curated().ingested_ids(),
            **context,
        )
    anchor = f"#fact-{fact}" if fact else ""
    return _redirect(f"{PATH}/{aid}?done={action}{anchor}")


# ------------------------------------------------------------------------------ ingest


def _job_path(curated: Curated, aid: str) -> Path:
    return curated.root / ".web-jobs" / f"{aid}.json"


def read_job(curated: Curated, aid: str) -> dict | None:
    path = _job_path(curated, aid)
    try:
        job = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    log = Path(job.get("log", ""))
    with contextlib.suppress(OSError):
        lines = [ln for ln in log.read_text(encoding="utf-8").splitlines() if ln.strip()]
        job["progress"] = [ln for ln in lines if ln.startswith("[")][-1:]
    if job.get("state") == "running" and not pid_alive(job.get("pid", 0)) and not job.get("rc"):
        job["state"] = "failed"
        job["message"] = "the ingest stopped before it finished (the server was restarted?)"
    return job


def _write_job(curated: Curated, aid: str, job: dict) -> None:
    path = _job_path(curated, aid)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def start_ingest(aid: str, *, reason: bool) -> dict:
    """``ctkg ingest ID`` in a child process (ingest.py's lock serialises it with any other)."""
    settings = state().settings
    curated = _curated()
    job = read_job(curated, aid)
    if job and job.get("state") == "running":
        return job
    jobs = _job_path(curated, aid).parent
    jobs.mkdir(parents=True, exist_ok=True)
    log = jobs / f"{aid}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTKG_")}
    env["CTKG_DATA_DIR"] = str(settings.data_path)
    env["CTKG_BASE_IRI"] = settings.base_iri
    args = [sys.executable, "-m", "ctkg.cli", "ingest", aid, *([] if reason else ["--no-reason"])]
    out = open(log, "wb")  # noqa: SIM115 - the child owns it
    child = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
    out.close()
    job = {"state": "running", "pid": child.pid, "log": str(log), "started": time.time()}
    _write_job(curated, aid, job)

    def wait() -> None:
        rc = child.wait()
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        if rc == 0:
            message = next((ln for ln in lines if ln.startswith(("ingested", "re-ingested"))), "")
        else:
            at = next((i for i, ln in enumerate(lines) if "error:" in ln), None)
            message = "\n".join(lines[at:]) if at is not None else f"exit status {rc}"
            message = message.split("error: ", 1)[-1]
        done = {**job, "state": "done" if rc == 0 else "failed", "rc": rc}
        done.update(message=message, finished=time.time())
        _write_job(curated, aid, done)

    threading.Thread(target=wait, name=f"ingest-{aid}", daemon=True).start()
    return job


@bp.route("/<aid>/ingest", methods=["POST"])
def ingest(aid: str):
    session = require_session()
    check_session(session)
    _review(aid)  # 404 for an unknown proposal
    start_ingest(aid, reason=not request.form.get("no_reason"))
    return _redirect(f"{PATH}/{aid}/ingest")


@bp.route("/<aid>/ingest", methods=["GET"])
def ingest_state(aid: str):
    require_session()
    review = _review(aid)
    job = read_job(_curated(), aid)
    if request.args.get("format") == "json":
        body = {k: job.get(k) for k in ("state", "message", "progress")} if job else {}
        return _harden(Response(json.dumps(body, ensure_ascii=False), mimetype="application/json"))
    edition = next(
        (f.subject for f in review.proposal.facts if f.type == "ConferenceEdition"), None
    )
    return _page(
        "curate_ingest.html",
        aid=aid,
        headline=review.proposal.article.get("headline", aid),
        job=job,
        edition=edition,
    )
