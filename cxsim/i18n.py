"""One translation function for every user-facing string.

Widget labels, KPI names, plot titles and error messages all pass through
:func:`_` so that a Persian edition can swap the catalogue without touching
the code that produces the text.  English is the source language: a message
id *is* its English text, in the gettext tradition.

>>> _("Mean wait (min)")
'Mean wait (min)'
>>> _("{n} customers", n=3)
'3 customers'
"""

from __future__ import annotations

__all__ = ["_", "get_language", "set_language", "available_languages"]

# Filled by catalogue loaders for languages other than English.
_CATALOGUES: dict[str, dict[str, str]] = {"en": {}}
_current_language = "en"


def available_languages() -> list[str]:
    """The language codes :func:`set_language` accepts."""
    return sorted(_CATALOGUES)


def set_language(language: str) -> None:
    """Switch every string cxsim produces to ``language`` (``"en"`` by default)."""
    global _current_language
    if language not in _CATALOGUES:
        allowed = ", ".join(available_languages())
        raise ValueError(f"unknown language {language!r}; allowed: {allowed}")
    _current_language = language


def get_language() -> str:
    """The language currently in use."""
    return _current_language


def _(message: str, /, **values: object) -> str:
    """Translate ``message`` into the current language, then fill ``{placeholders}``."""
    text = _CATALOGUES[_current_language].get(message, message)
    return text.format(**values) if values else text
