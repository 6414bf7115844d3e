# %% [markdown]
# # 01 · Journeys, not touchpoints
#
# **What you will do** (20 minutes)
#
# 1. Read a retailer's touchpoint dashboard: website, store, delivery, support · 5 min
# 2. Set it beside what customers remember of the whole journey · 5 min
# 3. Move service levers on a dashboard and watch both levels · 5 min
# 4. Exercise: which touchpoint matters most for the journey? · 5 min
#
# Run every cell with **Shift + Enter**.

# %%
%matplotlib inline
import cxsim
from cxsim.lessons import journeys as lesson

# %% [markdown]
# ## The concept
#
# The source texts claim that employees can do well at each touchpoint while the whole
# journey still disappoints (**Q7**), that experience forms at every touchpoint, from
# before purchase to after use (**Q11**), and that when the whole journey works,
# satisfaction is much higher (**N3**: "73% higher" in health insurance; we could not
# trace that number, so we illustrate the idea rather than reproduce it).
#
# Two reasons the journey is worse than its parts:
#
# - **Problems add up.** A customer meets three or four touchpoints; each has a small
#   chance of going wrong, so the chance that *something* goes wrong is larger.
# - **Memory is not an average** (Q9). Customers remember the most intense moment and
#   the end (the *peak-end rule*), so one bad step weighs more than several fine ones.
#
# The scenario `retail_journey`: shoppers browse the **website**, buy in the **store** or
# online, wait for the **delivery**, and some call **support**, run by an outside agency.
# We simulate two weeks (seed 1, about half a second).

# %%
result = cxsim.simulate("retail_journey", seed=1, days=14)
result.kpis(by="touchpoint")[["arrivals", "mean_wait_min", "service_level", "abandonment_rate"]].round(2)

# %% [markdown]
# **The touchpoint view.** Waits are short, the store and the support line answer most
# customers within five minutes. Now the score of every contact (0-10), touchpoint by
# touchpoint, and then for the whole journey:

# %%
table = lesson.touchpoint_vs_journey(result)
table

# %% [markdown]
# **Read the rows.**
#
# - The touchpoints (top four rows) score between about <!--fact:l01_support_score_r-->6.7<!--/fact--> and <!--fact:l01_store_score_r-->8.3<!--/fact--> out of 10 on average.
#   Support, run by the agency, has by far the most bad contacts (<!--fact:l01_support_bad_pct-->13<!--/fact-->%); at the other
#   three, <!--fact:l01_store_bad_pct-->1<!--/fact--> to <!--fact:l01_website_bad_pct-->2<!--/fact-->% are bad.
# - *all contacts*: of all contacts, <!--fact:l01_contacts_bad_pct-->3<!--/fact-->% were bad.
# - *journey: step by step*: only <!--fact:l01_stepwise_sat_pct-->40<!--/fact-->% of journeys were satisfying at **every**
#   step, and <!--fact:l01_stepwise_bad_pct-->6<!--/fact-->% contained at least one bad step, twice the share of bad contacts:
#   problems add up.
# - *journey as remembered*: <!--fact:l01_memory_bad_pct-->2<!--/fact-->% of journeys are remembered as bad, against almost none
#   (<!--fact:l01_tp_average_bad-->0.00<!--/fact-->) if you average each journey's steps: peak-end memory punishes the one bad
#   step. (It is still fewer than the <!--fact:l01_contacts_bad_pct-->3<!--/fact-->% of contacts that were bad: bad steps are rare
#   in this shop.) This row's "satisfied" share is the *journey CSAT* of the rest of the
#   lesson: the remembered experience of every journey that ended, hang-ups included, not
#   the answers of a survey.

# %%
lesson.plot_touchpoint_vs_journey(table)

# %% [markdown]
# ## Reflect
#
# - A manager gets a monthly report per touchpoint. Which number would never appear in it?
# - Support is run by an agency (Q14). Who do customers blame when it goes wrong?
#
# ## Your turn: the dashboard
#
# The starting point with the support agency's courtesy raised from 0.45 to 0.9 (one
# seeded week, beside the baseline):

# %%
numbers, figures = lesson.dashboard().update(support_courtesy=0.9)
numbers

# %% [markdown]
# Move the levers: who runs support (agency or own staff), support courtesy, support
# agents, store courtesy, store staff. Watch the touchpoint's own score **and** journey
# CSAT: do they move together?

# %% tags=nbval-ignore-output
lesson.dashboard()

# %% [markdown]
# ## Exercise: which touchpoint matters most?
#
# Suppose you can train the staff of **one** touchpoint until their courtesy is 0.9.
# Which touchpoint lifts **journey CSAT** the most: `"website"`, `"store"`, `"delivery"`
# or `"support"`? Type its name in quotes. The checker runs the model (about a second).

# %%
my_answer = "website"  # <- [[change this]]
lesson.check_best_touchpoint(my_answer)

# %% [markdown]
# ## Key takeaways
#
# - Good touchpoint averages can hide a disappointing journey: problems add up (Q7, Q11).
# - Customers remember peaks and ends, not averages (Q9): one bad step spoils a journey.
# - Measure the journey as customers live it, not only each department's own score (N3).
# - The weakest link, even one few customers meet (an outsourced support line), can
#   matter more than the busiest touchpoint (Q14).
#
# **Next:** `02_response_time`: queues, staffing and the five-minute expectation.
