# %% [markdown]
# # 02 · Response time: the five-minute expectation, hour by hour
#
# **What you will do** (25 minutes)
#
# 1. Aside: why you can trust the simulator's queues (and the "hockey stick") · 4 min
# 2. Measure the bank's phone line against the five-minute expectation (claim N1), over the day and hour by hour · 6 min
# 3. Play with one queue: calls, agents, call length, patience · 3 min
# 4. Edit the bank's rota hour by hour and see where callers are lost · 7 min
# 5. Decide: where in the day does one more four-hour shift answer the most callers? · 5 min
#
# Run every cell with **Shift + Enter**.

# %%
%matplotlib inline
import cxsim
from cxsim.decision_widgets import decision_widget
from cxsim.lessons import response_time as lesson

# %% [markdown]
# ## Aside: can we trust the engine?
#
# Calls arrive at random. If every agent is busy the caller waits; if the wait runs
# longer than their patience, they hang up (*abandon*). For one simple queue, with a
# steady flow of calls, there is an exact textbook formula, **Erlang A**. We simulate
# such a queue (540 calls an hour, 1-minute calls, 7 to 12 agents, 5 one-day runs each)
# and put the formula beside it. If the simulator agrees here, we can trust it with the
# bank, where no formula applies (a rota, a busy morning, customers who call again).

# %%
runs = lesson.staff_sweep(staff=(7, 8, 9, 10, 11, 12), n=5, days=1)
lesson.trust_table(runs)

# %%
lesson.plot_hockey_stick(runs)

# %% [markdown]
# **Read it.** Simulation and formula agree to the second decimal (the line passes
# through the dots). And the *hockey stick*: cutting from 12 agents to 11 barely
# matters, cutting from 8 to 7 hurts a lot. With 7 agents they are busy <!--fact:l02_util_7_pct-->97<!--/fact-->% of the time: efficient for the manager,
# a long wait for the caller.
#
# ## The five-minute expectation at the bank (N1)
#
# The source text claims **N1: three quarters of customers expect service within five
# minutes** of making contact. The *service level* is the share of calls answered within
# 5 minutes, hang-ups included. The bank's phone line (`contact_centre`) over four
# weeks, under three rotas: `lean` (one agent fewer at every hour, never none), the
# bank's own rota, and `generous` (two more at every hour). CSAT is the remembered
# experience of every call, hang-ups included.

# %%
lesson.five_minute_table(days=28, seed=1)

# %% [markdown]
# Over the day the bank looks comfortable: about <!--fact:l02_five_sl_baseline-->92.0%<!--/fact--> answered within five minutes.
# But a day's average hides its hours. Below: the bank's own rota hour by hour (5 runs
# of four weeks; the bars show the mean, the thin lines a 95% interval), and the five
# hours in which most callers hang up.

# %%
by_hour = lesson.bank_by_hour(n=5, days=28, seed=1)
lesson.lost_hours(by_hour)

# %%
lesson.plot_bank_by_hour(by_hour)

# %% [markdown]
# **Read the chart.** The top panel is the share answered within five minutes, hour by
# hour, against the dashed target; the bottom panel counts the callers lost each day.
# The lowest bar is not where most callers are lost: a quiet evening hour with one agent
# can have the worst *share* while a busy midday hour, where the rota dips for lunch,
# loses more *people*.
#
# ## Play with one queue
#
# The simple queue of the aside, with the formula beside the simulation (one simulated
# day per move). Try a large call centre's peak hour (the bank's own peak is about 40
# calls an hour): 120 calls an hour, 4-minute calls,
# callers who hang up after 3 minutes on average. How many agents answer 80% within 5
# minutes? Its starting point:

# %%
table, figures = lesson.dashboard().update()
table

# %% tags=nbval-ignore-output
lesson.dashboard()

# %% [markdown]
# ## Your turn: the rota, hour by hour
#
# A rota is the lever a manager really pulls: not "one more agent" but "one more agent
# from 11:00 to 15:00". Move the sliders (agents at each hour) or type a number; the
# agent-hours and the weekly staff cost change as you go. **Run** simulates four weeks
# of your rota and of the bank's on the same customers. The drop-down **Start from**
# loads the shifts of the question below: try each.
#
# One four-week run is one month's luck: differences of a point or two in service level
# are real, but the profit of one run moves by hundreds of millions of toman with the
# customers who happen to leave. The decision below is judged on 14 paired months.

# %% tags=nbval-ignore-output
lesson.rota_editor()

# %% [markdown]
# ## Decide: where does one more shift serve the most callers?
#
# The bank can pay one more agent for four hours every day. Every shift costs the same
# (4 agent-hours a day), so the question is which four hours answer the most callers
# within five minutes. Choose a shift and press **Check**.

# %%
decision_widget(lesson.DECISION)

# %% tags=notebook-only
lesson.check_extra_shift("evening")  # <- [[change this]]

# %% [markdown]
# ## Why: hour by hour
#
# The same comparison, hour by hour: the bank's rota and three of the shifts (5 paired
# runs of four weeks each). Look at where each shift's extra agent lifts the bars, and
# how many callers it keeps from hanging up.

# %%
lesson.plot_shifts_by_hour(lesson.shifts_by_hour(("lunch", "busiest", "evening"), n=5))

# %% [markdown]
# **For fast groups.** On the one-queue dashboard above, a large call centre's peak: at 120 calls an hour, 4-minute
# calls and 3 minutes of patience, what is the fewest agents that answer 80% of calls
# within 5 minutes? (The Erlang formula and the simulation agree; the check says both.)

# %% tags=notebook-only
my_agents = 0  # <- [[change this]]
lesson.check_staff_for_target(my_agents)

# %% tags=app-only,nbval-ignore-output
from cxsim.decision_widgets import answer_widget

answer_widget(lesson.check_staff_for_target, number=(1, 20, 1), name="l02_staff_for_target")

# %% [markdown]
# ## What if our assumptions are wrong?
#
# Some numbers in this model come from no study. Below, the lesson's comparison is re-run
# with each of them set low and high, one at a time, each range with its reason. A tick
# means the conclusion survives; a cross means it reverses. These are not decisions: they
# are what we do not know about customers.

# %% tags=nbval-ignore-output
from cxsim.assumptions_view import panel

panel("02")

# %% [markdown]
# ## Key takeaways
#
# - The simulator's queues agree with the queueing formula where one exists: we can
#   trust it where none does.
# - Waiting grows slowly, then explodes as staff become fully busy (the hockey stick).
# - A day's service level hides its hours. Look at service by hour, and at where
#   callers are lost, not only at the lowest bar.
# - Put extra hours where the rota falls short of the calls (here, the lunch dip), not
#   simply at the busiest hours or the worst percentages.
#
# **Next:** `03_courtesy`: is a shorter queue worth more than a friendlier face?
