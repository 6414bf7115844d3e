# %% [markdown]
# # 00 · Start here
#
# **What you will do** (15 minutes)
#
# 1. learn how to run a cell and move a slider,
# 2. see the whole model in one picture,
# 3. simulate four weeks of a bank's phone line and read its key numbers,
# 4. follow one customer through those four weeks,
# 5. compare staffing policies and decide which one you would run.
#
# **How to use the workbook.** Click a grey code cell and press **Shift + Enter** to run it;
# the result appears below the cell. Run the cells from top to bottom. Nothing here needs
# programming: each cell calls the `cxsim` package, which does the simulating. If something
# looks stuck, use *Kernel → Restart Kernel and Run All Cells*.

# %%
%matplotlib inline
import cxsim
from cxsim import plots, widgets

# %% [markdown]
# ## The model in one picture
#
# ```
#  customers ──────► touchpoint ──► touchpoint ──► ... ──► journey remembered ──► stay?
#  (old and new,     (queue, staff,   (website,              (peak and end)          leave?
#   by hour) ▲        courtesy)       delivery)                    │                 tell friends?
#            │                                                     │
#            └──────── referrals  ◄──── promoters / detractors ◄───┘
#
#  staff: rota ─► load ─► morale ─► courtesy            the firm's books: revenue − costs
#                                                       ± customers won or lost = profit
# ```
#
# The firm's customers (and a few newcomers) call hour by hour, wait for a free agent (or give
# up), are served with more or less courtesy, and remember the journey mostly by its worst and
# its last moment. That memory decides whether they stay, and what they tell others. Every
# number behind the picture names its source: see `docs/model.md`.

# %% [markdown]
# ## The firm
#
# A *scenario* describes the world: who calls, when, how many agents answer, how long a call
# takes and how long callers are willing to wait.

# %%
scenario = cxsim.load_scenario("contact_centre")
scenario.describe()

# %% [markdown]
# ## Four simulated weeks
#
# The simulation follows every caller. A *seed* fixes the luck of the run, so everyone in the
# room sees the same numbers.

# %%
result = cxsim.simulate(scenario, seed=1)
result.kpi_table()

# %% [markdown]
# **Read it.** The *service level* is the share of calls answered within five minutes: three
# quarters of customers expect no longer (claim N1 of the source texts). *CSAT* is the share of
# customers who remember their call as good (7 or more out of 10); the *Net Promoter Score*
# is the share of promoters minus the share of detractors. Both are the model's remembered
# experience of every call that ended in the four weeks, hang-ups included, not the answers
# of a survey. *Profit* is in toman: the monthly
# margin the bank earns on its customers, minus its costs, plus the customers it won (or minus
# those it lost), each at their lifetime value.

# %% [markdown]
# ## Follow one customer
#
# Behind every number of the table are customers. Pick one from the list (or press
# **Another customer**): each row of the figure is one of their calls, each mark one contact,
# coloured by how it felt (0 awful, 10 delighted), with the wait below it. At the right: what
# the call left in memory (its worst or best moment and its end, claim Q9) and what the
# customer did next: came back, or left. Two minutes: find a customer who hung up.

# %% tags=nbval-ignore-output
from cxsim import story_view

story_view.story_widget(result)

# %% [markdown]
# ## The day, hour by hour
#
# Calls arrive in a morning and an afternoon wave; the rota follows them, not quite.

# %%
plots.plot_hourly(result)

# %% [markdown]
# ## Three staffing policies
#
# The scenario names two alternatives to its rota: `lean` (one agent fewer at every hour, never
# fewer than one) and `generous` (two more at every hour). Same customers, same luck, different
# staffing:

# %%
cxsim.kpi_comparison({policy or "[[baseline]]": cxsim.simulate(scenario, policy=policy, seed=1)
                      for policy in [None, "lean", "generous"]})

# %% [markdown]
# ## Exercise: which rota would you run?
#
# You are the bank's head of customer service. Would you run `lean`, the baseline or
# `generous`? The best is the one with the highest **profit over four weeks**, customers won
# or lost included. One run could be luck (in the single run of the table above, the
# baseline even edges ahead of `generous`), so your answer is judged on 20 runs of each
# rota, paired on the same customers. Write `"lean"`, `"baseline"` or `"generous"` and run the
# cell, or choose from the list below it.

# %% tags=notebook-only
from cxsim.lessons import start_here as lesson

my_answer = ""  # <- [[change this]]
lesson.check_which_policy(my_answer)

# %% tags=nbval-ignore-output
from cxsim.decision_widgets import decision_widget
from cxsim.lessons import start_here

decision_widget(start_here.DECISION)

# %% [markdown]
# ## Your turn: a dashboard
#
# Move the sliders. Each change re-runs one simulated day (so it answers within a second) and
# shows your policy beside the baseline. The numbers for the default settings are these:

# %%
dashboard = widgets.staffing_dashboard("contact_centre")
table, figures = dashboard.update()
table.round(2)

# %% tags=nbval-ignore-output
dashboard

# %% [markdown]
# ## Reflect
#
# - How many more callers hang up under `lean` than under `generous`? What does that cost?
# - The customer you followed: which moment decided what they remembered?
# - Utilisation is highest under `lean`, the policy that serves worst. Why is a busy team not
#   the same as good service?
#
# **Next:** `01_journeys_not_touchpoints`. The full list is in `notebooks/README.md`.
