"""The Persian edition: catalogue complete and compiled, one switch, digits, errors, CLI,
right-to-left dashboards.

A string missing from the Persian catalogue fails here twice over: statically
(every message id in the source needs a checked translation with the same
placeholders) and dynamically (real code paths run in Persian record no miss).
"""

from __future__ import annotations

import io
import os
import re
import string
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import read_po
from conftest import load_script

import cxsim
from cxsim import formatting, i18n
from cxsim.i18n import _
from cxsim.results import format_kpi, kpi_label

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "cxsim" / "locale"
PO = LOCALE / "fa" / "LC_MESSAGES" / "cxsim.po"
MO = PO.with_suffix(".mo")


update_catalogue = load_script("update_catalogue")


@pytest.fixture(autouse=True)
def english_afterwards():
    """Every test leaves the session in English, whatever it switched to."""
    yield
    cxsim.set_language("en")


def _placeholders(text: str) -> list[tuple[str, str | None, str | None]]:
    return sorted(
        (field, conversion, spec)
        for _literal, field, spec, conversion in string.Formatter().parse(text)
        if field is not None
    )


# --------------------------------------------------------------------------- the catalogue
def test_every_message_in_the_source_has_a_checked_persian_translation():
    source = update_catalogue.extract()
    with open(PO, "rb") as file:
        persian = read_po(file)
    ids = [message.id for message in source if message.id]
    assert len(ids) > 450  # the whole package, not an empty extraction
    problems = []
    for message_id in ids:
        entry = persian.get(message_id)
        if entry is None or not entry.string:
            problems.append(f"untranslated: {message_id!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy (not checked): {message_id!r}")
        elif _placeholders(entry.string) != _placeholders(message_id):
            problems.append(f"placeholders differ: {message_id!r} -> {entry.string!r}")
    assert problems == []


def test_catalogue_header_declares_persian_utf8_and_plural_forms():
    with open(PO, "rb") as file:
        persian = read_po(file)
    assert str(persian.locale) == "fa"
    assert persian.charset == "utf-8"
    assert persian.plural_forms.startswith("nplurals=")
    header = PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=' in header and "charset=utf-8" in header


def test_compiled_catalogue_and_template_are_up_to_date():
    # the .mo cxsim loads must be the .po compiled; run scripts/update_catalogue.py if not
    assert MO.read_bytes() == update_catalogue.compiled(PO)
    # the template offers translators every message of the source, and no other
    with open(LOCALE / "cxsim.pot", "rb") as file:
        template = {message.id for message in read_po(file) if message.id}
    assert template == {message.id for message in update_catalogue.extract() if message.id}


# --------------------------------------------------------------------------- the switch
def test_one_switch_turns_messages_and_digits_persian_and_back():
    assert cxsim.get_language() == "en"
    assert _("Mean wait (min)") == "Mean wait (min)"
    cxsim.set_language("fa")
    assert cxsim.get_language() == "fa" and i18n.persian_digits()
    assert _("Mean wait (min)") == "میانگین زمان انتظار (دقیقه)"
    assert _("{n} agents", n=12) == "۱۲ کارشناس"
    # numbers written in the translation itself follow the digit setting too
    assert _("Courtesy training (0-1)") == "آموزش حسن رفتار (۰ تا ۱)"
    assert _("Updated in {seconds:.2f} s", seconds=1.5) == "در ۱٫۵۰ ثانیه به‌روز شد"
    cxsim.set_language("fa", persian_digits=False)
    assert _("{n} agents", n=12) == "12 کارشناس"
    assert _("Courtesy training (0-1)") == "آموزش حسن رفتار (0 تا 1)"
    cxsim.set_language("en")
    assert _("{n} agents", n=12) == "12 agents" and not i18n.persian_digits()
    assert cxsim.available_languages() == ["en", "fa"]
    with pytest.raises(ValueError, match="unknown language 'de'; allowed: en, fa"):
        cxsim.set_language("de")


def test_strings_filled_in_keep_their_digits():
    # file names, paths and repr() values are inserted as given, only numbers change
    cxsim.set_language("fa")
    assert _("tables written to {folder}", folder="out/run2") == "جدول‌ها در out/run2 نوشته شد"
    assert _("must be a number, got {value!r}", value="12x") == "باید عدد باشد، اما '12x' داده شد"


def test_format_kpi_in_persian_with_toman_and_rial():
    cxsim.set_language("fa")
    assert format_kpi("service_level", 0.8312) == "۸۳٫۱٪"
    assert format_kpi("customers", 8660) == "۸٬۶۶۰"
    assert format_kpi("profit", 1_752_000_000.0) == "۱٬۷۵۲٬۰۰۰٬۰۰۰ تومان"
    assert format_kpi("profit", 17_520_000_000.0, "rial") == "۱۷٬۵۲۰٬۰۰۰٬۰۰۰ ریال"
    assert format_kpi("nps", -12.34) == "\u200e\u2212۱۲٫۳"  # the sign stays left
    assert format_kpi("mean_wait_min", 0.6123) == "۰٫۶۱"
    cxsim.set_language("fa", persian_digits=False)
    assert format_kpi("profit", 1_752_000_000.0, "rial") == "1,752,000,000 ریال"
    cxsim.set_language("en")
    assert format_kpi("profit", 1_752_000_000.0, "rial") == "1,752,000,000 rial"
    assert format_kpi("profit", 1_752_000_000.0) == "1,752,000,000 toman"
    assert format_kpi("service_level", 0.8312) == "83.1%"


def test_kpi_table_in_persian_and_english_is_unchanged():
    result = cxsim.simulate("contact_centre", seed=1, days=0.5)
    assert repr(result).startswith("<Result 'contact_centre' policy=None seed=1 customers=")
    english = result.kpi_table()
    cxsim.set_language("fa")
    persian = result.kpi_table()
    assert persian.name == "وضع موجود" and persian.index.name == "شاخص"
    assert persian.index[0] == "مشتریان"
    assert persian["مشتریان"] == localise(english["Customers"])
    assert persian["سود"].endswith(" تومان")
    assert not any(ch.isascii() and ch.isdigit() for ch in "".join(persian))
    cxsim.set_language("en")
    pd.testing.assert_series_equal(result.kpi_table(), english)


def localise(text: str) -> str:
    return text.translate(str.maketrans("0123456789,.%", "۰۱۲۳۴۵۶۷۸۹٬٫٪"))


# --------------------------------------------------------------------------- scenario errors
def test_bad_scenario_file_in_persian_names_the_file_the_field_and_what_is_allowed(tmp_path):
    source = (ROOT / "data" / "scenarios" / "erlang_check.yaml").read_text(encoding="utf-8")
    assert "kind: staffed" in source
    path = tmp_path / "my_centre.yaml"
    path.write_text(source.replace("kind: staffed", "kind: stafed", 1), encoding="utf-8")
    with pytest.raises(cxsim.ScenarioError) as english:
        cxsim.load_scenario(path)
    cxsim.set_language("fa")
    with pytest.raises(cxsim.ScenarioError) as persian:
        cxsim.load_scenario(path)
    message = str(persian.value)
    assert message.startswith(f"{path}: touchpoints[0].kind: ")
    assert "مقدار 'stafed' داده شد؛ مجاز: " in message
    assert "'staffed'" in message and "'self_service'" in message
    assert persian.value.path == english.value.path
    assert str(english.value).endswith(persian.value.problem.split("مجاز: ")[1])


def test_unknown_field_and_unknown_policy_in_persian(tmp_path):
    source = (ROOT / "data" / "scenarios" / "erlang_check.yaml").read_text(encoding="utf-8")
    path = tmp_path / "typo.yaml"
    path.write_text(source.replace("horizon_days:", "horizon_dayz:", 1), encoding="utf-8")
    cxsim.set_language("fa")
    with pytest.raises(cxsim.ScenarioError) as error:
        cxsim.load_scenario(path)
    assert str(error.value).startswith(f"{path}: ")
    assert "فیلد ناشناخته 'horizon_dayz'؛ آیا منظورتان 'horizon_days' بود؟ مجاز: " in str(
        error.value
    )
    with pytest.raises(cxsim.ScenarioError) as policy:
        cxsim.load_scenario("contact_centre").with_policy("leen")
    assert "سیاست ناشناخته 'leen'؛ مجاز: lean, generous" in str(policy.value)


# --------------------------------------------------------------------------- command line
def test_cli_language_option_and_environment_variable(tmp_path, capsys):
    from cxsim.cli import main

    assert main(["--language", "fa", "validate", "erlang_check"]) == 0
    out = capsys.readouterr().out
    assert ": معتبر (۱ نقطه تماس، ۱ سفر مشتری، سیاست‌ها: -)" in out
    assert cxsim.get_language() == "en"  # main() leaves the session as it found it
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    assert main(["--language", "fa", "validate", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"خطا: {bad}: ")
    environment = {**os.environ, "CXSIM_LANG": "fa"}
    completed = subprocess.run(
        [sys.executable, "-m", "cxsim", "validate", "erlang_check"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert "معتبر (۱ نقطه تماس" in completed.stdout
    english = subprocess.run(
        [sys.executable, "-m", "cxsim", "--language", "en", "validate", "erlang_check"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert english.stdout.endswith(": valid (1 touchpoints, 1 journeys, policies: -)\n")


# --------------------------------------------------------------------------- dashboards
def test_dashboard_is_right_to_left_in_persian_only():
    from cxsim.widgets import RTL_CSS, staffing_dashboard

    english = staffing_dashboard(days=0.25).widget()
    assert "cxsim-dashboard" in english._dom_classes
    assert "cxsim-rtl" not in english._dom_classes
    assert not any("<style>" in getattr(child, "value", "") for child in english.children)
    cxsim.set_language("fa")
    dashboard = staffing_dashboard(days=0.25)
    box = dashboard.widget()
    assert {"cxsim-dashboard", "cxsim-rtl"} <= set(box._dom_classes)
    style = box.children[0]
    assert style.value == f"<style>{RTL_CSS}</style>"
    assert "direction: rtl" in RTL_CSS
    # the slider track keeps left-to-right, so dragging right still adds agents
    assert ".cxsim-rtl .noUi-target" in RTL_CSS and "direction: ltr" in RTL_CSS
    assert box.children[1].value == "<h3>تعداد کارکنان خط تلفن</h3>"
    slider = dashboard.ui.inputs["extra_agents"]
    assert slider.description == "کارشناس اضافه در هر ساعت"
    assert dashboard.ui.reset.description == "بازنشانی"
    assert dashboard.ui.status.value.startswith("در ") and dashboard.ui.status.value.endswith(
        " ثانیه به‌روز شد"
    )
    table_html = dashboard.ui.table.outputs[0]["data"]["text/html"]
    assert "سیاست شما" in table_html and "وضع موجود" in table_html
    cells = re.findall(r"<td>(.*?)</td>", table_html)
    assert len(cells) >= 3 * 7
    assert all(not any(ch.isascii() and ch.isdigit() for ch in str(cell)) for cell in cells)
    assert any(ch in "۰۱۲۳۴۵۶۷۸۹" for cell in cells for ch in str(cell))
    slider.value = 2  # the widget still works: a new run, no error
    assert dashboard.last_error is None


# --------------------------------------------------------------------------- no misses
def _fa_code_paths() -> None:
    """Run what trainees see, in Persian: dashboards, tables, figures, CLI, errors."""
    from cxsim import plots
    from cxsim.cli import main
    from cxsim.lessons import (
        challenge,
        courtesy,
        follow_up,
        journeys,
        memory,
        response_time,
        retention,
        staff,
        start_here,
        word_of_mouth,
    )
    from cxsim.widgets import Control, kpi_frame, staffing_dashboard

    for build in (
        staffing_dashboard,
        challenge.dashboard,
        courtesy.dashboard,
        follow_up.dashboard,
        journeys.dashboard,
        memory.dashboard,
        response_time.dashboard,
        retention.dashboard,
        staff.dashboard,
        word_of_mouth.dashboard,
    ):
        # short runs keep the test quick; staff morale needs a whole day after the first
        dashboard = build(days=2 if build is staff.dashboard else 1)
        table, figures = dashboard.update()
        assert len(table) > 0 and figures
        for control in dashboard.controls:
            control.allowed()
    staffing_dashboard(days=0.25).widget()
    base = cxsim.simulate("contact_centre", seed=0, days=1)
    lean = cxsim.simulate("contact_centre", policy="lean", seed=0, days=1)
    base.kpi_table()
    cxsim.kpi_comparison({"a": base, "b": lean})
    cxsim.kpi_comparison({"a": base}, survey=True)
    base.survey_table()
    plots.plot_survey_vs_memory(base).savefig(io.BytesIO(), format="png")
    kpi_frame({"a": base, "b": lean})
    plots.plot_hourly([base, lean])
    plots.plot_wait_distribution({None: base, "lean": lean})
    plots.plot_kpi_comparison({"baseline": base, "lean": lean})
    comparison = cxsim.compare("contact_centre", [None, "lean"], 2, days=0.5, progress=False)
    plots.plot_kpi_comparison(comparison.summary())
    plots.plot_differences(comparison.differences())
    str(comparison)
    sweep = cxsim.sweep(
        "erlang_check", {"touchpoints.phone.staff": [10, 11]}, 2, days=0.25, progress=False
    )
    plots.plot_sweep(sweep.summary(), "touchpoints.phone.staff", "service_level")
    str(sweep)
    plots.plot_simulation_vs_theory(
        pd.DataFrame(
            {
                "case": ["10 agents"],
                "kpi": ["service_level"],
                "simulated": [0.8],
                "ci_low": [0.7],
                "ci_high": [0.9],
                "theory": [0.82],
            }
        )
    )
    memory.plot_hand_made()
    retention.plot_leave_curve(0.3)
    start_here.check_which_policy("")
    for argv in (
        ["run", "erlang_check", "--days", "0.25"],
        ["list"],
        ["validate", "no_such_scenario"],
    ):
        main(["--language", "fa", *argv])
    scenario = cxsim.load_scenario("contact_centre")
    for bad in (
        {"touchpoints.phone.staff": -1},
        {"horizon_days": "x"},
        {"touchpoints.phone.kind": "stafed"},
        {"segments.nobody.share": 0.5},
    ):
        with pytest.raises(ValueError):
            scenario.with_overrides(bad)
    for call in (
        lambda: scenario.with_policy("leen"),
        lambda: base.kpis(by="day"),
        lambda: Control("seed", "x", "float", min=0, max=1),
        lambda: plots.plot_hourly(base, "nowhere"),
    ):
        with pytest.raises((ValueError, KeyError)):
            call()


def test_real_code_paths_in_persian_miss_nothing_in_the_catalogue(capsys):
    cxsim.set_language("fa")
    i18n.reset_missing()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # small runs warn about short horizons; not our concern
        _fa_code_paths()
    capsys.readouterr()
    assert i18n.missing() == []


def test_misses_are_recorded_in_persian_only():
    i18n.reset_missing()
    assert _("no such message") == "no such message"
    assert i18n.missing() == []
    cxsim.set_language("fa")
    assert _("no such message {n}", n=2) == "no such message ۲"
    assert i18n.missing() == ["no such message {n}"]
    i18n.reset_missing()
    assert i18n.missing() == []


POLICY_TABLE = pd.DataFrame(
    {
        "policy": ["baseline", "more_lanes", "team 7"],
        "mean wait": [3.05, 0.0012, 2.5],
        "real difference": [True, False, True],
        "CI low": [float("nan"), -2.59, 0.25],
    },
    index=["phone", "website", "nowhere"],
)


def _cell_texts(html: str) -> list[str]:
    table = html[html.index("<table") :]
    return [text.strip() for text in re.findall(r">([^<>]+)<", table) if text.strip()]


def test_tables_show_names_yes_no_and_digits_in_persian():
    cxsim.set_language("fa")
    html = formatting.table_html(POLICY_TABLE)
    assert html.startswith('<div dir="rtl"')
    texts = _cell_texts(html)
    # bundled names translated, a trainee's own name kept (its number in Persian digits)
    assert {_("baseline"), _("more_lanes"), _("phone"), _("website"), "nowhere", "team ۷"} <= set(
        texts
    )
    # a column reads evenly (as many decimals as its most precise value needs, at most
    # three); the minus sign is U+2212 after a left-to-right mark
    assert {_("yes"), _("no"), "-", "۳٫۰۵۰", "۰٫۰۰۱", "\u200e\u2212۲٫۵۹"} <= set(texts)
    # column labels that are messages are shown in Persian
    assert _("policy") in texts and _("yes") != "yes"
    # no Latin digit and no True/False/NaN left in what a reader sees
    assert not [text for text in texts if re.search(r"[0-9]|True|False|NaN", text)]
    assert POLICY_TABLE.loc["phone", "policy"] == "baseline"  # the data is untouched


def test_tables_in_english_keep_names_and_digits():
    html = formatting.table_html(POLICY_TABLE)
    assert html.startswith('<div dir="ltr"')
    texts = _cell_texts(html)
    assert {"baseline", "more_lanes", "phone", "3.050", "-2.59", "yes", "no"} <= set(texts)


def test_a_notebook_shows_every_table_through_the_formatter_in_either_language(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    monkeypatch.setattr(i18n, "notebook_shell", lambda: shell)
    monkeypatch.setattr(i18n, "_style_notebook_page", lambda: None)

    def shown(table, kind="text/html"):
        data, _metadata = shell.display_formatter.format(table)
        return data[kind]

    cxsim.set_language("fa")
    assert _("more_lanes") in shown(POLICY_TABLE)
    cxsim.set_language("fa", persian_digits=False)  # names in Persian, digits Latin
    html = shown(POLICY_TABLE)
    assert _("more_lanes") in html and "3.050" in html
    kpis = pd.Series({"customers": 8660, "service_level": 0.8312}, name="baseline")
    assert _("baseline") in shown(kpis) and "8,660" in shown(kpis)  # a table now
    cxsim.set_language("en")
    html, text = shown(kpis), shown(kpis, "text/plain")
    # KPI names read as their labels, shares as percent, counts whole, in both views
    for view in (html, text):
        assert "Service level (answered within target)" in view and "83.1%" in view
        assert "8,660" in view and "service_level" not in view


def test_the_formatter_writes_each_kind_as_people_read_it():
    assert formatting.format_value(0.8312, "share") == "83.1%"
    assert formatting.format_value(-0.015, "share", signed=True) == "-1.5%"
    assert formatting.format_value(0.015, "share", signed=True) == "+1.5%"
    assert formatting.format_value(1_752_000_000.4, "money") == "1,752,000,000"
    assert formatting.format_value(1e21, "money") == "1,000,000,000,000,000,000,000"  # no 1e+21
    assert formatting.format_value(-0.0004, "number") == "0"  # no "-0"
    assert formatting.format_value(float("nan"), "share") == "-"
    cxsim.set_language("fa")
    assert formatting.format_value(-210.4, "millions") == "\u200e\u2212۲۱۰٫۴"
    assert formatting.format_value(8660.4, "count") == "۸٬۶۶۰"
    assert formatting.format_value(6.43, "nps") == "\u200e+۶٫۴"
    assert _("{n} agents", n=-3) == "\u200e\u2212۳ کارشناس"  # messages too


def test_rows_and_columns_say_their_kind_by_name_label_unit_or_attrs():
    table = pd.DataFrame(
        {"baseline": [0.926, 8660.0, -210.44, 3.0], "difference": [0.015, -12.0, 5.0, 1.0]},
        index=["service_level", kpi_label("customers"), "Profit (million toman)", "lanes"],
    )
    table.attrs["kinds"] = {"lanes": "count"}
    shown = formatting.table_strings(table)
    assert shown.loc["Service level (answered within target)"].tolist() == ["92.6%", "+1.5%"]
    assert shown.loc["Customers"].tolist() == ["8,660", "-12"]
    assert shown.loc["Profit (million toman)"].tolist() == ["-210.44", "+5.00"]
    assert shown.loc["lanes"].tolist() == ["3", "+1"]


def test_bundled_scenarios_describe_themselves_in_the_reader_language():
    scenario = cxsim.load_scenario("contact_centre")
    english = scenario.describe().splitlines()
    assert english[0] == " ".join(scenario.description.split())
    assert english[1] == (
        "phone: staff on duty hour by hour from midnight: "
        "1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 4, 3, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1, 1"
    )
    cxsim.set_language("fa")
    for name in cxsim.list_scenarios():
        text = cxsim.load_scenario(name).describe()
        # the claim number and the formula's name are the only Latin left
        latin = re.findall(r"[A-Za-z0-9_]+", text.replace("Erlang A", "").replace("N5", ""))
        assert latin == [], (name, latin)
    assert cxsim.load_scenario("erlang_check").describe().endswith("تلفن: ۱۰ نفر در هر ساعت")
    own = scenario.with_overrides({"description": "Our own line"})
    assert own.describe().startswith("Our own line\n")  # a trainee's words stay theirs


def test_a_description_reads_as_paragraphs_in_a_notebook():
    cxsim.set_language("fa")
    text = cxsim.load_scenario("erlang_check").describe()
    assert repr(text) == str(text)  # no quotes in a notebook's plain-text view
    html = text._repr_html_()
    assert html.startswith('<div dir="rtl"') and html.count("<br>") == 1


def test_a_persian_verdict_reads_right_to_left_even_when_it_starts_with_a_latin_name():
    cxsim.set_language("fa")
    assert i18n.Text("Blue whales: ۱۱ کارشناس").as_html().startswith('<div dir="rtl"')
    cxsim.set_language("en")
    assert i18n.Text("Correct: 11.").as_html().startswith('<div dir="auto"')
