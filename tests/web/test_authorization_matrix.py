"""Is everybody kept out of where they don't belong? The authorization matrix, as tables.

Two tables say who may use what: :data:`ROUTES` (every HTTP endpoint of the app, by endpoint
name) and :data:`CONNECT` / :data:`EVENTS` (every Socket.IO namespace and every event handler
of it). The first tests compare them with the running app: **a new route or event without an
entry fails the suite**, so nobody adds one without deciding who may use it.

The roles (docs/security.md):

* ``anonymous``: a browser with nothing;
* ``team``: a phone bound to team A by its join link (credential cookie);
* ``other_team``: a phone bound to team B of the same contest;
* ``display``: the projector, which has opened the display link (it holds the display token);
* ``audience``: a phone of the hall that opened the audience page (it holds the audience cookie);
* ``host`` and ``organizer``: logged-in users of the contest: its assigned host and the organizer
  who owns it (organizers may do what hosts do);
* ``other_host`` and ``other_organizer``: logged-in users of the same roles who are *not* the
  contest's: they use the pages that name no contest, and get 403 from every page, export and
  live connection of this contest;
* ``admin``: the site admin, who may do everything with every contest.

How a refusal looks (each checked below):

* a page that needs a login: ``302`` to ``/login`` for anyone without a login (a phone or the
  display has none), ``403`` for a logged-in user whose role is not enough or whose contest it is not;
* the team page without a valid phone credential: ``403`` with "please scan again";
* a link opened by a secret (join link, display link) with a wrong, forged or other contest's
  secret: ``404`` for everybody, so a guess learns nothing;
* a Socket.IO connection with the wrong credentials: refused at connect (``connect_error``);
* an event a connected role may not send: ``{"ok": False, "reason": "无权执行此操作"}``,
  and nothing is stored;
* a team's command always acts for the phone's own team (a ``team`` in the payload is ignored).
"""
import re
import string
from datetime import date
from dataclasses import dataclass
from fnmatch import fnmatch

import pytest
from flask import url_for
from itsdangerous import URLSafeSerializer

from accounts.service import create_user, find_user
from certificates.codes import new_code
from certificates.models import Certificate
from contest_setup import branding, joining, service
from contest_setup.models import Contest, ContestTeam, new_token
from extensions import db, socketio
from preliminary import identity as prelim_identity
from preliminary import service as prelim_service
from question_bank.models import Question, QuestionBank
from contest.events import event_to_dict
from storage.event_store import load_events
from tests.images import picture
from tests.web.live_helpers import ViewClient
from tests.web.prelim_factories import make_round
from tests.web.setup_factories import make_bank, make_contest

ANONYMOUS, TEAM, OTHER_TEAM, DISPLAY, AUDIENCE = "anonymous", "team", "other_team", "display", "audience"
HOST, ORGANIZER, OTHER_HOST, OTHER_ORGANIZER, ADMIN = "host", "organizer", "other_host", "other_organizer", "admin"
ROLES = (ANONYMOUS, TEAM, OTHER_TEAM, DISPLAY, AUDIENCE, HOST, ORGANIZER, OTHER_HOST, OTHER_ORGANIZER, ADMIN)
EVERYONE = frozenset(ROLES)
STAFF = frozenset({HOST, ORGANIZER, OTHER_HOST, OTHER_ORGANIZER, ADMIN})  # everybody logged in
ORGANIZERS = frozenset({ORGANIZER, OTHER_ORGANIZER, ADMIN})  # organizer pages that name no contest
HOSTS_OF_C = frozenset({HOST, ORGANIZER, ADMIN})  # who may run and read contest c
MANAGERS_OF_C = frozenset({ORGANIZER, ADMIN})  # who may prepare contest c
PHONES = frozenset({TEAM, OTHER_TEAM})
USERNAMES = {HOST: "host-user", ORGANIZER: "organizer-user", OTHER_HOST: "other-host", OTHER_ORGANIZER: "other-organizer",
             ADMIN: "admin-user"}

LOGIN, FORBIDDEN, NOT_FOUND = "login", "403", "404"
REFUSED = {"ok": False, "reason": "无权执行此操作"}


@dataclass(frozen=True)
class Route:
    """Who may use an endpoint, the requests that exercise it, and how others are refused.

    ``forged`` requests carry a wrong secret (a guessed token, another contest's token): every
    role, even one that may use the route, gets 404 from them.
    """

    allowed: frozenset
    requests: tuple
    refusal: str = LOGIN
    forged: tuple = ()


def organizer_only(*requests) -> Route:
    """An organizer page naming no contest (question banks, accounts, the contest list): hosts get 403,
    the rest the login page."""
    return Route(ORGANIZERS, requests)


def manager_only(*requests) -> Route:
    """A page of contest c for its organizer (set-up, raw log, corrections): everybody else logged in gets 403."""
    return Route(MANAGERS_OF_C, requests)


def hosts_of_c(*requests) -> Route:
    """A page of contest c for those who may run it (console, results): other logged-in users get 403."""
    return Route(HOSTS_OF_C, requests)


ROUTES: dict[str, Route] = {
    # open to everybody
    "static": Route(EVERYONE, (("GET", "/static/css/base.css"),)),
    "accounts.login": Route(EVERYONE, (("GET", "/login"), ("POST", "/login"))),
    "accounts.logout": Route(EVERYONE, (("POST", "/logout"),)),
    "live.protocol_module": Route(EVERYONE, (("GET", "/live/protocol.js"),)),
    "live.words_module": Route(EVERYONE, (("GET", "/live/words.js"),)),
    "operations.healthz": Route(EVERYONE, (("GET", "/healthz"),)),  # for a supervisor: says nothing but "ok"
    "operations.readyz": Route(EVERYONE, (("GET", "/readyz"),)),  # for a balancer: which dependency is down
    # opened by a secret in the link: whoever holds it (the secret is the credential)
    "contest_public.join": Route(EVERYONE, (("GET", "/join/{join_token}"),), forged=(
        ("GET", "/join/guessed-token"), ("GET", "/join/{tampered_join_token}"), ("GET", "/join/{credential}"))),
    "contest_public.bind": Route(EVERYONE, (("POST", "/join/{join_token}"),), forged=(
        ("POST", "/join/guessed-token"), ("POST", "/join/{tampered_join_token}"), ("POST", "/join/{credential}"))),
    "live.display": Route(EVERYONE, (("GET", "/display/{c}/{display_token}"),), forged=(
        ("GET", "/display/{c}/guessed-token"), ("GET", "/display/{c}/{other_display_token}"),
        ("GET", "/display/{other_c}/{display_token}"))),
    # the hall's audience phones: the page gives any browser its cookie; the poll and the answer need it
    "audience.phone_page": Route(EVERYONE, (("GET", "/a/{c}"),)),
    "audience.pick_company": Route(EVERYONE, (("POST", "/a/{c}/company"),)),
    "audience.qr_code": Route(EVERYONE, (("GET", "/a/{c}/qr.svg"),)),
    "audience.poll_view": Route(frozenset({AUDIENCE}), (("GET", "/a/{c}/view"),), refusal=FORBIDDEN),
    "audience.post_answer": Route(frozenset({AUDIENCE}), (("POST", "/a/{c}/answer"),), refusal=FORBIDDEN),
    # a bound phone only
    "live.team_page": Route(PHONES, (("GET", "/team"),), refusal=FORBIDDEN),
    # hosts and organizers
    "dashboard.home": Route(STAFF, (("GET", "/"),)),
    "contest_setup.host_list": Route(STAFF, (("GET", "/contests/hosting"),)),
    "live.host_console": hosts_of_c(("GET", "/host/{c}")),
    "live.buzzer_station": hosts_of_c(("GET", "/host/{c}/station")),
    "accounts.password": Route(STAFF, (("GET", "/account/password"), ("POST", "/account/password"))),
    # organizers
    "accounts.users": organizer_only(("GET", "/users"), ("POST", "/users")),
    "accounts.user_action": organizer_only(("POST", "/users/{victim}/enable")),
    "contest_setup.index": organizer_only(("GET", "/contests/")),
    "contest_setup.create": organizer_only(("GET", "/contests/new"), ("POST", "/contests/new")),
    "contest_setup.overview": manager_only(("GET", "/contests/{c}")),
    "contest_setup.update_settings": manager_only(("POST", "/contests/{c}/settings")),
    "contest_setup.change_status": manager_only(("POST", "/contests/{c}/status")),
    "contest_setup.delete": manager_only(("POST", "/contests/{c}/delete")),
    "contest_setup.stages": manager_only(("GET", "/contests/{c}/stages")),
    "contest_setup.add_stage": manager_only(("POST", "/contests/{c}/stages/add")),
    "contest_setup.edit_stage": manager_only(("GET", "/contests/{c}/stages/{s}"), ("POST", "/contests/{c}/stages/{s}")),
    "contest_setup.move_stage": manager_only(("POST", "/contests/{c}/stages/{s}/move")),
    "contest_setup.delete_stage": manager_only(("POST", "/contests/{c}/stages/{s}/delete")),
    "contest_setup.teams": manager_only(("GET", "/contests/{c}/teams")),
    "contest_setup.add_team": manager_only(("POST", "/contests/{c}/teams/add")),
    "contest_setup.import_teams": manager_only(("POST", "/contests/{c}/teams/import")),
    "contest_setup.edit_team": manager_only(("GET", "/contests/{c}/teams/{t}"), ("POST", "/contests/{c}/teams/{t}")),
    "contest_setup.team_action": manager_only(("POST", "/contests/{c}/teams/{t}/revoke"),
                                                ("POST", "/contests/{c}/teams/{t}/reissue"),
                                                ("POST", "/contests/{c}/teams/{t}/delete")),
    "contest_setup.join_sheet": manager_only(("GET", "/contests/{c}/join-sheet")),
    "contest_setup.questions": manager_only(("GET", "/contests/{c}/questions")),
    "contest_setup.choose_banks": manager_only(("POST", "/contests/{c}/questions/banks")),
    "contest_setup.draw": manager_only(("POST", "/contests/{c}/questions/draw")),
    "contest_setup.swap": manager_only(("GET", "/contests/{c}/questions/{q}/swap"),
                                       ("POST", "/contests/{c}/questions/{q}/swap")),
    "contest_setup.day_settings": manager_only(("POST", "/contests/{c}/day")),
    "question_bank.index": organizer_only(("GET", "/banks/")),
    "question_bank.upload": organizer_only(("POST", "/banks/upload")),
    "question_bank.preview": organizer_only(("GET", "/banks/upload/preview")),
    "question_bank.confirm": organizer_only(("POST", "/banks/upload/confirm")),
    "question_bank.cancel": organizer_only(("POST", "/banks/upload/cancel")),
    "question_bank.bank": organizer_only(("GET", "/banks/{b}")),
    "question_bank.remove_bank": organizer_only(("POST", "/banks/{b}/delete")),
    "question_bank.export": organizer_only(("GET", "/banks/{b}/export.csv"), ("GET", "/banks/{b}/export.xlsx"),
                                           ("GET", "/banks/{b}/export.json")),
    "question_bank.template": organizer_only(("GET", "/banks/template.xlsx"), ("GET", "/banks/template.csv")),
    "question_bank.edit_question": organizer_only(("GET", "/banks/questions/{question}/edit"),
                                                  ("POST", "/banks/questions/{question}/edit")),
    "question_bank.remove_question": organizer_only(("POST", "/banks/questions/{question}/delete")),
    # results: hosts and organizers read; only organizers take the raw log, import or correct
    "results.index": Route(STAFF, (("GET", "/results/"),)),
    "results.results": hosts_of_c(("GET", "/contests/{c}/results")),
    "results.printable": hosts_of_c(("GET", "/contests/{c}/report")),
    "results.audit": hosts_of_c(("GET", "/contests/{c}/audit")),
    "results.results_file": hosts_of_c(("GET", "/contests/{c}/results.xlsx"), ("GET", "/contests/{c}/results.csv")),
    "results.audit_file": hosts_of_c(("GET", "/contests/{c}/audit.xlsx"), ("GET", "/contests/{c}/audit.csv")),
    "results.event_log": manager_only(("GET", "/contests/{c}/events.json")),
    "results.import_log": organizer_only(("GET", "/results/import"), ("POST", "/results/import")),
    "results.correct": manager_only(("POST", "/contests/{c}/corrections")),
    # the preliminary round: phones by a company's invite link, then by the person cookie no role here holds
    "prelim_phone.invite": Route(EVERYONE, (("GET", "/p/{prelim_invite}"), ("POST", "/p/{prelim_invite}")), forged=(
        ("GET", "/p/guessed-token"), ("GET", "/p/{join_token}"), ("POST", "/p/{tampered_prelim_invite}"))),
    "prelim_phone.play": Route(frozenset(), (("GET", "/p/round/{pr}"),), refusal=FORBIDDEN),
    "prelim_phone.state": Route(frozenset(), (("GET", "/p/round/{pr}/state"),), refusal=FORBIDDEN),
    "prelim_phone.start": Route(frozenset(), (("POST", "/p/round/{pr}/start"),), refusal=FORBIDDEN),
    "prelim_phone.answer": Route(frozenset(), (("POST", "/p/round/{pr}/answer"),), refusal=FORBIDDEN),
    "prelim_phone.leave": Route(frozenset(), (("POST", "/p/round/{pr}/leave"),), refusal=FORBIDDEN),
    "prelim_phone.display": Route(EVERYONE, (("GET", "/prelim-display/{pr}/{prelim_display}"),), forged=(
        ("GET", "/prelim-display/{pr}/guessed-token"), ("GET", "/prelim-display/{pr}/{display_token}"))),
    "prelim_phone.display_data": Route(EVERYONE, (("GET", "/prelim-display/{pr}/{prelim_display}/data.json"),), forged=(
        ("GET", "/prelim-display/{pr}/guessed-token/data.json"),)),
    "preliminary.index": organizer_only(("GET", "/preliminary/"), ("POST", "/preliminary/")),
    "preliminary.settings": organizer_only(("GET", "/preliminary/{pr}"), ("POST", "/preliminary/{pr}")),
    "preliminary.companies": organizer_only(("GET", "/preliminary/{pr}/companies"),),
    "preliminary.add_company": organizer_only(("POST", "/preliminary/{pr}/companies/add"),),
    "preliminary.import_companies": organizer_only(("POST", "/preliminary/{pr}/companies/import"),),
    "preliminary.company_action": organizer_only(("POST", "/preliminary/{pr}/companies/{pc}/reissue"),
                                                 ("POST", "/preliminary/{pr}/companies/{pc}/delete")),
    "preliminary.invites": organizer_only(("GET", "/preliminary/{pr}/invites"),),
    "preliminary.live": organizer_only(("GET", "/preliminary/{pr}/live"),),
    "preliminary.people": organizer_only(("GET", "/preliminary/{pr}/people"),),
    "preliminary.person": organizer_only(("GET", "/preliminary/{pr}/people/{pp}"),),
    "preliminary.qualification": organizer_only(("GET", "/preliminary/{pr}/qualification"),
                                                ("POST", "/preliminary/{pr}/qualification")),
    "preliminary.awards": organizer_only(("GET", "/preliminary/{pr}/awards"),),
    "preliminary.export": organizer_only(("GET", "/preliminary/{pr}/export/people.csv"),
                                         ("GET", "/preliminary/{pr}/export/attempts.xlsx"),
                                         ("GET", "/preliminary/{pr}/export/companies.csv"),
                                         ("GET", "/preliminary/{pr}/export/awards.xlsx")),
    "preliminary.delete": organizer_only(("POST", "/preliminary/{pr}/delete"),),
    # branding: the organizer sets it; the stylesheet and pictures are opened by the key in the pages' links
    "contest_setup.branding_page": manager_only(("GET", "/contests/{c}/branding")),
    "contest_setup.save_branding": manager_only(("POST", "/contests/{c}/branding")),
    "contest_setup.upload_picture": manager_only(("POST", "/contests/{c}/branding/logo"),
                                                 ("POST", "/contests/{c}/branding/background")),
    "contest_public.brand_css": Route(EVERYONE, (("GET", "/brand/{brand_key}/theme.css"),), forged=(
        ("GET", "/brand/guessed-token/theme.css"),)),
    "contest_public.brand_picture": Route(EVERYONE, (("GET", "/brand/{brand_key}/logo"),), forged=(
        ("GET", "/brand/guessed-token/logo"), ("GET", "/brand/{brand_key}/background"))),  # none uploaded
    # certificates: the organizer issues and prints; anybody holding a code checks it
    "certificates.index": manager_only(("GET", "/contests/{c}/certificates")),
    "certificates.issue": manager_only(("POST", "/contests/{c}/certificates")),
    "certificates.printable": manager_only(("GET", "/contests/{c}/certificates/print"),
                                           ("GET", "/contests/{c}/certificates/{cert}/print")),
    "certificates_public.verify": Route(EVERYONE, (("GET", "/verify"), ("GET", "/verify?code={cert_code}"),
                                                   ("GET", "/verify/{cert_code}"))),
    "results_public.display_progression": Route(EVERYONE, (("GET", "/display/{c}/{display_token}/progression.json"),),
                                                forged=(("GET", "/display/{c}/guessed-token/progression.json"),
                                                        ("GET", "/display/{other_c}/{display_token}/progression.json"))),
}
"""Every HTTP endpoint: who may use it. A route missing here fails test_every_route_has_an_entry."""

CONNECT: dict[str, frozenset] = {"/host": HOSTS_OF_C, "/display": frozenset({DISPLAY}), "/team": PHONES,
                                  "/audience": HOSTS_OF_C | {DISPLAY, AUDIENCE}, "/station": HOSTS_OF_C}
"""Who may connect to each Socket.IO namespace."""

EVENTS: dict[tuple[str, str], frozenset] = {
    ("/host", "command"): HOSTS_OF_C,
    ("/host", "mute"): HOSTS_OF_C,
    ("/host", "drop_phone"): HOSTS_OF_C,
    ("/host", "resync"): HOSTS_OF_C,
    ("/host", "clock"): HOSTS_OF_C,
    ("/display", "resync"): frozenset({DISPLAY}),
    ("/display", "clock"): frozenset({DISPLAY}),
    ("/team", "buzz"): PHONES,
    ("/team", "answer"): PHONES,
    ("/team", "choose_tier"): PHONES,
    ("/team", "abstain"): PHONES,
    ("/team", "resync"): PHONES,
    ("/team", "clock"): PHONES,
    ("/station", "station_buzz"): HOSTS_OF_C,
    ("/station", "resync"): HOSTS_OF_C,  # answered (the station has no view), not refused as unknown
    ("/station", "clock"): HOSTS_OF_C,
    ("/audience", "audience_answer"): frozenset({AUDIENCE}),
    ("/audience", "audience_command"): HOSTS_OF_C,
    ("/audience", "audience_bank"): HOSTS_OF_C,
    ("/audience", "resync"): HOSTS_OF_C | {DISPLAY, AUDIENCE},
    ("/audience", "clock"): HOSTS_OF_C | {DISPLAY, AUDIENCE},
}
"""Every event handler (``on_<event>``) of every namespace: who may send it. The display sends
no command at all. A handler missing here fails test_every_socket_event_has_an_entry."""

SERVER_EVENTS = ("snapshot", "change", "clock_probe", "connect_error", "connect", "disconnect", "made_up_event")
"""Names a client might send that no namespace handles for it: always refused. ``connect`` and
``disconnect`` are the server's own (python-socketio would dispatch them as events)."""


# --- the tables match the app --------------------------------------------------------------------


def rule_pattern(rule: str) -> str:
    """A URL rule as an fnmatch pattern (each ``<converter:name>`` matches anything)."""
    return re.sub(r"<[^>]+>", "*", rule)


def test_every_route_has_an_entry(app):
    """Does every route and method of the app appear in ROUTES, with a request that exercises it?"""
    missing = []
    for rule in app.url_map.iter_rules():
        route = ROUTES.get(rule.endpoint)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            listed = route and any(m == method and fnmatch(p.split("?")[0], rule_pattern(rule.rule))
                                   for m, p in route.requests)
            if not listed:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without an entry in the authorization matrix: " + ", ".join(missing)


def test_every_entry_names_a_route(app):
    """Does every entry of ROUTES still name an endpoint of the app (no stale rows)?"""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(ROUTES) <= endpoints, f"entries for endpoints that no longer exist: {set(ROUTES) - endpoints}"


def handled_events(handler) -> set[str]:
    """The events a namespace object handles: its ``on_<event>`` methods, without connect/disconnect."""
    return {name[3:] for name in dir(handler) if name.startswith("on_") and callable(getattr(handler, name))} - {
        "connect", "disconnect"}


def test_every_socket_event_has_an_entry(app):
    """Does every namespace appear in CONNECT, and every handler of every namespace in EVENTS?"""
    handlers = socketio.server.namespace_handlers
    assert set(handlers) == set(CONNECT), "namespaces and CONNECT differ"
    found = {(namespace, event) for namespace, handler in handlers.items() for event in handled_events(handler)}
    assert found - set(EVENTS) == set(), f"socket events without an entry: {sorted(found - set(EVENTS))}"
    assert set(EVENTS) - found == set(), f"entries for events that no longer exist: {sorted(set(EVENTS) - found)}"


# --- the world the checks run in ------------------------------------------------------------------


@pytest.fixture
def world(app):
    """The world of :func:`make_world`."""
    return make_world(app)


def make_world(app) -> dict:
    """A ready contest (teams A and B), a second contest, a bank question, the links of each, and a user
    of every staff role (created once)."""
    with app.app_context():
        if not db.session.query(QuestionBank).filter_by(name="测试题库").count():
            make_bank()  # a second world after question_bank.remove_bank (the round's bank is left)
        contest = make_contest(ready=True, team_count=2)
        other = make_contest("另一场比赛", drawn=False, team_count=2)
        team_a, team_b = contest.teams_by_seat
        join_token = joining.make_join_token(team_a)
        prelim = make_round()
        person = prelim_service.register(prelim.companies[1], "张三", "13812345678")
        branding.save_words(contest, "品牌标题", "主办单位：测试", "#c8102e")
        branding.save_picture(contest, "logo", picture())
        certificate = Certificate(contest_id=contest.id, position=1, award="一等奖", winner=team_a.name,
                                  contest_title=contest.name, awarded_on=date(2026, 12, 4), code=new_code())
        db.session.add(certificate)
        db.session.commit()
        with app.test_request_context():
            values = {
                "c": contest.id,
                "other_c": other.id,
                "s": contest.stages[0].id,
                "t": team_a.id,
                "q": contest.stages[0].questions[0].id,
                "b": db.session.query(QuestionBank).first().id,
                "question": db.session.query(Question).first().id,
                "join_token": join_token,
                "tampered_join_token": join_token[:-2] + ("AA" if join_token[-2:] != "AA" else "BB"),
                "credential": joining.new_phone_credential(team_a),
                "other_credential": joining.new_phone_credential(team_b),
                "display_token": contest.display_token,
                "other_display_token": other.display_token,
                "team_a": team_a.id,
                "team_b": team_b.id,
                "team_a_name": team_a.name,
                "team_b_name": team_b.name,
                "join_a": url_for("contest_public.join", token=join_token),
                "pr": prelim.id,
                "pc": prelim.companies[0].id,
                "pp": person.id,
                "prelim_invite": prelim_identity.invite_token(prelim.companies[0]),
                "tampered_prelim_invite": prelim_identity.invite_token(prelim.companies[0])[:-2] + "xx",
                "prelim_display": prelim.display_token,
                "brand_key": branding.branding_row(contest).asset_key,
                "cert": certificate.id,
                "cert_code": certificate.code,
                "join_b": url_for("contest_public.join", token=joining.make_join_token(team_b)),
            }
        for role in (OTHER_HOST, OTHER_ORGANIZER, ADMIN):
            if find_user(USERNAMES[role]) is None:
                create_user(USERNAMES[role], "password123", role.removeprefix("other_"))
        values["victim"] = (find_user("victim-host") or create_user("victim-host", "password123", "host")).id
    return values


def role_clients(app, world) -> dict:
    """One browser per role, each holding what that role holds (a login, a phone cookie, a display link)."""
    clients = {role: app.test_client() for role in ROLES}
    assert clients[TEAM].post(world["join_a"]).status_code == 302
    assert clients[OTHER_TEAM].post(world["join_b"]).status_code == 302
    assert clients[DISPLAY].get("/display/{c}/{display_token}".format(**world)).status_code == 200
    assert clients[AUDIENCE].get("/a/{c}".format(**world)).status_code == 200
    for role in STAFF:
        response = clients[role].post("/login", data={"username": USERNAMES[role], "password": "password123"})
        assert response.status_code == 302
    return clients


def is_login_redirect(response) -> bool:
    """Whether ``response`` sends the visitor to the login page."""
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def refused(response, role: str, route: Route) -> bool:
    """Whether ``response`` is the refusal this route gives to ``role``."""
    if route.refusal == LOGIN:
        return response.status_code == 403 if role in STAFF else is_login_redirect(response)
    return response.status_code == int(route.refusal)


def not_refused(response, route: Route) -> bool:
    """Whether ``response`` lets the visitor in (whatever the page then says about the input).

    A route open to everybody refuses nobody, so there a redirect to the login page (logout's) is
    its normal answer.
    """
    return response.status_code not in (401, 403, 404) and (route.allowed == EVERYONE or not is_login_redirect(response))


def stored(app, contest_id: int) -> list[dict]:
    """The events stored for a contest, as dicts.

    Read in an app context of its own: the requests and socket events of a test must not run
    inside an outer app context, where Flask would share ``g`` (and so Flask-Login's cached user)
    between different clients.
    """
    with app.app_context():
        return [event_to_dict(event) for event in load_events(contest_id)]


# --- HTTP: every role outside an entry is refused -------------------------------------------------


DELETES = {"contest_setup.delete", "contest_setup.delete_stage", "contest_setup.team_action",
           "question_bank.remove_bank", "question_bank.remove_question", "preliminary.delete",
           "preliminary.company_action"}
"""Endpoints whose allowed request deletes what it names (a second role would find nothing)."""


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_each_route_refuses_every_role_it_is_not_for(app, world, endpoint):
    """Is every role outside the entry refused as documented, every forged secret 404, and are the
    roles of the entry let in?"""
    route = ROUTES[endpoint]
    clients = role_clients(app, world)
    for method, template in route.requests:
        path = template.format(**world)
        for role in sorted(EVERYONE - route.allowed):
            response = clients[role].open(path, method=method)
            assert refused(response, role, route), f"{role} was not refused {method} {path}: {response.status}"
    for method, template in route.forged:
        path = template.format(**world)
        for role in ROLES:
            response = clients[role].open(path, method=method)
            assert response.status_code == 404, f"{role} got {response.status} from forged {method} {path}"
    # Last, as the allowed requests may change things (a POST deletes, logout logs out). After a
    # request that deletes what it names, the next role gets a world of its own.
    for number, role in enumerate(sorted(route.allowed)):
        if number and endpoint in DELETES:
            world = make_world(app)
            clients = role_clients(app, world)
        for method, template in route.requests:
            path = template.format(**world)
            response = clients[role].open(path, method=method)
            assert not_refused(response, route), f"{role} was refused {method} {path}: {response.status}"


def test_a_phone_page_shows_only_its_own_team(app, world):
    """With no URL naming a team, is 'other team' kept out by the cookie: each phone sees its own team only?"""
    clients = role_clients(app, world)
    page_a = clients[TEAM].get("/team").get_data(as_text=True)
    page_b = clients[OTHER_TEAM].get("/team").get_data(as_text=True)
    assert world["team_a_name"] in page_a and world["team_b_name"] not in page_a
    assert world["team_b_name"] in page_b and world["team_a_name"] not in page_b


# --- Socket.IO: connecting ------------------------------------------------------------------------


def socket_auth(world, role: str, namespace: str = "") -> dict:
    """What a role brings to a namespace in its connect ``auth`` (its cookies come with its browser); on
    /audience the display and staff say which of its roles they connect as (a phone says nothing)."""
    auth = {"contest": world["c"]}
    if namespace == "/audience" and role in STAFF | {DISPLAY}:
        auth["role"] = "display" if role == DISPLAY else "host"
    if role == TEAM:
        auth["credential"] = world["credential"]
    if role == OTHER_TEAM:
        auth["credential"] = world["other_credential"]
    if role == DISPLAY:
        auth["token"] = world["display_token"]
    return auth


def connect(app, world, clients, namespace: str, role: str) -> ViewClient:
    """Connect ``role`` to ``namespace`` with everything that role holds."""
    return ViewClient(app, namespace, socket_auth(world, role, namespace), clients[role])


@pytest.mark.parametrize("namespace", sorted(CONNECT))
def test_each_namespace_refuses_every_role_it_is_not_for(app, world, namespace):
    """Is every role outside CONNECT refused at connect, and every role inside it let in?"""
    clients = role_clients(app, world)
    for role in ROLES:
        connection = connect(app, world, clients, namespace, role)
        assert connection.connected == (role in CONNECT[namespace]), f"{role} on {namespace}"
        connection.close()


def test_wrong_secrets_are_refused_at_connect(app, world):
    """Are a forged, a re-signed, a revoked or a join-link credential, another contest's display
    token, a missing or unknown contest all refused?"""
    clients = role_clients(app, world)
    resigned = URLSafeSerializer("not-the-secret-key", salt=joining.PHONE_SALT).dumps(
        [world["c"], world["team_a"], 1])
    refused_auths = [
        ("/team", {"credential": world["credential"] + "x"}, None),
        ("/team", {"credential": resigned}, None),
        ("/team", {"credential": world["join_token"]}, None),  # a join link is not a credential
        ("/team", {"credential": 12345}, None),
        ("/display", {"contest": world["other_c"], "token": world["display_token"]}, None),
        ("/display", {"contest": world["c"], "token": world["other_display_token"]}, None),
        ("/display", {"contest": world["c"], "token": ["list"]}, None),
        ("/display", {"token": world["display_token"]}, None),
        ("/host", {}, clients[HOST]),
        ("/host", {"contest": "1"}, clients[HOST]),
        ("/host", {"contest": 999_999}, clients[ORGANIZER]),
    ]
    for namespace, auth, browser in refused_auths:
        connection = ViewClient(app, namespace, auth, browser)
        assert not connection.connected, f"{namespace} accepted {auth}"
    with app.app_context():
        joining.revoke_phones(db.session.get(ContestTeam, world["team_a"]))
    assert not ViewClient(app, "/team", {"credential": world["credential"]}).connected
    assert not ViewClient(app, "/team", {}, clients[TEAM]).connected  # the revoked cookie too


# --- Socket.IO: events ----------------------------------------------------------------------------


ALL_EVENT_NAMES = sorted({event for _namespace, event in EVENTS} | set(SERVER_EVENTS))

BENIGN_PAYLOADS = {"command": {"type": "Undo"}, "mute": {"muted": False}, "drop_phone": {"phone": 0}, "buzz": {}, "answer": {"choice": "A"}, "choose_tier": {"tier": 10},
                   "abstain": {}, "resync": {}, "clock": {"t0": 1}, "audience_answer": {"question": 0, "choice": "A"},
                   "audience_command": {"action": "end"}, "audience_bank": {},
                   "station_buzz": {"team": 0, "key": "Digit1"}}


@pytest.mark.parametrize("namespace", sorted(CONNECT))
def test_each_role_may_send_only_its_events(app, world, namespace):
    """On each namespace, is every event of EVENTS answered for the roles it lists, and every other
    event name refused with 无权执行此操作 and nothing stored?"""
    clients = role_clients(app, world)
    for role in sorted(CONNECT[namespace]):
        connection = connect(app, world, clients, namespace, role)
        assert connection.connected
        for event in ALL_EVENT_NAMES:
            ack = connection.send(event, BENIGN_PAYLOADS.get(event, {"type": "StartContest"}))
            if role in EVENTS.get((namespace, event), ()):
                assert isinstance(ack, dict) and ack != REFUSED, f"{role} {namespace} {event}: {ack}"
            else:
                assert ack == REFUSED, f"{role} may not send {event} on {namespace}: {ack}"
        connection.close()
    assert stored(app, world["c"]) == []


def test_a_client_cannot_fake_connecting_or_leaving(app, world):
    """Are "connect" and "disconnect" sent as events refused, leaving the connection, its identity and
    the presence counts untouched?"""
    clients = role_clients(app, world)
    host = connect(app, world, clients, "/host", HOST)
    phone = connect(app, world, clients, "/team", TEAM)
    for event, payload in (("disconnect", "client disconnect"), ("connect", {"credential": world["other_credential"]}),
                           ("disconnect", None), ("connect", {"contest": world["other_c"]})):
        assert phone.send(event, payload) == REFUSED
        assert host.send(event, payload) == REFUSED
    assert host.pump()["presence"][f"team:{world['team_a']}"] == 1
    assert phone.resync()["view"]["me"]["team"] == world["team_a"]
    assert host.send("command", {"type": "StartContest"})["ok"]


def test_the_display_sends_no_command(app, world):
    """Is every command-like event from the projector refused, even one that names a host command?"""
    clients = role_clients(app, world)
    display = connect(app, world, clients, "/display", DISPLAY)
    for payload in ({"type": "StartContest"}, {"type": "AdjustScore", "team": world["team_a"], "delta": 50,
                                                "reason": "大屏"}):
        for event in ("command", "buzz", "answer", "choose_tier", "abstain"):
            assert display.send(event, payload) == REFUSED
    assert stored(app, world["c"]) == []


# --- a team acts only for itself ------------------------------------------------------------------


@pytest.fixture
def hall(app, client, auth):
    """A ready contest of 4 teams whose required stage answers on the phones; host and all phones connected."""
    with app.app_context():
        contest = make_contest(ready=False, team_count=4)
        required = service.ordered_stages(contest)[0]
        required.rules = {**required.rules, "answer_mode": "phone"}
        db.session.commit()
        service.mark_ready(contest)
        contest_id = contest.id
        credentials = {team.id: joining.new_phone_credential(team) for team in contest.teams_by_seat}
    auth.login_as("host")
    host = ViewClient(app, "/host", {"contest": contest_id}, client)
    phones = {team: ViewClient(app, "/team", {"credential": credential}) for team, credential in credentials.items()}
    yield {"app": app, "contest": contest_id, "host": host, "phones": phones}
    for connection in [host, *phones.values()]:
        connection.close()


def host_do(hall, kind, **args):
    """One host command that must be accepted."""
    ack = hall["host"].send("command", {"type": kind, **args})
    assert ack["ok"], (kind, ack)


def to_stage(hall, index):
    """Start the contest and skip to the stage at ``index`` (0 = required), started."""
    host_do(hall, "StartContest")
    for _ in range(index):
        host_do(hall, "StartStage")
        host_do(hall, "EndStage")
    host_do(hall, "StartStage")


def in_turn(hall) -> tuple[int, int]:
    """The team whose turn it is, and another team."""
    holder = hall["host"].pump()["stage"]["holder"]
    return holder, next(team for team in hall["phones"] if team != holder)


def acted_for(hall, before: int) -> set:
    """The teams named by the events stored since ``before``."""
    return {event.get("team") for event in stored(hall["app"], hall["contest"])[before:]} - {None}


def answer_scenario(hall):
    """Required stage, answered on the phone: another team's phone cannot answer for the holder."""
    to_stage(hall, 0)
    host_do(hall, "NextQuestion")
    holder, other = in_turn(hall)
    return other, {"choice": "C", "team": holder}, holder


def buzz_scenario(hall):
    """Buzzer stage, buzzers open: a phone naming another team in its press buzzes for itself."""
    to_stage(hall, 2)
    host_do(hall, "NextQuestion")
    host_do(hall, "OpenBuzzers")
    teams = list(hall["phones"])
    return teams[1], {"team": teams[0], "open_token": hall["host"].pump()["stage"]["open_token"]}, teams[0]


def choose_tier_scenario(hall):
    """Risk stage: during one team's turn, another phone cannot choose a value for it."""
    to_stage(hall, 3)
    host_do(hall, "NextQuestion")
    holder, other = in_turn(hall)
    tier = hall["host"].view["stage"]["tiers"][0]
    return other, {"team": holder, "tier": tier}, holder


def abstain_scenario(hall):
    """Risk stage: during one team's turn, another phone cannot decline it for that team."""
    to_stage(hall, 3)
    host_do(hall, "NextQuestion")
    holder, other = in_turn(hall)
    return other, {"team": holder}, holder


TEAM_SCENARIOS = {"answer": answer_scenario, "buzz": buzz_scenario, "choose_tier": choose_tier_scenario,
                  "abstain": abstain_scenario}
"""For every team command, a moment where naming another team would matter."""


def test_every_team_command_has_an_isolation_scenario():
    """Does every command a phone may send have a scenario below (resync and clock act for nobody)?"""
    commands = {event for namespace, event in EVENTS if namespace == "/team"} - {"resync", "clock"}
    assert commands == set(TEAM_SCENARIOS)


@pytest.mark.parametrize("event", sorted(TEAM_SCENARIOS))
def test_a_team_command_acts_only_for_the_phones_own_team(app, hall, event):
    """When a phone names another team in its payload, is nothing done for that other team?"""
    sender, payload, victim = TEAM_SCENARIOS[event](hall)
    before = len(stored(app, hall["contest"]))
    ack = hall["phones"][sender].send(event, {**payload, "client_id": f"{event}-1"})
    teams = acted_for(hall, before)
    assert victim not in teams, f"{event} from team {sender} acted for team {victim}: {ack}"
    assert teams <= {sender}
    if ack["ok"]:
        assert teams == {sender}


# --- revocation -----------------------------------------------------------------------------------


def test_revoking_cuts_the_open_connection_at_once(app, world):
    """When the organizer revokes team A's phones, is A's open connection cut at once (and B's kept),
    does the host see it go, and is A refused when it connects again?"""
    clients = role_clients(app, world)
    host = connect(app, world, clients, "/host", HOST)
    by_cookie = connect(app, world, clients, "/team", TEAM)
    by_credential = ViewClient(app, "/team", {"credential": world["credential"]})
    other = connect(app, world, clients, "/team", OTHER_TEAM)
    assert by_cookie.connected and by_credential.connected and other.connected
    assert host.pump()["presence"][f"team:{world['team_a']}"] == 2

    response = clients[ORGANIZER].post("/contests/{c}/teams/{t}/revoke".format(**world))
    assert response.status_code == 302

    assert not by_cookie.connected and not by_credential.connected
    assert other.connected and other.send("clock", {"t0": 1})["t0"] == 1
    assert f"team:{world['team_a']}" not in host.pump()["presence"]
    assert not ViewClient(app, "/team", {"credential": world["credential"]}).connected
    assert not connect(app, world, clients, "/team", TEAM).connected
    assert clients[TEAM].get("/team").status_code == 403


def test_a_revoke_refused_for_a_finished_contest_cuts_nothing(app, world):
    """Is the cut done only when the revoke itself is done (a finished contest is read-only)?"""
    clients = role_clients(app, world)
    with app.app_context():
        contest = db.session.get(Contest, world["c"])
        service.mark_live(contest)
        service.mark_finished(contest)
        db.session.commit()
    phone = connect(app, world, clients, "/team", TEAM)
    clients[ORGANIZER].post("/contests/{c}/teams/{t}/revoke".format(**world))
    assert phone.connected


# --- tokens ---------------------------------------------------------------------------------------


def test_secrets_are_random_and_long():
    """Are link secrets and display tokens at least 128 random bits, never repeated?"""
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(len(token) >= 22 for token in tokens)  # 16 random bytes, base64url


BASE64URL = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"


def test_links_and_credentials_are_signed_and_kept_apart(app, world):
    """Is every signed value refused once any character is changed, but for the spellings of the same
    signature that docs/security.md names (its last character's 2 spare bits), and can a join token never
    pass for a phone credential (different salts)?"""
    with app.app_context():
        for value, opens in ((world["join_token"], joining.team_for_join_token),
                             (world["credential"], joining.phone_for_credential)):
            for position in [i for i in range(len(value) - 1) if value[i] != "."]:
                for other in {"A", "B", value[position].swapcase()} - {value[position]}:
                    flipped = value[:position] + other + value[position + 1:]
                    assert joining.team_for_join_token(flipped) is None
                    assert joining.phone_for_credential(flipped) is None
            accepted = [char for char in BASE64URL if opens(value[:-1] + char) is not None]
            assert len(accepted) == 4 and value[-1] in accepted
            assert {opens(value[:-1] + char).id for char in accepted} == {opens(value).id}
        assert joining.phone_for_credential(world["join_token"]) is None
        assert joining.team_for_join_token(world["credential"]) is None


# --- ownership: what each user's lists show -------------------------------------------------------


@pytest.mark.parametrize("path", ["/contests/", "/contests/hosting", "/results/"])
def test_lists_show_only_the_users_own_contests(app, world, path):
    """Do the contest list, the host list and the results list show contest c only to its organizer, its
    host (not the set-up list) and the site admin, and never to the other organizer or host?"""
    clients = role_clients(app, world)
    with app.app_context():
        contest = db.session.get(Contest, world["c"])
        service.mark_live(contest)
        service.mark_finished(contest)  # the results list shows finished contests
        name = contest.name
    sees = {role for role in STAFF if f'/contests/{world["c"]}' in clients[role].get(path).get_data(as_text=True)}
    expected = MANAGERS_OF_C if path == "/contests/" else HOSTS_OF_C
    assert sees == expected, f"{path}: {sorted(sees)} see {name}"


def test_an_owner_assigns_hosts_and_only_host_accounts(app, world):
    """Does assigning the other host let it in, unassigning shut it out again, and is an organizer refused as a host?"""
    clients = role_clients(app, world)
    owner, other = clients[ORGANIZER], clients[OTHER_HOST]
    path = "/contests/{c}/day".format(**world)
    with app.app_context():
        ids = {role: find_user(USERNAMES[role]).id for role in (HOST, OTHER_HOST, OTHER_ORGANIZER)}
    owner.post(path, data={"action": "hosts", "host_ids": [ids[HOST], ids[OTHER_HOST]]})
    assert other.get("/host/{c}".format(**world)).status_code == 200
    owner.post(path, data={"action": "hosts", "host_ids": [ids[HOST]]})
    assert other.get("/host/{c}".format(**world)).status_code == 403
    page = owner.post(path, data={"action": "hosts", "host_ids": [ids[OTHER_ORGANIZER]]}, follow_redirects=True)
    assert "只能指定主持人账号" in page.get_data(as_text=True)
    assert clients[HOST].get("/host/{c}".format(**world)).status_code == 200
