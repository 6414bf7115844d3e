"""Build the one-page handout of every lesson, in English and Persian, from the lessons.

    .venv/bin/python scripts/make_handouts.py            # write notebooks/handouts/**
    .venv/bin/python scripts/make_handouts.py --check    # exit 1 if any is stale

A handout is what a trainee takes home after a lesson (``notebooks/handouts/NN_slug.md``,
Persian ``notebooks/handouts/fa/NN_slug.md``): the lesson's title, minutes and what it
teaches (the lesson registry); the decision its exercise asked, with the answers the
runs support and how they were judged (:mod:`cxsim.decisions`, from the shipped tables);
its key takeaways (the lesson's own "Key takeaways" cell, numbers included, so nothing is
copied by hand); and the source claims it tests, in Persian word for word
(``docs/sources.md``).  Run it after ``scripts/make_notebook.py --all``;
``tests/test_handouts.py`` fails when a handout is stale.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import check_quotes  # noqa: E402
import make_notebook  # noqa: E402

from cxsim.decisions import Decision, judge  # noqa: E402
from cxsim.formatting import format_value  # noqa: E402
from cxsim.i18n import _, localise_digits, set_language  # noqa: E402
from cxsim.lessons.registry import ALL_CLAIMS, LESSONS, Lesson  # noqa: E402

SOURCES = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks" / "handouts"
FACT = re.compile(r"<!--/?fact[^>]*-->")
TAKEAWAYS = {"en": "## Key takeaways", "fa": "## نکته‌های کلیدی"}
WORDS = {
    "en": {
        "byline": "*cxsim workshop handout · {minutes} minutes · claims: {claims}*",
        "learn": "**What this lesson is about:** {learn}.",
        "decision": "## The decision",
        "supported": "**Answers the runs support:** {answers}.",
        "judged": (
            "*Judged on {n} paired runs of {days} days each (every answer met the same "
            "customers), accepting every answer the runs cannot tell from the best "
            "(Bonferroni-corrected 95% intervals against the best).*"
        ),
        "sources": "## What the sources say",
        "index_title": "# Lesson handouts",
        "index_intro": (
            "One page per lesson, to print or share after it: what it teaches, the "
            "decision it asked, its takeaways, and the source claims it tests. Generated "
            "from the lessons by `scripts/make_handouts.py`. [فارسی](fa/README.md)"
        ),
        "comma": ", ",
    },
    "fa": {
        "byline": "*برگه کارگاه cxsim · {minutes} دقیقه · ادعاها: {claims}*",
        "learn": "**این درس درباره:** {learn}.",
        "decision": "## تصمیم",
        "supported": "**پاسخ‌هایی که اجراها پشتیبانی می‌کنند:** {answers}.",
        "judged": (
            "*داوری با {n} اجرای جفتی، هر کدام {days} روز (همه پاسخ‌ها با همان مشتریان "
            "روبه‌رو شدند)؛ هر پاسخی که اجراها نتوانند از بهترین پاسخ تمیزش دهند پذیرفته "
            "شد (فاصله‌های اطمینان ۹۵٪ در برابر بهترین، با تصحیح بونفرونی).*"
        ),
        "sources": "## منبع چه می‌گوید",
        "index_title": "# برگه‌های درس",
        "index_intro": (
            "برای هر درس یک صفحه، برای چاپ یا پخش پس از درس: آنچه درس می‌آموزد، تصمیمی که "
            "از شرکت‌کنندگان خواست، نکته‌های کلیدی و ادعاهای منبع که می‌آزماید. این برگه‌ها را "
            "`scripts/make_handouts.py` از خود درس‌ها می‌سازد. [English](../README.md)"
        ),
        "comma": "، ",
    },
}


def _claim_texts() -> dict[str, str]:
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| ([NQ]\d+) \| (.*?) \| \d{3} \|$", text, flags=re.M))


def _takeaways(item: Lesson, language: str) -> str:
    """The body of the lesson's key-takeaways cell in ``language`` ("" if it has none)."""
    english = make_notebook.parse((SOURCES / f"{item.name}.py").read_text(encoding="utf-8"))
    prose = [cell for cell in english if cell.cell_type == "markdown"]
    index = next(
        (k for k, cell in enumerate(prose) if cell.source.lstrip().startswith(TAKEAWAYS["en"])),
        None,
    )
    if index is None:
        return ""
    if language == "fa":
        persian = make_notebook.parse(
            (SOURCES / "fa" / f"{item.name}.py").read_text(encoding="utf-8")
        )
        prose = [cell for cell in persian if cell.cell_type == "markdown"]
    body = prose[index].source
    body = re.sub(r"</?div[^>]*>", "", body)
    body = body.replace(TAKEAWAYS[language], "", 1).strip()
    # the notebook's pointer to the next lesson means nothing on paper
    kept = [
        line for line in body.splitlines() if not line.startswith(("**Next", "**درس بعد", "**بعدی"))
    ]
    return FACT.sub("", "\n".join(kept).strip())


def _decisions(item: Lesson) -> list[Decision]:
    if not item.module:
        return []
    module = importlib.import_module(f"cxsim.lessons.{item.module}")
    found = [value for value in vars(module).values() if isinstance(value, Decision)]
    return list({decision.name: decision for decision in found}.values())


def handout(item: Lesson, language: str) -> str:
    """The handout of ``item`` in ``language`` (Markdown)."""
    set_language(language)
    try:
        words = WORDS[language]
        local = lambda text: localise_digits(str(text), persian=language == "fa")  # noqa: E731
        claims = [_(c) if c == ALL_CLAIMS else c for c in item.claims]
        lines = [
            f"# {local(item.id)} · {_(item.title)}",
            "",
            words["byline"].format(minutes=local(item.minutes), claims=words["comma"].join(claims)),
            "",
            words["learn"].format(learn=local(_(item.learn))),
        ]
        for decision in _decisions(item):
            judgement = judge(decision)
            answers = words["comma"].join(
                "«" + _(candidate.label) + "»" for candidate in judgement.acceptable
            )
            lines += [
                "",
                words["decision"],
                "",
                local(_(decision.question)),
                "",
                words["supported"].format(answers=answers),
                "",
                words["judged"].format(
                    n=format_value(decision.replications, "count"),
                    days=format_value(decision.days, "count"),
                ),
            ]
        takeaways = _takeaways(item, language)
        if takeaways:
            lines += ["", TAKEAWAYS[language], "", takeaways]
        quoted = [c for c in item.claims if c != ALL_CLAIMS]
        if quoted:
            lines += ["", words["sources"], ""]
            passages, texts = check_quotes.passages(), _claim_texts()
            for claim in quoted:
                if language == "fa" and claim in passages:
                    lines.append(f"- **{claim}**: «{passages[claim][1]}»")
                elif language == "en" and claim in texts:
                    lines.append(f"- **{claim}**: {texts[claim]}")
        text = "\n".join(lines) + "\n"
        if language == "fa":
            text = f'<div dir="rtl">\n\n{text}\n</div>\n'
        return text
    finally:
        set_language("en")


def index(language: str) -> str:
    words = WORDS[language]
    set_language(language)
    try:
        rows = [
            f"- [{localise_digits(item.id, persian=language == 'fa')} · {_(item.title)}]"
            f"({item.name}.md)"
            for item in LESSONS
        ]
    finally:
        set_language("en")
    text = "\n".join([words["index_title"], "", words["index_intro"], "", *rows]) + "\n"
    return f'<div dir="rtl">\n\n{text}\n</div>\n' if language == "fa" else text


def pages() -> dict[Path, str]:
    """Every handout page: path -> text."""
    out: dict[Path, str] = {}
    for language, folder in (("en", OUT), ("fa", OUT / "fa")):
        out[folder / "README.md"] = index(language)
        for item in LESSONS:
            out[folder / f"{item.name}.md"] = handout(item, language)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a handout is stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in pages().items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in stale:
        print(("stale: " if args.check else "wrote ") + str(path.relative_to(ROOT)))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
