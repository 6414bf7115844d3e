# %% [markdown]
# # 09 · The policy challenge
#
# **What you will do** (30 minutes, in teams)
#
# 1. Design your team's policy for the bank's phone line and check it against the budget (8 min).
# 2. Try it on the dashboard, one week at a time (7 min).
# 3. Compare it fairly with two rival policies over several replications and read the
#    ranking with its confidence intervals (10 min).
# 4. Discuss: is the winner really better, or just luckier? (5 min)
# 5. Submit your policy to the class standings (2 min).
#
# Run every cell with **Shift + Enter**.

# %%
%matplotlib inline
import cxsim
from cxsim.lessons import challenge as lesson
from cxsim.lessons.challenge import Policy
from cxsim import classroom

# %% [markdown]
# ## The brief
#
# You run the bank's phone line (`contact_centre`). You may spend up to **40 million toman
# a week** on top of today's costs. Your levers, each learnt in an earlier lesson:
#
# | lever | what it does | allowed |
# |---|---|---|
# | `extra_agents` | agents added at every hour, day and night (negative: fewer, never below 1) | -2 to 5 |
# | `training` | courtesy training (lesson 07) | 0 (none) to 1 (full) |
# | `promise_min` | advertise "answered within ... minutes" (Q13) | 1 to 15, or `None` |
# | `follow_up` | call back customers after a bad journey (lesson 08) | `True` / `False` |
# | `follow_up_capacity` | follow-up calls a day | 0 to 40 |
#
# Remember the source texts: **survival, growth and profit**: a relationship where only the
# customer wins and the firm loses money does not last (claim Q12). The winner is the
# policy with the **highest profit**; CSAT and retention are shown beside it. CSAT (and NPS)
# is the model's remembered experience of every journey (hang-ups included), not survey
# answers.

# %% [markdown]
# ## 1 · Your policy
#
# Change the numbers below (keep the commas). Then run the cell: it prices your policy
# for one week. A value outside the allowed range gives a message naming the lever.

# %%
my_policy = Policy(extra_agents=1, training=0.0, promise_min=2,
                   follow_up=False, follow_up_capacity=10)  # <- [[change these]]
lesson.budget_check(my_policy)

# %% [markdown]
# How the price is computed: an extra agent costs 200,000 toman an hour (24 hours a day,
# 7 days: 33.6 million toman a week); full training costs 300,000 toman per agent and day;
# a follow-up call 40,000 toman (counted as if every call is made); a promise costs nothing
# to print, but a broken one costs customers' goodwill.
#
# ## 2 · Try it on the dashboard
#
# Set the same levers on the dashboard. Each move simulates **one week** (7 days) of your
# policy beside the baseline (today's policy) with the same callers, and shows the budget
# left. The starting point (no change yet):

# %%
board = lesson.dashboard()
table, figures = board.update()
table

# %% tags=nbval-ignore-output
board

# %% [markdown]
# One week is one draw of luck. Before you trust it, replicate.
#
# ## 3 · The fair comparison
#
# Your policy against today's baseline and two rival teams: `more_agents` (one extra agent)
# and `charm_and_call` (full training and 20 follow-up calls a day). Every policy is run
# **5 times for one week**; replication *i* of every policy meets the same callers (common
# random numbers). About 10 seconds.

# %%
rivals = lesson.example_rivals()
evaluation = lesson.evaluate({"[[baseline]]": Policy(), "[[our team]]": my_policy, **rivals},
                             n=5, days=7, seed=0)
evaluation.standings()

# %% [markdown]
# The standings rank the policies by mean profit over the replications (million toman for
# the week), with a 95 % confidence interval for each. Profit against CSAT:

# %%
evaluation.plot()

# %% [markdown]
# ## 4 · Better, or luckier?
#
# Most of the intervals above overlap a lot. But the policies met the same callers, so
# compare them **pair by pair**: each policy's profit minus the baseline's, replication by
# replication.

# %%
evaluation.differences(against="[[baseline]]")

# %% [markdown]
# A difference is **distinguishable from 0** when its interval does not contain 0. Now the
# same comparison with more evidence: 10 replications of **two weeks** (more callers, and
# more of them have decided to stay or leave). Up to a minute.

# %%
longer = lesson.evaluate({"[[baseline]]": Policy(), "[[our team]]": my_policy, **rivals},
                         n=10, days=14, seed=0)
longer.differences(against="[[our team]]")

# %% [markdown]
# ## Reflect
#
# - Which differences were distinguishable from zero after one week, and which after two?
#   Paired differences are sharpest between similar policies (`our team` and `more_agents`
#   differ only by the promise), where the same callers' luck cancels; between very
#   different policies they add little to the standings here. Why?
# - Did the policy with the best CSAT also earn the most? When does generosity stop paying?
# - If your policy ranks first by a hair and its interval against the second includes 0,
#   what would you tell the bank's board?
#
# ## Exercises
#
# **1.** Without the computer first: what is the extra cost a week, in million toman, of one
# extra agent **and** full training? (Training is paid for every agent on the rota,
# the extra one included: today's rota has 57 staffed hours a day.)

# %%
my_cost = 0  # <- [[change this (million toman)]]
lesson.check_weekly_cost(my_cost)

# %% [markdown]
# **2. The challenge.** Is your policy within budget, and does its two-week profit beat
# `more_agents` with an interval that excludes 0?

# %%
lesson.check_challenge(longer, team="[[our team]]", rival="more_agents")

# %% [markdown]
# If not, change `my_policy` in section 1 and run the notebook again (menu *Run → Run All
# Cells*).
#
# ## 5 · Submit to the class standings
#
# Your policy as plain data (lever values, nothing else):

# %%
my_policy.to_dict()

# %% [markdown]
# Name your team and press **Submit**. Only these levers travel: the standings re-simulate
# every team's policy themselves, on the same callers for every team (5 replications of one
# week, seed 0, as in section 3), so no one can type a better number in. Submit again to
# replace your entry: this notebook remembers your team's token (it was shown with your
# first submission).
#
# In a classroom your instructor gives you one line to run first, for example
# `classroom.connect("http://10.0.0.5:8765", code="tulip")`; then the button sends your policy
# to the instructor's standings page. Without it, submissions go to the file
# this machine's class store (`~/.cxsim/classroom.sqlite`), and `classroom.local().standings()` shows them.

# %% tags=nbval-ignore-output
classroom.submit_widget(my_policy)

# %% [markdown]
# ## Key takeaways
#
# - Every lever has a price: check the budget before you promise the world (Q12).
# - One run is one draw of luck; replications with common random numbers and paired
#   differences tell a real improvement from a lucky week.
# - The best policy is the one that keeps customers **and** pays: CSAT alone does not decide.
