"""cxsim: customer experience, simulated.

A SimPy model of customers moving through touchpoints under service policies,
for a workbook that teaches how waiting, courtesy and follow-up turn into
satisfaction, retention and profit.

>>> import cxsim
>>> result = cxsim.simulate("erlang_check", seed=0, days=1)
>>> sorted(result.kpis())[:3]
['abandonment_rate', 'completed_rate', 'customers']

``cxsim.set_language("fa")`` switches every label, table, figure and message
to Persian, with Persian digits (``persian_digits=False`` keeps Latin ones);
``cxsim.set_language("en")`` switches back.

``import cxsim`` stays light: plots and widgets are imported on their own
(``from cxsim import plots, widgets``).
"""

from . import formatting, theory  # formatting: notebooks show tables through it
from .catalog import data_dir, list_scenarios, load_scenario
from .experiments import Comparison, Replications, Sweep, compare, replicate, sweep
from .i18n import _, available_languages, get_language, set_language
from .results import Result, format_kpi, kpi_comparison
from .scenario import Scenario, ScenarioError
from .simulation import simulate

__all__ = [
    "formatting",
    "available_languages",
    "Comparison",
    "Replications",
    "Sweep",
    "compare",
    "replicate",
    "sweep",
    "Result",
    "Scenario",
    "ScenarioError",
    "data_dir",
    "format_kpi",
    "kpi_comparison",
    "get_language",
    "list_scenarios",
    "load_scenario",
    "set_language",
    "simulate",
    "theory",
    "_",
]

__version__ = "0.1.0"
