# %% [markdown]
# # 02 · Response time: queues, staff and the five-minute expectation
#
# **What you will do** (25 minutes)
#
# 1. Check the simulator against a textbook queueing formula (Erlang A) · 5 min
# 2. See the "hockey stick": why a team that is almost always busy makes customers wait · 5 min
# 3. Measure the share of callers answered within five minutes (claim N1) · 5 min
# 4. Play with agents, call length and patience on a live dashboard · 5 min
# 5. Exercise: staff the busiest hour · 5 min
#
# Run every cell with **Shift + Enter**.

# %%
%matplotlib inline
import cxsim
from cxsim import plots
from cxsim.lessons import response_time as lesson

# %% [markdown]
# ## The concept: a queue
#
# Calls arrive at random. If every agent is busy, the caller waits; if the wait runs
# longer than their patience, they hang up (*abandon*). The source text claims
# **N1: three quarters of customers expect service within five minutes** of making
# contact, so the *service level* here is the share of calls answered within 5 minutes.
#
# For one simple queue (steady calls, random call lengths, impatient callers) there is
# an exact formula, **Erlang A**. Our scenario `erlang_check` is such a queue:
# 540 calls an hour, 1-minute calls, callers who hang up after 2 minutes on average,
# 10 agents. If the simulator is right, it must agree with the formula.
#
# Below we simulate 7 to 12 agents, 5 runs of one day each (a few seconds).

# %%
runs = lesson.staff_sweep(staff=(7, 8, 9, 10, 11, 12), n=5, days=1)
lesson.simulation_vs_theory(runs).head(8)

# %% [markdown]
# **Observe.** Each simulated mean comes with a 95% confidence interval (CI) from the
# 5 runs. The last column says whether the formula lies inside it. The chart shows all
# six staffing levels:

# %%
plots.plot_simulation_vs_theory(runs)

# %% [markdown]
# ## The hockey stick
#
# Cutting one agent from 12 to 11 barely matters; cutting from 8 to 7 hurts a lot.
# On the right, the same numbers against *utilisation* (how busy agents are): above
# about 90% busy the wait shoots up. A fully busy team is not an efficient team: it is
# a team whose customers wait.

# %%
lesson.plot_hockey_stick(runs)

# %% [markdown]
# ## The five-minute expectation (N1)
#
# Back to the bank's phone line (`contact_centre`), one week, three rotas:
# `lean` (one agent fewer at every hour, never fewer than one), the baseline and
# `generous` (two more at every hour).
# How many callers are answered within five minutes, and how satisfied are they? (CSAT, as
# everywhere in this workbook, is the remembered experience of every call that ended,
# hang-ups included, not the answers of a survey.)

# %%
lesson.five_minute_table(days=7, seed=1)

# %%
lesson.plot_five_minutes(days=7, seed=1)

# %% [markdown]
# **Read the chart.** Each curve is the share of calls answered within the wait on the
# horizontal axis; the dashed line is five minutes. A curve levels off below 100%
# because some callers hung up.
#
# ## Your turn: the dashboard
#
# First the starting point, the `erlang_check` queue with 10 agents (one simulated
# day, so each slider move takes a fraction of a second):

# %%
table, figures = lesson.dashboard().update()
table

# %% [markdown]
# Now move the sliders: agents, mean call length and callers' patience. The table
# shows the simulation beside the Erlang A formula.

# %% tags=nbval-ignore-output
lesson.dashboard()

# %% [markdown]
# ## Reflect
#
# - With 7 agents utilisation is near <!--fact:l02_util_7_pct-->97<!--/fact-->%. Is that good news for the manager? For the caller?
# - Make callers more patient (10 minutes). Fewer hang up, but what happens to the wait? Why?
#
# ## Exercise: staff the busiest hour
#
# In the bank's busiest hour, **120 calls** arrive, a call lasts **4 minutes** on average
# and callers hang up after **3 minutes** on average. What is the **smallest number of
# agents** that answers **80% of calls within 5 minutes**? Change the number and run
# the cell; the checker also shows what the simulation and the formula give for your
# number.

# %%
my_answer = 5  # <- [[change this]]
lesson.check_staff_for_target(my_answer)

# %% [markdown]
# ## Key takeaways
#
# - A queue is predictable on average: simulation and the Erlang formula agree.
# - Waiting grows slowly, then explodes as staff become fully busy (the hockey stick).
# - The five-minute expectation (N1) is met or missed at the busy hours: staff for the peak.
# - Impatient callers hide a queue: they hang up instead of waiting, and most of them are
#   gone (about a third call again later, into the same queue).
#
# **Next:** `03_courtesy`: is a shorter queue worth more than a friendlier face?
