# %% [markdown]
# # 09 · The policy challenge
#
# **What you will do** (30 minutes, in teams)
#
# 1. Design your team's policy for the bank's phone line and check it against the budget (7 min).
# 2. Try it on the dashboard, one week at a time (6 min).
# 3. Compare it fairly with doing nothing and two rivals over four weeks and 10 replications,
#    and read the ranking with its confidence intervals (10 min).
# 4. Discuss: is the winner really better, or just luckier? Why four weeks? (5 min)
# 5. Check your policy and submit it to the class standings (2 min).
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
# | `extra_agents` | agents added at every hour, day and night (negative: fewer, never below 1; lesson 05) | -2 to 5 |
# | `training` | courtesy training (lesson 03) | 0 (none) to 1 (full) |
#
# **More levers (if your class did lessons 06 and 08)**, off unless you switch them on:
#
# | lever | what it does | allowed |
# |---|---|---|
# | `promise_min` | advertise "answered within ... minutes" (lesson 06, Q13) | 1 to 15, or `None` (off) |
# | `follow_up` | call back customers after a bad journey (lesson 08) | `True` / `False` (off) |
# | `follow_up_capacity` | follow-up calls a day | 0 to 40 |
#
# Remember the source texts: **survival, growth and profit**: a relationship where only the
# customer wins and the firm loses money does not last (claim Q12).
#
# **How the challenge is judged**, here and in the class standings alike: **profit over four
# weeks (28 days)**, on 10 replications, against **doing nothing** (today's policy) on the
# same callers. Profit counts the customers a policy keeps or loses (customer equity, lesson
# 05), and four weeks give kept customers time to come back and pay: one week undervalues
# them. CSAT and retention are shown beside profit. CSAT (and NPS) is the model's remembered
# experience of every journey (hang-ups included), not survey answers.

# %% [markdown] tags=notebook-only
# ## 1 · Your policy
#
# Change the numbers below (keep the commas). Then run the cell: it prices your policy
# for one week. A value outside the allowed range gives a message naming the lever.

# %% tags=notebook-only
my_policy = Policy(extra_agents=1, training=0.25,  # <- [[change these]]
                   promise_min=None, follow_up=False, follow_up_capacity=10)  # <- [[more levers: lessons 06 and 08]]
lesson.budget_check(my_policy)

# %% [markdown]
# How the price is computed: an extra agent costs 200,000 toman an hour (24 hours a day,
# 7 days: 33.6 million toman a week); full training costs 300,000 toman per agent and day;
# a follow-up call 40,000 toman (counted as if every call is made); a promise costs nothing
# to print, but a broken one costs customers' goodwill.
#
# ## 2 · Try it on the dashboard
#
# Set the same levers on the dashboard (the promise and the follow-up calls are under
# **More levers**). Each move simulates **one week** of your policy beside the baseline
# (today's policy) with the same callers, so that it answers in a moment, and shows the
# budget left. The ranking and the check below use four weeks, as the dashboard says. The
# starting point (no change yet):

# %%
board = lesson.dashboard()
table, figures = board.update()
table

# %% tags=nbval-ignore-output
board

# %% [markdown]
# One week is one draw of luck, and too short for kept customers to pay back. Before you
# trust it, replicate over the challenge's horizon.
#
# ## 3 · The fair comparison
#
# Your policy against doing nothing and two rival teams: `more_agents` (one extra agent) and
# `full_training` (full courtesy training). Every policy is run **10 times for four weeks**,
# exactly as the class standings will run it; replication *i* of every policy meets the same
# callers (common random numbers). About half a minute.

# %%
rivals = lesson.example_rivals()
evaluation = lesson.evaluate({"[[do nothing]]": Policy(), "[[our team]]": my_policy, **rivals},
                             n=10, days=28, seed=0)
evaluation.standings()

# %% [markdown]
# The standings rank the policies by mean profit over the replications (million toman for
# the four weeks, customer equity included), with a 95 % confidence interval for each.
# Profit against CSAT:

# %%
evaluation.plot()

# %% [markdown]
# ## 4 · Better, or luckier?
#
# Most of the intervals above overlap a lot. But the policies met the same callers, so
# compare them **pair by pair**: each policy's profit minus doing nothing's, replication by
# replication.

# %%
evaluation.differences(against="[[do nothing]]")

# %% [markdown]
# A difference is **distinguishable from 0** when its interval does not contain 0. Now the
# same comparison over **one week**, the dashboard's horizon: the customers a policy keeps
# have had little time to come back and pay.

# %%
week = lesson.evaluate({"[[do nothing]]": Policy(), "[[our team]]": my_policy, **rivals},
                       n=10, days=7, seed=0)
week.differences(against="[[do nothing]]")

# %% [markdown]
# ## Reflect
#
# - Which gains over doing nothing are distinguishable from zero after four weeks? How much
#   smaller are they after one week, and why does a short horizon favour cutting costs?
# - Did the policy with the best CSAT also earn the most? When does generosity stop paying?
# - If your policy ranks first by a hair and its interval against the second includes 0,
#   what would you tell the bank's board?
#
# ## Exercises
#
# **1.** Without the computer first: what is the extra cost a week, in million toman, of one
# extra agent **and** full training? (Training is paid for every agent on the rota,
# the extra one included: today's rota has 57 staffed hours a day.)

# %% tags=notebook-only
my_cost = 0  # <- [[change this (million toman)]]
lesson.check_weekly_cost(my_cost)

# %% [markdown]
# **2. The challenge.** Is your policy within budget, and does its four-week profit beat
# doing nothing with an interval that lies above 0? The check uses the comparison of
# section 3 (10 replications of four weeks, the class standings' own).

# %% tags=notebook-only
lesson.check_challenge(evaluation, team="[[our team]]")

# %% [markdown]
# If not, change `my_policy` in section 1 and run the notebook again (menu *Run → Run All
# Cells*).
#
# ## 5 · Submit to the class standings
#
# Your policy as plain data (lever values, nothing else), with the lesson behind each lever:

# %% tags=notebook-only
lesson.policy_table(my_policy)

# %% [markdown]
# Name your team and press **Submit**. Only these levers travel: the standings re-simulate
# every team's policy themselves, on the same callers for every team and beside doing
# nothing (10 replications of four weeks, seed 0, as in section 3), so no one can type a
# better number in. Submit again to replace your entry: this notebook remembers your team's
# token (it was shown with your first submission).
#
# In a classroom your instructor gives you one line to run first, for example
# `classroom.connect("http://10.0.0.5:8765", code="tulip")`; then the button sends your policy
# to the instructor's standings page. Without it, submissions go to the file
# this machine's class store (`~/.cxsim/classroom.sqlite`), and `classroom.local().standings()` shows them.

# %% tags=nbval-ignore-output,notebook-only
classroom.submit_widget(my_policy)

# %% tags=nbval-ignore-output,app-only
lesson.challenge_controls(board)

# %% [markdown]
# ## Key takeaways
#
# - Every lever has a price: check the budget before you promise the world (Q12).
# - Judge a policy against doing nothing, on the same callers, over a horizon long enough
#   for kept customers to count.
# - One run is one draw of luck; replications with common random numbers and paired
#   differences tell a real improvement from a lucky week.
