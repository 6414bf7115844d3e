"""Command line: ``python -m cxsim list | validate FILE | run SCENARIO``.

Exit status 0 on success, 2 on a scenario error (printed on one line).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from .catalog import list_scenarios, load_scenario
from .i18n import _
from .results import kpi_label
from .scenario import ScenarioError
from .simulation import simulate

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cxsim",
                                     description=_("Customer experience, simulated."))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help=_("list the bundled scenarios"))
    validate = commands.add_parser("validate", help=_("check a scenario file"))
    validate.add_argument("file", help=_("a YAML file or a bundled scenario name"))
    run = commands.add_parser("run", help=_("simulate a scenario and print its KPIs"))
    run.add_argument("scenario", help=_("a YAML file or a bundled scenario name"))
    run.add_argument("--policy", default=None, help=_("a policy defined in the scenario"))
    run.add_argument("--seed", type=int, default=0, help=_("random seed (default 0)"))
    run.add_argument("--days", type=float, default=None, help=_("replace horizon_days"))
    run.add_argument("--out", type=Path, default=None,
                     help=_("folder for the tables as CSV files"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            for name in list_scenarios():
                scenario = load_scenario(name)
                print(f"{name:<20} {scenario.description.strip()}")
        elif args.command == "validate":
            scenario = load_scenario(args.file)
            policies = ", ".join(scenario.policies) or "-"
            print(_("{source}: valid ({touchpoints} touchpoints, {journeys} journeys, "
                    "policies: {policies})", source=scenario.source,
                    touchpoints=len(scenario.touchpoints), journeys=len(scenario.journeys),
                    policies=policies))
        elif args.command == "run":
            return _run(args)
    except ScenarioError as error:
        print(_("error: {message}", message=error), file=sys.stderr)
        return 2
    return 0


def _run(args: argparse.Namespace) -> int:
    result = simulate(args.scenario, policy=args.policy, seed=args.seed, days=args.days)
    kpis = result.kpis()
    width = max(len(kpi_label(name)) for name in kpis)
    print(_("{scenario} (policy: {policy}, seed {seed})", scenario=result.scenario.name,
            policy=args.policy or _("baseline"), seed=args.seed))
    for name, value in kpis.items():
        shown = f"{value:,.0f}" if isinstance(value, int) else f"{value:.3f}"
        print(f"  {kpi_label(name):<{width}}  {shown:>12}")
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
