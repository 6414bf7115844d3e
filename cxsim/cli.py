"""Command line: ``python -m cxsim [--language fa] list | validate FILE | run SCENARIO |
sweep SCENARIO | classroom serve --code WORD | classroom room``.

Exit status 0 on success, 2 on a scenario error (printed on one line).  The
language of the output is ``--language`` (``en`` or ``fa``), else the
environment variable ``CXSIM_LANG``, else English.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from .catalog import list_scenarios, load_scenario
from .experiments import parse_grid, parse_level, sweep
from .i18n import (
    _,
    available_languages,
    get_language,
    persian_digits,
    set_language,
    translate_name,
)
from .results import format_kpi, kpi_label
from .scenario import ScenarioError
from .simulation import simulate

__all__ = ["main"]


def _language_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--language",
        choices=available_languages(),
        default=None,
        help=_("language of the output (default: $CXSIM_LANG, else en)"),
    )


def _requested_language(argv: list[str] | None) -> str | None:
    """``--language`` if given (read before the full parser, whose help it translates)."""
    early = argparse.ArgumentParser(add_help=False)
    _language_option(early)
    known, _rest = early.parse_known_args(argv)
    if known.language is None:
        wanted = os.environ.get("CXSIM_LANG", "").strip().lower()
        return wanted if wanted in available_languages() else None
    return known.language


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cxsim", description=_("Customer experience, simulated.")
    )
    _language_option(parser)
    from . import __version__

    parser.add_argument(
        "--version",
        action="version",
        version=f"cxsim {__version__}",
        help=_("show the version of cxsim (to compare two laptops) and exit"),
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help=_("list the bundled scenarios"))
    validate = commands.add_parser("validate", help=_("check a scenario file"))
    validate.add_argument("file", help=_("a YAML file or a bundled scenario name"))
    run = commands.add_parser("run", help=_("simulate a scenario and print its KPIs"))
    run.add_argument("scenario", help=_("a YAML file or a bundled scenario name"))
    run.add_argument("--policy", default=None, help=_("a policy defined in the scenario"))
    run.add_argument("--seed", type=int, default=0, help=_("random seed (default 0)"))
    run.add_argument("--days", type=float, default=None, help=_("replace horizon_days"))
    run.add_argument("--out", type=Path, default=None, help=_("folder for the tables as CSV files"))
    grid = commands.add_parser(
        "sweep", help=_("replicate a scenario at every point of a grid of settings")
    )
    grid.add_argument("scenario", help=_("a YAML file or a bundled scenario name"))
    grid.add_argument(
        "--grid",
        action="append",
        required=True,
        metavar="PATH=V1,V2,...",
        help=_(
            "a setting and its values, e.g. touchpoints.phone.staff=8,10,12; "
            "repeat for more settings (every combination is run)"
        ),
    )
    grid.add_argument(
        "-n",
        "--replications",
        type=int,
        default=5,
        help=_("replications per grid point (default 5)"),
    )
    grid.add_argument("--policy", default=None, help=_("a policy defined in the scenario"))
    grid.add_argument("--seed", type=int, default=0, help=_("random seed (default 0)"))
    grid.add_argument("--days", type=float, default=None, help=_("replace horizon_days"))
    grid.add_argument(
        "--level",
        type=parse_level,
        default=0.95,
        help=_("confidence level of the intervals (default 0.95)"),
    )
    grid.add_argument(
        "--out",
        type=Path,
        default=None,
        help=_("CSV file for the summary (one row per grid point and KPI)"),
    )
    grid.add_argument(
        "--runs-out", type=Path, default=None, help=_("CSV file for every replication")
    )
    grid.add_argument("--no-progress", action="store_true", help=_("hide the progress bar"))
    room = commands.add_parser("classroom", help=_("class standings for the policy challenge"))
    room_commands = room.add_subparsers(dest="classroom_command", required=True)
    serve = room_commands.add_parser(
        "serve", help=_("serve the class standings: teams submit policies over the network")
    )
    serve.add_argument(
        "--code", required=True, help=_("the class code word teams send with each submission")
    )
    serve.add_argument(
        "--db",
        default=None,
        help=_(
            "a SQLite file or a SQLAlchemy URL such as "
            "postgresql+psycopg://user@host/db (default "
            "$CXSIM_CLASS_STORE, else ~/.cxsim/classroom.sqlite)"
        ),
    )
    serve.add_argument(
        "--host", default="0.0.0.0", help=_("address to listen on (default 0.0.0.0: every network)")
    )
    serve.add_argument("--port", type=int, default=8765, help=_("port (default 8765)"))
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help=_("simulation worker processes (default: one per CPU)"),
    )
    serve.add_argument(
        "-n",
        "--replications",
        type=int,
        default=None,
        help=_("replications per policy for a new class (default 10)"),
    )
    serve.add_argument(
        "--days",
        type=float,
        default=None,
        help=_("days per replication for a new class (default 28)"),
    )
    serve.add_argument(
        "--seed", type=int, default=None, help=_("base seed for a new class (default 0)")
    )
    room = room_commands.add_parser(
        "room",
        help=_(
            "the standings service and the dashboards app for a room, together "
            "(make classroom); Ctrl+C stops both"
        ),
    )
    room.add_argument(
        "--code", default=None, help=_("the class code word (default: a new one, printed)")
    )
    room.add_argument(
        "--lesson",
        default=None,
        help=_(
            "the lesson being taught, e.g. 03: its dashboard's kernels are "
            "started ahead of the trainees"
        ),
    )
    room.add_argument(
        "--pool",
        type=int,
        default=2,
        help=_("preheated kernels kept ready for that lesson (default 2)"),
    )
    room.add_argument(
        "--host", default="0.0.0.0", help=_("address to listen on (default 0.0.0.0: every network)")
    )
    room.add_argument(
        "--port", type=int, default=8765, help=_("the standings' port (default 8765)")
    )
    room.add_argument(
        "--app-port", type=int, default=8866, help=_("the dashboards' port (default 8866)")
    )
    room.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        help=_("the dashboards' folder (default notebooks/app)"),
    )
    room.add_argument(
        "--jupyter-path",
        type=Path,
        default=None,
        help=_("the folder holding Voila's cxsim template (default share/jupyter)"),
    )
    room.add_argument(
        "--db",
        default=None,
        help=_("the class store (default $CXSIM_CLASS_STORE, else ~/.cxsim/classroom.sqlite)"),
    )
    room.add_argument(
        "--workers",
        type=int,
        default=None,
        help=_("simulation worker processes (default: one per CPU)"),
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    The language is set for the run and restored afterwards, so calling
    ``main`` from Python leaves the session's language as it was.
    """
    previous = (get_language(), persian_digits())
    language = _requested_language(argv)
    if language is not None:
        set_language(language)
    try:
        return _main(argv)
    finally:
        set_language(previous[0], persian_digits=previous[1])


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            for name in list_scenarios():
                scenario = load_scenario(name)
                print(f"{name:<20} {translate_name(scenario.description_line)}")
        elif args.command == "validate":
            scenario = load_scenario(args.file)
            policies = ", ".join(scenario.policies) or "-"
            print(
                _(
                    "{source}: valid ({touchpoints} touchpoints, {journeys} journeys, "
                    "policies: {policies})",
                    source=scenario.source,
                    touchpoints=len(scenario.touchpoints),
                    journeys=len(scenario.journeys),
                    policies=policies,
                )
            )
        elif args.command == "run":
            return _run(args)
        elif args.command == "sweep":
            return _sweep(args)
        elif args.command == "classroom":
            return _classroom(args)
    except ScenarioError as error:
        print(_("error: {message}", message=error), file=sys.stderr)
        return 2
    return 0


def _run(args: argparse.Namespace) -> int:
    result = simulate(args.scenario, policy=args.policy, seed=args.seed, days=args.days)
    kpis = result.kpis()
    width = max(len(kpi_label(name)) for name in kpis)
    print(
        _(
            "{scenario} (policy: {policy}, seed {seed})",
            scenario=result.scenario.name,
            policy=translate_name(args.policy or "baseline"),
            seed=args.seed,
        )
    )
    economics = result.scenario.economics
    currency = economics.currency if economics is not None else "toman"
    for name, value in kpis.items():
        # the one formatter: shares in %, counts whole, money with its currency
        shown = format_kpi(name, value, currency)
        print(f"  {kpi_label(name):<{width}}  {shown:>24}")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        tables: dict[str, pd.DataFrame] = {
            "interactions": result.interactions,
            "customers": result.customers,
            "journeys": result.journeys,
            "timeseries": result.timeseries,
            "daily": result.daily,
            "kpis_by_touchpoint": result.kpis(by="touchpoint"),
        }
        for name, table in tables.items():
            table.to_csv(args.out / f"{name}.csv", index=name.startswith("kpis"))
        print(_("tables written to {folder}", folder=args.out))
    return 0


def _sweep(args: argparse.Namespace) -> int:
    try:
        grid = parse_grid(args.grid)
        result = sweep(
            args.scenario,
            grid,
            args.replications,
            policy=args.policy,
            seed=args.seed,
            days=args.days,
            progress=not args.no_progress,
        )
    except ScenarioError:
        raise  # main() prints it and exits with 2
    except ValueError as error:  # a malformed --grid, -n 0 ...
        print(_("error: {message}", message=error), file=sys.stderr)
        return 2
    print(result)
    if args.out is not None:
        result.to_csv(args.out, level=args.level)
        print(_("summary written to {file}", file=args.out))
    if args.runs_out is not None:
        args.runs_out.parent.mkdir(parents=True, exist_ok=True)
        result.runs.to_csv(args.runs_out, index=False)
        print(_("replications written to {file}", file=args.runs_out))
    return 0


def _room(args: argparse.Namespace) -> int:
    from .classroom.room import RoomSettings, run

    given = {"notebooks": args.notebooks, "jupyter_path": args.jupyter_path}
    try:
        settings = RoomSettings(
            code=args.code or "",
            lesson=args.lesson,
            host=args.host,
            port=args.port,
            app_port=args.app_port,
            pool=args.pool,
            db=args.db,
            workers=args.workers,
            **{key: value for key, value in given.items() if value},
        )
        return run(settings)
    except ValueError as error:
        print(_("error: {message}", message=error), file=sys.stderr)
        return 2


def _classroom(args: argparse.Namespace) -> int:
    if args.classroom_command == "room":
        return _room(args)
    # imported here: the classroom sits on top of the lessons, and needs SQLAlchemy
    from .classroom.core import ClassConfig
    from .classroom.server import serve

    try:
        settings = {
            key: value
            for key, value in (("n", args.replications), ("days", args.days), ("seed", args.seed))
            if value is not None
        }
        config = ClassConfig(**settings) if settings else None
        serve(
            args.code,
            db=args.db,
            host=args.host,
            port=args.port,
            workers=args.workers,
            config=config,
        )
    except ValueError as error:
        print(_("error: {message}", message=error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
