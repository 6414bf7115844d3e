"""Persian figures: the bundled Vazirmatn font, joined right-to-left text, Persian digits.

The PNGs are saved in test-artifacts/figures/ (not committed) for a person to look at.
"""

from __future__ import annotations

import io
import tomllib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import findfont
from matplotlib.image import imread

import cxsim
from cxsim import plots
from cxsim.plots import PERSIAN_FONT_FILE, NotebookFigure, localise_figure

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "figures"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    cxsim.set_language("en")


@pytest.fixture(scope="module")
def runs():
    return (
        cxsim.simulate("contact_centre", seed=0, days=1),
        cxsim.simulate("contact_centre", policy="lean", seed=0, days=1),
    )


def _render(figure, name: str) -> np.ndarray:
    """Draw ``figure`` to a PNG (kept in test-artifacts/figures) and return its pixels,
    failing on any missing-glyph warning."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(ARTIFACTS / f"{name}.png", dpi=80)
    glyphs = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert glyphs == []
    return imread(ARTIFACTS / f"{name}.png")


def _ascii_digits(text: str) -> bool:
    return any(ch.isascii() and ch.isdigit() for ch in text)


def test_persian_figure_uses_the_bundled_font_and_persian_digits(runs):
    base, lean = runs
    cxsim.set_language("fa")
    figure = plots.plot_kpi_comparison(
        {"baseline": base, "lean": lean}, ["mean_wait_min", "service_level", "profit"]
    )
    _render(figure, "fa_kpi_comparison")
    title = figure._suptitle
    assert title.get_text() == "\u200fشاخص‌ها به تفکیک سیاست"
    assert Path(findfont(title.get_fontproperties())) == PERSIAN_FONT_FILE
    ax = figure.axes[1]
    assert ax.get_title() == "\u200fسطح خدمت (پاسخ در زمان هدف)"
    assert ax.get_ylabel() == "\u200fسطح خدمت (پاسخ در زمان هدف) (٪)"
    ticks = [label.get_text() for label in ax.get_yticklabels() if label.get_text()]
    assert "۱۰۰٪" in ticks and not any(_ascii_digits(tick) for tick in ticks)
    assert Path(findfont(ax.get_yticklabels()[0].get_fontproperties())) == PERSIAN_FONT_FILE
    policies = [label.get_text() for label in ax.get_xticklabels()]
    assert policies == ["وضع موجود", "کم‌نیرو"]


def test_persian_text_is_drawn_joined_not_as_isolated_letters():
    cxsim.set_language("fa")
    word = "میانگین زمان انتظار"
    # a ZERO WIDTH NON-JOINER between letters forces their isolated, unjoined forms
    isolated = "\u200c".join(word)
    widths, pixels = [], []
    for name, text in (("joined", word), ("isolated", isolated)):
        figure = NotebookFigure(figsize=(4, 1))
        label = figure.text(0.5, 0.5, text, ha="center", va="center", fontsize=20)
        canvas = FigureCanvasAgg(figure)
        pixels.append(_render(figure, f"fa_shaping_{name}"))
        widths.append(label.get_window_extent(canvas.get_renderer()).width)
        assert Path(findfont(label.get_fontproperties())) == PERSIAN_FONT_FILE
    joined_width, isolated_width = widths
    # joined (initial/medial/final) forms are narrower than isolated letters
    assert joined_width < 0.9 * isolated_width
    assert not np.array_equal(pixels[0], pixels[1])


def test_persian_lines_are_right_to_left_paragraphs():
    cxsim.set_language("fa")
    figure = NotebookFigure()
    ax = figure.subplots()
    ax.set_title("lean: ۸۳٫۱٪\nEnglish only\nسطح خدمت")
    _render(figure, "fa_rtl_lines")
    # a mark after "lean" too, so that ": ۸۳٫۱٪" stays in the Persian order
    assert ax.get_title() == "\u200flean\u200f: ۸۳٫۱٪\nEnglish only\n\u200fسطح خدمت"
    localise_figure(figure)  # twice changes nothing
    assert ax.get_title().count("\u200f") == 3


def test_english_figures_are_unchanged(runs):
    base, lean = runs
    figure = plots.plot_kpi_comparison({"baseline": base, "lean": lean}, ["service_level"])
    _render(figure, "en_kpi_comparison")
    assert figure._suptitle.get_text() == "KPIs by policy"
    assert Path(findfont(figure._suptitle.get_fontproperties())).name == "DejaVuSans.ttf"
    ticks = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert "100%" in ticks


def test_latin_digits_when_switched_off(runs):
    base, _lean = runs
    cxsim.set_language("fa", persian_digits=False)
    figure = plots.plot_hourly(base)
    _render(figure, "fa_latin_digits_hourly")
    ax = figure.axes[-1]
    assert [label.get_text() for label in ax.get_xticklabels()][:3] == ["0", "3", "6"]
    assert ax.get_xlabel() == "\u200fساعت روز (ساعت)"
    assert figure._suptitle.get_text().startswith("\u200fتلفن: ")
    # panel titles move from the left (where English starts) to the right
    assert figure.axes[0].get_title("right") == "\u200fمشتریان ورودی"
    assert figure.axes[0].get_title("left") == ""
    assert Path(findfont(ax.get_xticklabels()[0].get_fontproperties())) == PERSIAN_FONT_FILE


def test_every_plot_renders_in_persian_without_missing_glyphs(runs):
    from cxsim.lessons import memory, retention

    base, lean = runs
    cxsim.set_language("fa")
    sweep = pd.DataFrame(
        {
            "touchpoints.phone.staff": [9, 10, 11],
            "kpi": "service_level",
            "mean": [0.6, 0.75, 0.86],
            "ci_low": [0.55, 0.7, 0.82],
            "ci_high": [0.65, 0.8, 0.9],
        }
    )
    differences = pd.DataFrame(
        {
            "policy": ["lean", "generous"],
            "kpi": "profit",
            "mean_difference": [-2.0e6, 1.5e6],
            "ci_low": [-3.0e6, -0.5e6],
            "ci_high": [-1.0e6, 3.5e6],
        }
    )
    theory = pd.DataFrame(
        {
            "case": ["10 agents", "11 agents"],
            "kpi": "service_level",
            "simulated": [0.8, 0.88],
            "ci_low": [0.75, 0.85],
            "ci_high": [0.85, 0.91],
            "theory": [0.81, 0.87],
        }
    )
    figures = {
        "hourly": plots.plot_hourly({"baseline": base, "lean": lean}),
        "wait_distribution": plots.plot_wait_distribution([base, lean]),
        "sweep": plots.plot_sweep(sweep, "touchpoints.phone.staff", "service_level"),
        "differences": plots.plot_differences(differences),
        "simulation_vs_theory": plots.plot_simulation_vs_theory(theory),
        "memory_hand_made": memory.plot_hand_made(),
        "retention_leave_curve": retention.plot_leave_curve(0.3),
    }
    for name, figure in figures.items():
        _render(figure, f"fa_{name}")
        texts = [t.get_text() for t in figure.findobj(match=lambda a: hasattr(a, "get_text"))]
        persian = [
            text
            for text in texts
            if any(ch.isalpha() and "\u0600" <= ch <= "\u06ff" for ch in text)
        ]
        assert persian, name
        # a Persian line that starts with a Latin name ("phone: ...") must still read
        # right to left: it starts with a RIGHT-TO-LEFT MARK
        mixed = [
            line
            for text in persian
            for line in text.split("\n")
            if any(ch.isascii() and ch.isalpha() for ch in line)
            and any("\u0600" <= ch <= "\u06ff" for ch in line)
        ]
        assert all(line.startswith("\u200f") for line in mixed), name
    money = figures["differences"].axes[0]
    assert all(not _ascii_digits(label.get_text()) for label in money.get_xticklabels())


def test_figure_language_is_fixed_when_it_is_made(runs):
    base, _lean = runs
    cxsim.set_language("fa")
    figure = plots.plot_hourly(base)
    cxsim.set_language("en")  # drawn later, in an English session: still all Persian
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=50)
    assert figure.cxsim_language == "fa"
    ticks = [label.get_text() for label in figure.axes[-1].get_xticklabels()]
    assert ticks[:3] == ["۰", "۳", "۶"]


def test_font_and_catalogue_are_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["cxsim"]
    assert {"fonts/*.ttf", "fonts/*.txt", "locale/*/LC_MESSAGES/*.mo"} <= set(patterns)
    assert PERSIAN_FONT_FILE.is_file() and (PERSIAN_FONT_FILE.parent / "OFL.txt").is_file()
    assert "SIL Open Font License, Version 1.1" in (PERSIAN_FONT_FILE.parent / "OFL.txt").read_text(
        encoding="utf-8"
    )


def test_money_axis_names_the_scenario_currency():
    scenario = cxsim.load_scenario("contact_centre").with_overrides({"economics.currency": "rial"})
    result = cxsim.simulate(scenario, seed=0, days=0.5)
    figure = plots.plot_kpi_comparison({"a": result}, ["profit"])
    assert figure.axes[0].get_ylabel() == "Profit (million rial)"
    assert result.kpi_table()["Profit"].endswith(" rial")
    cxsim.set_language("fa")
    figure = plots.plot_kpi_comparison({"a": result}, ["profit"])
    assert figure.axes[0].get_ylabel() == "سود (میلیون ریال)"
    assert result.kpi_table()["سود"].endswith(" ریال")


def test_a_persian_figure_showing_english_fails_in_strict_mode(monkeypatch):
    """CXSIM_STRICT_TEXT (set by `make notebooks`): English on a Persian figure is an
    error naming the words; NPS and claim numbers are allowed."""
    import io

    from cxsim.plots import NotebookFigure, visible_text

    monkeypatch.setenv("CXSIM_STRICT_TEXT", "1")
    cxsim.set_language("fa")
    try:
        figure = NotebookFigure()
        ax = figure.subplots()
        ax.plot([1, 2], [3, 4], label="lean")
        ax.legend()
        ax.set_title("ادعای N2: ۲۵٪ و NPS")
        with pytest.raises(ValueError, match="shows English: lean"):
            figure.savefig(io.BytesIO(), format="png")
        ax.get_legend().remove()
        figure.savefig(io.BytesIO(), format="png")
        title = next(t for t in visible_text(figure) if "N2" in t)
        # a right-to-left mark after N2 keeps ": ۲۵٪" in the Persian order
        assert "N2\u200f:" in title and title.startswith("\u200f")
    finally:
        cxsim.set_language("en")


def test_log_axis_ticks_are_plain_persian_numbers():
    import io

    from cxsim.plots import NotebookFigure

    cxsim.set_language("fa")
    try:
        figure = NotebookFigure()
        ax = figure.subplots()
        ax.plot([0.1, 1, 10, 100], [1, 2, 3, 4])
        ax.set_xscale("log")
        figure.savefig(io.BytesIO(), format="png")
        labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert "۱۰۰" in labels and "۰٫۱" in labels, labels
        assert not any("$" in label or "10^" in label for label in labels)
    finally:
        cxsim.set_language("en")
