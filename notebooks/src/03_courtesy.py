# %% [markdown]
# # 03 · Courtesy or a shorter queue? The cheapest way to satisfied passengers
#
# **What you will do** (20 minutes)
#
# 1. Turn the airport claim (N5) into a budget question · 3 min
# 2. See what each lever buys: courtesy training or lanes, cost against satisfaction · 6 min
# 3. Check hour by hour where the queue builds and what each lever changes · 4 min
# 4. Try the levers yourself on a dashboard · 3 min
# 5. Decide: the cheapest plan that reaches the airport's target · 4 min
#
# Run every cell with **Shift + Enter**.

# %%
%matplotlib inline
import cxsim
from cxsim.decision_widgets import decision_widget
from cxsim.lessons import courtesy as lesson

# %% [markdown]
# ## The question
#
# The source texts claim that a rude employee hurts the business however skilled they
# are (**Q1**), and that customers are dissatisfied when they miss courteous behaviour
# (**Q2**). They cite an airport study (**N5**): *passengers' satisfaction depended more
# on how security staff behaved than on the time spent in the queue.* **We could not
# trace that study**, so we treat it as a question for the budget: **what buys
# satisfaction most cheaply, courtesy or speed?**
#
# The scenario `airport_security`: 40 passengers an hour on average, a morning and an
# evening wave, lanes opened by the waves, staff courtesy 0.6 of 1 (as courteous as
# passengers expect). A passenger passes security once and chooses a flight, not an
# airport: a happier passenger brings the airport no money. Its books here are its
# **costs**, and the airport sets a target instead: **80% of passengers satisfied** (CSAT,
# the share who remember the departure at 7 of 10 or more). Two levers, each with a price:
#
# - **lanes**: a lane costs 200,000 toman an hour (its officer);
# - **courtesy training**: 300,000 toman a day for each officer on the payroll; full
#   training raises courtesy by 0.25 (half training by half as much).
#
# The model's answer rests on one assumption above all: **how much courtesy weighs in a
# passenger's score** (5 points between a rude and a perfect officer) against the ten
# minutes passengers expect to wait. Nobody has measured it; keep that in mind as you read.

# %% [markdown]
# ## What each lever buys
#
# Each plan below runs on the same 20 weeks of passengers (paired runs, computed in
# advance): today, one lever at a time, priced. The cost is the extra spend over today
# in a week; the interval shows the luck of 20 weeks.

# %%
lesson.shown_lever_table()

# %%
lesson.plot_cost_against_csat()

# %% [markdown]
# **Read the chart.** Moving right costs money; moving up pleases passengers. Full
# training lifts CSAT from <!--fact:l03_today_csat-->57.4%<!--/fact--> to <!--fact:l03_full_csat-->78.0%<!--/fact--> for <!--fact:l03_full_cost-->14.7<!--/fact--> million toman a week;
# one more lane at every hour reaches only <!--fact:l03_every_csat-->72.5%<!--/fact--> for <!--fact:l03_every_cost-->26.6<!--/fact--> million. Here N5
# holds: per point of CSAT, courtesy is the cheaper lever, because most passengers already
# wait less than they expect. Lanes are dear only where nobody queues: one lane in the
# evening wave alone costs <!--fact:l03_evening_point-->0.99<!--/fact--> million a point, lanes at every hour <!--fact:l03_every_point-->1.76<!--/fact-->.
# **No single lever reaches 80%.**
#
# ## Hour by hour: where does the queue build?
#
# A daily average can hide the hours that matter (and the hours nobody uses). Two runs
# of a week for today, full training and the evening lane, by the hour passengers reach
# security (about 10 seconds):

# %%
by_hour = lesson.hourly_frame(n=2, days=7)
lesson.plot_by_hour(by_hour)

# %% [markdown]
# **Read the chart.** The queue builds after each wave, worst in the evening (17:00-21:00),
# when two or three lanes face the second wave. One more lane there cuts the evening wait and
# lifts CSAT in those hours only; training lifts every hour with passengers, the night's
# too. From midnight to 04:00 a lane stays open with no departures: it costs the same in
# every plan, so it does not change the comparison (whether security must stay open at
# night is a question the model cannot answer).
#
# ## Your turn: the dashboard
#
# The dashboard has exactly the levers of the decision below: the **lane plan** and
# **courtesy training** (0, half, full). It runs one week beside today (money in million
# toman; one week is one draw of luck, the decision judges on twenty). Find a plan that
# reaches 80% and note its total cost; then look for a cheaper one.

# %% tags=nbval-ignore-output
lesson.dashboard()

# %% [markdown]
# ## Decide: the cheapest way to 80%
#
# Eight plans, priced. Pick the one that reaches CSAT of at least 80% at the lowest
# cost, and press **Check**. The verdict is judged on the same 20 paired weeks: a plan
# whose whole CSAT interval lies below 80% misses the target; among the rest, the
# cheapest wins (a plan's cost is certain, its CSAT is not).

# %%
decision_widget(lesson.DECISION)

# %% tags=notebook-only
lesson.check_cheapest_fix("full_training")  # <- [[change this]]

# %% [markdown]
# ## What if our assumptions are wrong?
#
# Some numbers in this model come from no study. Below, the lesson's comparison is re-run
# with each of them set low and high, one at a time, each range with its reason. A tick
# means the conclusion survives; a cross means it reverses. These are not decisions: they
# are what we do not know about customers.
#
# Courtesy wins here only if courtesy weighs enough and training works well enough: N5 is
# a hypothesis the model cannot settle on its own.

# %% tags=nbval-ignore-output
from cxsim.assumptions_view import panel

panel("03")

# %% [markdown]
# ## Key takeaways
#
# - When satisfaction earns nothing directly, compare options by what they cost to reach a target.
# - In this model courtesy buys the first points most cheaply (N5 holds while the queue is
#   within expectations); beyond what training can give, buy lanes where the queue builds,
#   not at every hour.
# - Check by hour: a daily average hides the evening queue and the empty night lane.
# - The answer rests on an assumption nobody has measured, the weight of courtesy: with a
#   lighter one, lanes win. A claim without a traceable study is a hypothesis to test
#   before you budget for it.
#
# **Next:** `04`: what customers remember of a whole journey.
