"""One translation function for every user-facing string.

Widget labels, KPI names, plot titles and error messages all pass through
:func:`_` so that a Persian edition can swap the catalogue without touching
the code that produces the text.  English is the source language: a message
id *is* its English text, in the gettext tradition.  Other languages are
standard gettext catalogues, ``cxsim/locale/<lang>/LC_MESSAGES/cxsim.mo``
(compiled from the ``.po`` beside it; see ``cxsim/locale/README.md``).

>>> _("Mean wait (min)")
'Mean wait (min)'
>>> _("{n} customers", n=3)
'3 customers'

In Persian, numbers filled into a message are written with Persian digits
(unless switched off), and every miss of the catalogue is recorded:

>>> set_language("fa")
>>> _("{n} agents", n=3)
'۳ کارشناس'
>>> format_number(1234.5, ",.1f")
'۱٬۲۳۴٫۵'
>>> set_language("en")
"""

from __future__ import annotations

import gettext
import html
import numbers
import os
import re
import string
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "_",
    "N_",
    "LOCALE_DIR",
    "Text",
    "available_languages",
    "currency_name",
    "format_number",
    "get_language",
    "join_list",
    "latin_words",
    "localise_digits",
    "missing",
    "persian_digits",
    "reset_missing",
    "set_language",
    "on_language_change",
    "text_direction",
    "translate_name",
]

#: Where the catalogues live: ``<LOCALE_DIR>/<lang>/LC_MESSAGES/cxsim.mo``.
LOCALE_DIR = Path(__file__).with_name("locale")
_DOMAIN = "cxsim"
#: Languages written right to left.
_RTL = frozenset({"fa"})
#: Languages cxsim ships a catalogue for, besides English (the source).
_SHIPPED = ("fa",)

_LATIN_TO_PERSIAN = str.maketrans(
    {
        **{str(d): chr(0x06F0 + d) for d in range(10)},
        ",": "\u066c",  # ARABIC THOUSANDS SEPARATOR ٬
        ".": "\u066b",  # ARABIC DECIMAL SEPARATOR ٫
        "%": "\u066a",  # ARABIC PERCENT SIGN ٪
    }
)
# A number inside free text: digits with their separators and sign, not part of a
# Latin identifier such as "promise_2_min" or "Vazirmatn-Regular".
_NUMBER_IN_TEXT = re.compile(r"(?<![A-Za-z_\d.=<>\[/\\])[-+]?\d[\d,]*(?:\.\d+)?%?(?![A-Za-z_\d])")


class _MissRecorder(gettext.NullTranslations):
    """The last fallback of a catalogue: notes every message id it had no translation for."""

    def __init__(self) -> None:
        super().__init__()
        self.misses: dict[str, None] = {}  # ordered set

    def gettext(self, message: str) -> str:
        self.misses[message] = None
        return message


_recorder = _MissRecorder()
_catalogues: dict[str, gettext.NullTranslations] = {}
#: In-memory catalogues ``{language: {message id: translation}}``, looked up before
#: the compiled ones: for tests and for trying a translation without compiling it.
_CATALOGUES: dict[str, dict[str, str]] = {"en": {}}
_current_language = "en"
_persian_digits = False


def _environment_language() -> str:
    """``CXSIM_LANG`` if it names a language cxsim has, else English."""
    wanted = os.environ.get("CXSIM_LANG", "en").strip().lower()
    return wanted if wanted in available_languages() else "en"


def available_languages() -> list[str]:
    """The language codes :func:`set_language` accepts."""
    shipped = [
        lang for lang in _SHIPPED if (LOCALE_DIR / lang / "LC_MESSAGES" / f"{_DOMAIN}.mo").is_file()
    ]
    return sorted({"en", *shipped, *_CATALOGUES})


class _DictTranslations(gettext.NullTranslations):
    """An in-memory catalogue (see ``_CATALOGUES``) with the miss recorder behind it."""

    def __init__(self, messages: dict[str, str]):
        super().__init__()
        self._catalog = messages
        self.add_fallback(_recorder)

    def gettext(self, message: str) -> str:
        if message in self._catalog:
            return self._catalog[message]
        return super().gettext(message)


def _catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language``, loaded once, with the miss recorder behind it."""
    if language in _CATALOGUES:
        return _DictTranslations(_CATALOGUES[language])
    if language not in _catalogues:
        with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{_DOMAIN}.mo", "rb") as file:
            catalogue = gettext.GNUTranslations(file)
        catalogue.add_fallback(_recorder)
        _catalogues[language] = catalogue
    return _catalogues[language]


def set_language(language: str, *, persian_digits: bool | None = None) -> None:
    """Switch every string cxsim produces to ``language`` (``"en"`` by default).

    ``"fa"`` is Persian; its numbers are written with Persian digits (۰-۹, "٫"
    for the decimal point, "٬" between thousands, "٪") unless
    ``persian_digits=False``.  ``persian_digits=None`` takes the language's
    default: on for Persian, off for English.
    """
    global _current_language, _persian_digits
    if language not in available_languages():
        allowed = ", ".join(available_languages())
        raise ValueError(f"unknown language {language!r}; allowed: {allowed}")
    if language != "en":
        _catalogue(language)  # fail here, not at the first message, if it is unreadable
    _current_language = language
    _persian_digits = (language == "fa") if persian_digits is None else bool(persian_digits)
    for listener in _LANGUAGE_LISTENERS:
        listener()
    if language in _RTL:
        _style_notebook_page()


#: JupyterLab and Voila align every markdown paragraph to the left whatever its
#: direction, and strip ``<style>`` from markdown cells; a code cell's output may carry
#: one, so the Persian lessons' first cell (``set_language("fa")``) brings it.
RTL_PAGE_CSS = (
    "<style>"
    ".jp-RenderedHTMLCommon [dir='rtl'] p, .jp-RenderedHTMLCommon [dir='rtl'] li,"
    " .jp-RenderedHTMLCommon [dir='rtl'] th, .jp-RenderedHTMLCommon [dir='rtl'] td"
    " {text-align: right;}"
    "</style>"
)


def notebook_shell() -> Any:
    """The IPython shell of a notebook kernel, or ``None`` outside one."""
    ipython = sys.modules.get("IPython")
    if ipython is None:  # a kernel has imported IPython long before; importing it costs 0.1 s
        return None
    shell = ipython.get_ipython()
    if shell is None or type(shell).__name__ != "ZMQInteractiveShell":
        return None  # a terminal or plain Python has no page
    return shell


def _style_notebook_page() -> None:
    """In a notebook, right-align the right-to-left lessons' paragraphs (see RTL_PAGE_CSS)."""
    if notebook_shell() is None:
        return
    from IPython.display import HTML, display

    display(HTML(RTL_PAGE_CSS))


_LANGUAGE_LISTENERS: list[Any] = []


def on_language_change(listener: Any) -> None:
    """Call ``listener()`` after every :func:`set_language` (the formatter re-registers
    how notebooks show tables; this module knows nothing of tables)."""
    _LANGUAGE_LISTENERS.append(listener)


class Text(str):
    """A string for reading in a notebook: shown as plain paragraphs (no quotes, no
    monospace): right to left in a right-to-left language (a Persian verdict that starts
    with a Latin name must still read right to left), else by ``dir="auto"``.

    >>> Text("Correct: 11.\\nWell done.").as_html("cxsim-verdict")
    '<div dir="auto" class="cxsim-verdict">Correct: 11.<br>Well done.</div>'
    """

    def __repr__(self) -> str:
        return str(self)

    def as_html(self, css_class: str = "cxsim-text", style: str = "") -> str:
        """The text as HTML: its lines escaped and kept, in a ``div`` of ``css_class``."""
        lines = "<br>".join(html.escape(line) for line in self.splitlines())
        styled = f' style="{style}"' if style else ""
        direction = "rtl" if text_direction() == "rtl" else "auto"
        return f'<div dir="{direction}" class="{css_class}"{styled}>{lines}</div>'

    def _repr_html_(self) -> str:
        return self.as_html()


def get_language() -> str:
    """The language currently in use."""
    return _current_language


def persian_digits() -> bool:
    """Whether numbers are written with Persian digits now."""
    return _persian_digits


def text_direction() -> str:
    """``"rtl"`` for a language written right to left (Persian), else ``"ltr"``."""
    return "rtl" if _current_language in _RTL else "ltr"


def missing() -> list[str]:
    """Message ids looked up since :func:`reset_missing` that the catalogue lacked.

    Only languages other than English record misses (English needs no catalogue).
    """
    return list(_recorder.misses)


def reset_missing() -> None:
    """Forget the recorded misses."""
    _recorder.misses.clear()


def format_number(value: float, spec: str = "") -> str:
    """``format(value, spec)`` in the current digits: Persian digits and separators if on.

    >>> format_number(0.125, ".1%")
    '12.5%'
    """
    text = format(value, spec)
    return _persian_number(text) if _persian_digits else text


def localise_digits(text: str, *, persian: bool | None = None) -> str:
    """Numbers inside ``text`` in the current digits (Latin text is left alone).

    Digits that belong to a Latin word or name (``promise_2_min``) stay Latin.
    ``persian``: force Persian (True) or Latin (False) digits instead of the
    current setting.

    >>> localise_digits("83.1% of 8,660 calls")
    '83.1% of 8,660 calls'
    >>> localise_digits("83.1% of 8,660 calls (promise_2_min)", persian=True)
    '۸۳٫۱٪ of ۸٬۶۶۰ calls (promise_2_min)'
    """
    if not (_persian_digits if persian is None else persian):
        return text
    return _NUMBER_IN_TEXT.sub(lambda match: _persian_number(match.group(0)), text)


#: Persian's minus sign (CLDR): U+2212 after a left-to-right mark, so that the sign stays
#: on the left of the number inside right-to-left text.
PERSIAN_MINUS = "\u200e\u2212"

#: Latin a Persian reader may see: the names of NPS and CSAT, claim numbers (N2, Q9),
#: Erlang's two models and the file names of code (``00_start_here``).
LATIN_ALLOWED = re.compile(
    r"\b(?:NPS|CSAT|[NQ]\d{1,2}|ارلنگ [AC])\b|ارلنگ [AC]|\b\w+\.(?:ipynb|py|md|yaml)\b"
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def join_list(items: Iterable[str]) -> str:
    """Items joined as the current language lists them: ``"a, b"``; in Persian ``"a، b"``.

    >>> join_list(["lean", "generous"])
    'lean, generous'
    """
    return ("، " if _current_language == "fa" else ", ").join(items)


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text`` a Persian reader should not see (not NPS, CSAT, claim
    numbers or Erlang A/C): what the "no English in Persian outputs" checks look for.

    >>> latin_words("شاخص خالص مروجان (NPS) در ادعای N2 و ارلنگ A")
    []
    >>> latin_words("سیاست lean: ۲۵٪")
    ['lean']
    """
    return _LATIN_WORD.findall(LATIN_ALLOWED.sub(" ", text))


def _persian_number(text: str) -> str:
    """A number written with Latin digits, in Persian digits, its minus sign Persian's."""
    if text.startswith("-"):
        text = PERSIAN_MINUS + text[1:]
    return text.translate(_LATIN_TO_PERSIAN)


class _LocalFormatter(string.Formatter):
    """``str.format`` that writes the numbers it fills in with the current digits.

    Only numeric values change; strings (file names, field paths) and ``!r``
    conversions are inserted exactly as given.
    """

    def format_field(self, value: Any, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return _persian_number(text)
        return text


_local_formatter = _LocalFormatter()


def N_(message: str, /) -> str:  # noqa: N802 - the gettext name for "mark, translate later"
    """Mark ``message`` for the catalogue without translating it now (tables of labels)."""
    return message


def _localise_template(text: str, formatted: bool) -> str:
    """The numbers written in a message's own text in the current digits.

    Catalogues write numbers with Latin digits ("0 to 10"), so that one
    catalogue serves both digit settings.  In a template only the literal
    parts change, never a ``{placeholder:.2f}``.
    """
    key = (text, formatted)
    if key not in _templates:
        if not formatted:
            _templates[key] = localise_digits(text)
        else:
            parts = []
            for literal, field, spec, conversion in _local_formatter.parse(text):
                parts.append(localise_digits(literal).replace("{", "{{").replace("}", "}}"))
                if field is not None:
                    parts.append(
                        "{"
                        + field
                        + (f"!{conversion}" if conversion else "")
                        + (f":{spec}" if spec else "")
                        + "}"
                    )
            _templates[key] = "".join(parts)
    return _templates[key]


_templates: dict[tuple[str, bool], str] = {}


def _(message: str, /, **values: object) -> str:
    """Translate ``message`` into the current language, then fill ``{placeholders}``.

    Numbers filled in, and numbers in the translated text, are written in the
    current digits (see :func:`set_language`).
    """
    if _current_language == "en" or not message:
        text = message
    else:
        text = _catalogue(_current_language).gettext(message)
    if not _persian_digits:
        return text.format(**values) if values else text
    text = _localise_template(text, bool(values))
    return _local_formatter.format(text, **values) if values else text


def translate_name(name: str) -> str:
    """A name from a scenario (a policy, a touchpoint) in the current language.

    Bundled names have a translation in the catalogue; any other name (a
    trainee's own policy) is shown as it is, and is not recorded as missing.
    """
    if _current_language == "en" or not isinstance(name, str) or not name:
        return name
    catalogue = _catalogue(_current_language)
    # a catalogue lookup that bypasses the miss recorder, which is the fallback
    translated = catalogue._catalog.get(name)  # type: ignore[attr-defined]
    return translated if isinstance(translated, str) else name


_CURRENCIES = {"toman": N_("toman"), "rial": N_("rial")}


def currency_name(code: str) -> str:
    """The name of a currency (``"toman"``, ``"rial"``) in the current language."""
    return _(_CURRENCIES.get(code, code))


if (_start := _environment_language()) != "en":
    set_language(_start)
