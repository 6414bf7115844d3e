# %% [markdown]
# # 08 · Call them back: proactive follow-up
#
# *Optional module: after 05; 20 minutes.*
#
# **What you will do** (20 minutes)
#
# 1. Switch on follow-up calls after bad experiences and compare two weeks with and
#    without them (7 min).
# 2. Look inside: whose memory does a call change, and does it make them stay? (5 min)
# 3. Use a dashboard to size the follow-up team (8 min, with the exercise).
#
# Run every cell with **Shift + Enter**.

# %%
%matplotlib inline
import cxsim
from cxsim.lessons import follow_up as lesson

# %% [markdown]
# ## The idea
#
# The source texts give two pieces of advice: **stay in touch; when a customer is unhappy,
# call, visit, fix it: a call asking how things go "is worth a world"** (claim Q4), and
# **do not wait for complaints: go to customers and ask** (claim Q15).
#
# In the simulator, follow-up works like this. Every day, between 09:00 and 17:00 (the calls
# spread evenly), the team calls up to **10 customers** (the *capacity per day*) whose
# journey was **bad** (remembered below 5 of 10) and ended within the last **3 days** (the
# *window*), oldest first. A call lifts the remembered score by **2.5 points** and costs
# **40,000 toman**.
#
# What a call does **not** do: it adds no extra loyalty beyond the better memory. A study
# of service recovery (de Matos, Henrique & Rossi 2007) found that a well-handled complaint
# can raise *satisfaction*, but not the wish to buy again beyond what satisfaction gives.
#
# ## Two weeks, with and without follow-up
#
# The bank's phone line for 14 days, the same callers twice (same seed): once as it is,
# once with follow-up calls. Money is in million toman. CSAT and NPS are the model's
# remembered experience of every journey that ended (hang-ups included), not survey
# answers.

# %%
results = lesson.run_pair(days=14, seed=1)
lesson.kpi_comparison(results)

# %% [markdown]
# **Read it.** The first row is the share of bad journeys the team reached. The last rows
# are the bill: each call costs money. Did CSAT, retention or profit move much?
#
# ## Inside the bad journeys
#
# Bad journeys split into those the team called back and those it did not. For each group:
# the score remembered before and after the call, how many are still bad, and, among the
# customers who have already decided, the share who **left**, beside the share the
# remembered score alone predicts.

# %%
lesson.recovery_table(results["follow_up"])

# %% [markdown]
# Left: bad journeys by the day they ended, and those the team reached (dashed line: 10
# calls a day). Right: the remembered score of the called-back journeys, before and after.

# %%
lesson.plot_follow_up(results["follow_up"])

# %% [markdown]
# ## Reflect
#
# - Before the call, bad journeys score about **<!--fact:l08_in_before_r-->4.5<!--/fact-->**, just below the bad mark. Where does a
#   2.5-point call leave them? A caller who hung up after a long wait can be among them; one
#   who hung up quickly scores 5.2, is not bad, and is never called. What would help those
#   customers more?
# - For the customers called back, "left" and "left, predicted from memory" are close. What
#   does that say about the recovery paradox (de Matos et al. 2007)? (In the other column
#   nobody was called, yet the two differ more, on far fewer decisions: how big a gap can
#   chance make?)
# - On many days there are a few more bad journeys than calls (left figure). Would a longer
#   window help, or more calls?
#
# ## How many calls a day?
#
# The same two weeks with 0, 10, 20 and 40 calls a day (a few seconds):

# %%
lesson.capacity_table((0, 10, 20, 40), days=14, seed=1)

# %% [markdown]
# ## Or serve them: callbacks
#
# A caller who hung up still needs the bank. A **callback** rings them back: when an
# agent is free and **nobody is on hold**, the line calls the customers who hung up and did
# not call again (within 4 hours, at most 100 a day, 2,000 toman for the call; the agent's
# time is already paid for). About three in four answer; the others cost the agent half a
# minute and stay hang-ups. Unlike a follow-up call, a callback **serves** the customer
# (Armony & Maglaras 2004). The same two weeks three ways: as they are, with follow-up
# calls, and with callbacks:

# %%
lesson.callback_comparison(days=14, seed=1)

# %% [markdown]
# **Read it.** Compare the two remedies row by row. Which one reaches more customers, which
# lowers the yearly churn more, and what does each cost? Callbacks use the same agents: look
# at the abandonment of the callers on hold. Which would you fund first, and what would you
# watch the week after?
#
# ## Your turn: the dashboard
#
# Switch follow-up on or off, choose the calls a day (0 to 40), the window (1 to 7 days) and
# the points a call adds. Each move simulates **one week** (7 days, so it answers in a
# fraction of a second) beside the same week without follow-up. The starting point:

# %%
board = lesson.dashboard()
table, figures = board.update()
table

# %% tags=nbval-ignore-output
board

# %% [markdown]
# ## Exercise
#
# With the dashboard's week and a 3-day window: what is the **fewest calls a day** (a
# multiple of 5, as on the slider) that reaches **at least half** of the bad journeys?
# The dashboard shows one week, one draw of luck. The checker judges your answer on **20
# weeks** for each number of calls, the same callers for every number: it accepts a number
# whose weeks do not fall short of half when no smaller number clearly reaches it, and
# shows the weeks' intervals.

# %% tags=notebook-only
my_capacity = 0  # <- [[change this]]
lesson.check_capacity_for_share(my_capacity)

# %% tags=app-only,nbval-ignore-output
from cxsim.decision_widgets import answer_widget

answer_widget(lesson.check_capacity_for_share, number=(0, 40, 5), name="l08_capacity")

# %% [markdown]
# **Discussion.** At that capacity, does follow-up pay for itself in this week? Try 5
# recovery points instead of 2.5. Which would you rather buy: more calls back, or fewer
# bad journeys in the first place (lessons 02 and 07)?
#
# ## Key takeaways
#
# - A follow-up call lifts a bad memory (Q4, Q15), and a better memory keeps a few more
#   customers, but **no more than the memory itself explains** (de Matos et al. 2007).
# - Follow-up is a capacity decision: here 10 calls a day reach most bad journeys and 20
#   nearly all; the window changes little.
# - It lifts a hang-up only when the long wait made it a bad memory: a caller who hung up
#   quickly is never called. A **callback** serves the callers who hung up, with the
#   same agents: it competes with the callers on hold.
# - In this fortnight follow-up lowers the yearly churn more (from about <!--fact:l08_cb_churn_base-->8.4%<!--/fact--> to <!--fact:l08_cb_churn_fu-->6.8%<!--/fact-->,
#   against about <!--fact:l08_cb_churn_cb-->8.2%<!--/fact--> with callbacks), with <!--fact:l08_cb_fu_calls_fu-->134<!--/fact--> calls for <!--fact:l08_cap_cost_10_r-->5.4<!--/fact--> million toman that lift bad
#   memories (CSAT up from <!--fact:l08_cb_csat_base_r-->68%<!--/fact--> to <!--fact:l08_cb_csat_fu_r-->69%<!--/fact-->). Callbacks cost far less (<!--fact:l08_cb_cb_calls_cb-->273<!--/fact--> calls, about <!--fact:l08_cb_extra_cost_cb-->0.5<!--/fact-->
#   million toman) and serve most callers who hung up, but the callers on hold pay: their
#   abandonment rises from about <!--fact:l08_cb_abandon_base-->8.4%<!--/fact--> to <!--fact:l08_cb_abandon_cb-->9.6%<!--/fact-->, and CSAT dips slightly (<!--fact:l08_cb_csat_cb_r-->67%<!--/fact-->). Follow-up also
#   shows the higher profit here, and again with `seed=2`, `3` and `4`: one fortnight is one
#   draw of luck, four say more.
#
# **Next:** `09_policy_challenge`: design your own policy under a budget.
