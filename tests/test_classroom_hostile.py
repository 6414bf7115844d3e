"""Hostile class submissions get one clear 4xx naming the field, never a 500, and leave
the store as it was (issue 19, items 7-9: deep nesting, numbers of hundreds or
thousands of digits, lone surrogates); Persian team names (issue 17, item 9)."""

from __future__ import annotations

import http.client
import json
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from conftest import ServiceThread
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxsim import i18n
from cxsim.classroom import ClassConfig, Classroom, Store, SubmissionError, local
from cxsim.classroom.core import check_team, class_id, team_key
from cxsim.classroom.server import MAX_BODY, MAX_DEPTH, create_app

CODE = "tulip"
SMALL = ClassConfig(n=2, days=1, seed=0)
BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


class _Idle(ThreadPoolExecutor):
    """An executor that takes work and never runs it: these tests are about what the
    store holds, not about evaluations."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return Future()


def _service(tmp_path_factory, name: str):
    db = tmp_path_factory.mktemp(name) / "class.sqlite"
    room = Classroom(Store(db), class_id(CODE), SMALL, executor=_Idle())
    server = ServiceThread(create_app(room, CODE))
    server.room = room
    return server


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    with _service(tmp_path_factory, "hostile") as server:
        yield server


@pytest.fixture(scope="module")
def fuzz_service(tmp_path_factory):
    # its own: the fuzz's wrong codes would soon make the other tests wait a minute (429)
    with _service(tmp_path_factory, "fuzz") as server:
        yield server


def post(service, body: bytes | str) -> tuple[int, dict]:
    if isinstance(body, str):
        body = body.encode()
    assert len(body) <= MAX_BODY  # past it the body is refused (413) before parsing
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    try:
        connection.request(
            "POST", "/api/submit", body=body, headers={"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw.decode("utf-8"))  # valid UTF-8, always
    finally:
        connection.close()


def stored(service) -> tuple:
    """Everything the store holds of the class (unchanged by a refusal)."""
    store, name = service.room.store, service.room.class_id
    return (
        [(row["id"], row["team"], row["policy"]) for row in store.history(name)],
        [(row["team"], row["submissions"]) for row in store.entries(name)],
    )


def refused(service, body: str | bytes) -> tuple[int, dict]:
    before = stored(service)
    status, answer = post(service, body)
    assert 400 <= status < 500, (status, answer)
    assert answer["error"], answer
    assert stored(service) == before
    return status, answer


def body(team: str = '"T"', policy: str = "{}", **extra: str) -> str:
    """A submission written by hand: the parts are raw JSON text."""
    parts = [f'"code": "{CODE}"', f'"team": {team}', f'"policy": {policy}']
    parts += [f'"{key}": {value}' for key, value in extra.items()]
    return "{" + ", ".join(parts) + "}"


# --------------------------------------------------------------------------- item 7
@pytest.mark.parametrize(
    ("raw", "status", "field"),
    [
        (body(policy="[" * 3000 + "]" * 3000), 422, "policy"),
        (body(policy='{"training": ' + '{"a":' * 1200 + "1" + "}" * 1201), 422, "policy"),
        (body(team="[" * 3500 + "]" * 3500), 422, "team"),
        (body(token="[" * 3500 + "]" * 3500), 422, "token"),
        ("[" * 4000 + "]" * 4000, 400, None),
        ('{"score": ' + "[" * 1500, 422, "score"),  # not even JSON: still no recursion
    ],
    ids=["policy list", "lever objects", "team", "token", "top level", "unclosed"],
)
def test_json_nested_a_thousand_levels_deep_is_refused_naming_the_field(
    service, raw, status, field
):
    got, answer = refused(service, raw)
    assert (got, answer["field"]) == (status, field), answer
    assert f"nested more than {MAX_DEPTH} deep" in answer["error"]
    assert '"policy": {"extra_agents": 1}' in answer["error"]  # what is allowed


def test_nesting_within_the_limit_still_gets_the_fields_own_check(service):
    deepest = MAX_DEPTH - 1  # inside the submission's own object
    _status, answer = refused(service, body(policy="[" * deepest + "]" * deepest))
    assert answer["field"] == "policy" and "dict of levers" in answer["error"]
    assert answer["error"].count("[") <= 20  # the value is shown short


# --------------------------------------------------------------------------- item 8
@pytest.mark.parametrize("digits", [309, 400, 4300, 4301, 8000])
@pytest.mark.parametrize("sign", ["", "-"])
def test_integers_of_hundreds_or_thousands_of_digits_name_the_lever(service, digits, sign):
    number = sign + "9" * digits
    status, answer = refused(service, body(policy='{"extra_agents": ' + number + "}"))
    assert (status, answer["field"]) == (422, "policy"), answer
    assert f"extra_agents: {sign}1e+{digits}" in answer["error"]
    assert "-2 to 5" in answer["error"]


@pytest.mark.parametrize(
    ("where", "status", "field", "words"),
    [
        ({"team": "9" * 5000}, 422, "team", "is not text"),
        ({"token": "9" * 5000}, 422, "token", "text of at most 200"),
        ({"policy": '{"follow_up": ' + "1" * 5000 + "}"}, 422, "policy", "True or False"),
        ({"policy": '{"training": 1' + "0" * 6000 + "}"}, 422, "policy", "0 to 1"),
        ({"policy": '{"training": 1e999999}'}, 422, "policy", "0 to 1"),
    ],
)
def test_a_huge_number_anywhere_is_a_4xx_naming_its_field(service, where, status, field, words):
    got, answer = refused(service, body(**where))
    assert (got, answer["field"]) == (status, field), answer
    assert words in answer["error"]


def test_a_huge_number_as_the_code_or_a_wrong_codes_team_is_a_401(service, caplog):
    status, answer = refused(service, body().replace('"tulip"', "9" * 5000))
    assert (status, answer["field"]) == (401, "code")
    # the refusal is logged with the team shown short (str() of it would raise)
    wrong = body(team="9" * 5000).replace('"tulip"', '"rose"')
    status, answer = refused(service, wrong)
    assert (status, answer["field"]) == (401, "code")
    assert "9e+4999" in caplog.text or "1e+5000" in caplog.text


# --------------------------------------------------------------------------- item 9
@pytest.mark.parametrize(
    ("raw", "status", "field"),
    [
        (body(team='"A\\ud800"'), 422, "team"),
        (body(team='"\\udfff"'), 422, "team"),
        (body(team='"Fresh"', token='"\\ud800"'), 422, "token"),
        (body(policy='{"\\ud800": 1}'), 422, "policy"),
        (body(policy='{"training": 0.5, "x\\udc00y": 1}'), 422, "policy"),
        (body(**{"\\ud800": "1"}), 422, "\\ud800"),
        (body().replace('"tulip"', '"tul\\ud800"'), 401, "code"),
    ],
    ids=["team", "team, low half", "token", "lever name", "second lever", "field", "code"],
)
def test_lone_surrogates_are_a_4xx_naming_the_field(service, raw, status, field):
    got, answer = refused(service, raw)
    assert (got, answer["field"]) == (status, field), answer
    if status == 422:
        assert "\\ud" in answer["error"] or "\\udc00" in answer["error"]
        assert "allowed:" in answer["error"]


def test_a_lone_surrogate_token_for_an_existing_team_is_a_422(service):
    status, first = post(service, body(team='"Surrogates"'))
    assert status == 202 and first["token"]
    status, answer = refused(service, body(team='"Surrogates"', token='"\\ud800"'))
    assert (status, answer["field"]) == (422, "token")


def test_a_surrogate_pair_is_a_character_and_welcome(service):
    status, answer = post(service, body(team='"Owls \\ud83e\\udd89"'))
    assert status == 202, answer
    assert answer["team"] == "Owls \U0001f989"


# --------------------------------------------------------------------------- a fuzz
_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    _TEXT,
    st.sampled_from(["tulip", "T", "extra_agents", "training", "follow_up"]),
)
_VALUE = st.recursive(
    _LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)
_POLICY = st.dictionaries(
    st.sampled_from(["extra_agents", "training", "promise_min", "follow_up", "bonus", "\ud800"]),
    st.integers(-3, 6) | st.floats(0, 1) | _VALUE,
    max_size=3,
)
# the right code always: wrong ones are tested above, and ten a minute bring a 429
_BODY = st.fixed_dictionaries(
    {"code": st.just(CODE), "team": _TEXT | _VALUE, "policy": _POLICY},
    optional={"token": _VALUE, "score": _VALUE, "\udfff": _VALUE},
)
_SPLICE = st.one_of(
    st.just(""),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(300, 7000).map(lambda n: "9" * n),
)


@settings(
    max_examples=150,
    derandomize=True,
    deadline=5000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(submission=_BODY, splice=_SPLICE, where=st.sampled_from(["team", "token", "policy"]))
def test_fuzzed_submissions_get_a_4xx_or_a_receipt_never_a_500(
    fuzz_service, submission, splice, where
):
    raw = json.dumps(submission)  # ensure_ascii: a lone surrogate goes as "\ud800"
    if splice:
        raw = json.dumps({**submission, where: "SPLICE"}).replace('"SPLICE"', splice, 1)
    if len(raw.encode()) > MAX_BODY:
        return
    before = stored(fuzz_service)
    status, answer = post(fuzz_service, raw)
    assert status == 202 or 400 <= status < 500, (status, answer, raw[:200])
    if status != 202:
        assert answer["error"] and stored(fuzz_service) == before


# --------------------------------------------------------------------------- Persian names
def test_arabic_yeh_and_kaf_are_the_persian_letters_one_team(service):
    status, first = post(service, body(team='"\u0639\u0644\u064a \u0643\u0648\u0686\u06a9"'))
    assert status == 202 and first["token"], first
    assert first["team"] == "علی کوچک"  # stored with Persian ی and ک
    status, answer = post(service, body(team='"علی کوچک"'))  # typed on a Persian keyboard
    assert (status, answer["field"]) == (403, "token")  # the same team: its token is needed
    token = json.dumps(first["token"])
    status, again = post(service, body(team='"علی كوچك"', token=token))
    assert status == 202 and again["submissions"] == 2 and again["team"] == "علی کوچک"
    assert team_key("علي كوچك") == team_key("علی کوچک")
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    try:
        connection.request("GET", "/")
        page = connection.getresponse().read().decode()
    finally:
        connection.close()
    # one row, in its own direction on the page
    assert page.count('<span class="name">علی کوچک</span>') == 1
    assert '<td data-column="team" dir="auto">' in page


def test_persian_names_with_zwnj_are_kept_as_typed():
    assert check_team("شیر\u200cهای آبی") == "شیر\u200cهای آبی"  # ZWNJ inside a word stays
    assert check_team("\u200cتیم\u200c  \u200cسبز ") == "تیم سبز"  # at a word's edge it goes
    assert check_team("e\u0301quipe") == "\u00e9quipe"  # NFC
    assert team_key("E\u0301quipe") == team_key("équipe")
    for name in ("\u200c", " \u200d \u200c "):
        with pytest.raises(SubmissionError, match="0 characters"):
            check_team(name)


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_bidirectional_controls_in_a_team_name_are_a_422(service, control):
    status, answer = refused(service, body(team=json.dumps(f"Owls{control}\u0634\u06cc\u0631")))
    assert (status, answer["field"]) == (422, "team")
    assert f"U+{ord(control):04X}" in answer["error"] and "bidirectional" in answer["error"]
    assert "allowed:" in answer["error"]


def test_the_bidi_refusal_reads_in_persian(tmp_path):
    here = local(tmp_path / "fa.sqlite", SMALL)
    try:
        i18n.set_language("fa")
        with pytest.raises(SubmissionError) as error:
            here.submit("تیم\u202eآبی", {})
        message = str(error.value)
        assert error.value.field == "team" and "U+202E" in message
        assert "bidirectional" not in message and "دوسویه" in message, message
        assert here.standings_rows() == []
    finally:
        i18n.set_language("en")
        here.close()


def test_a_class_refuses_what_the_service_refuses(tmp_path):
    """The notebook's path (Classroom.submit, no HTTP) checks the same way."""
    room = Classroom(Store(tmp_path / "local.sqlite"), class_id(None), SMALL, executor=_Idle())
    for team, policy, token in (
        ("A\ud800", {}, None),
        ("A", {"\ud800": 1}, None),
        ("A", {}, "\udfff"),
        ("A\u2066B", {}, None),
    ):
        with pytest.raises(SubmissionError):
            room.submit(team, policy, token)
    assert room.standings() == []
    assert room.submit("علي", {})["team"] == "علی"
