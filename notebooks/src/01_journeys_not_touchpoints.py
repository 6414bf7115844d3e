# %% [markdown]
# # 01 · Journeys, not touchpoints
#
# **What you will do** (15 minutes)
#
# 1. Read a retailer's touchpoint dashboard and set it beside the whole journey · 4 min
# 2. Check, as a sceptic, that the picture is not an artefact · 2 min
# 3. Move service levers on a dashboard and watch both levels · 3 min
# 4. Decide: one improvement budget, which touchpoint do you fix? And the rule behind
#    the answer · 6 min
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
# **The touchpoint view.** Waits are short: the store and the support line answer almost
# every customer within five minutes, and almost nobody gives up. A queue report would
# say "all fine". Now the score of every contact (0-10), touchpoint by touchpoint, and
# then for the whole journey:

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
# Move the levers: who runs support (agency or own staff), support courtesy, agents and
# what the agency charges, store courtesy, training and staff: every answer of the
# decision below has its lever here. Watch the touchpoint's own score **and** journey
# CSAT, and the cost and profit of the week: do they move together?

# %% tags=nbval-ignore-output
lesson.dashboard()

# %% [markdown]
# ## Is it an artefact? The sceptic's check
#
# Before we believe the table, three questions a sceptical trainee asks. Do shoppers
# queue at a locked store at night? Do the bad journeys come from one odd hour? And the
# website and the delivery have no staff: the model scores them 7 ± 1, a random draw that
# no lever touches (price, product and late parcels are not modelled). How much of the
# "bad" is that noise?

# %%
lesson.artefact_checks(result)

# %% [markdown]
# **Read it.** Nobody queues at a closed store (<!--fact:l01_check_closed-->0%<!--/fact--> of store visits): a shopper who
# comes at night returns when it opens. But about <!--fact:l01_check_noise-->36%<!--/fact--> of the bad journeys have a
# self-service step as their worst moment: a delivery drawn below 5 by chance. No decision
# below touches them; keep them in mind when you read a bad-journey rate.
#
# ## Decide: one improvement budget, which touchpoint do you fix?
#
# You have 10 to 20 million toman a week. Five answers, each priced in the model:
#
# - **nothing**: keep the money;
# - **store, one more salesperson** at every open hour: 19.6 million a week;
# - **store, courtesy training** for the sales staff (courtesy 0.7 → about 0.95):
#   14.7 million a week;
# - **support, one more agent** at every open hour: 14.7 million a week;
# - **support, a better agency contract**: courtesy 0.45 → 0.7 for 200,000 instead of
#   150,000 toman an hour, 9.8 million a week.
#
# The model judges them on **profit over four weeks**, customer equity included
# (customers kept, friends brought, prospects put off, each at their lifetime value),
# with 24 paired runs. Try the levers in the dashboard above first, then choose and press
# **Check**.

# %% tags=nbval-ignore-output
lesson.exercise()

# %% tags=notebook-only
lesson.check_best_touchpoint("store_staff")  # <- [[your answer]]

# %% [markdown]
# ## Why: one rule for "which touchpoint?"
#
# What a fix is worth = **journeys it reaches** × **points it adds to each contact** ×
# **the share the memory keeps** (its position: under peak-end a contact that is the
# last one, or the most intense one (best or worst), counts half each) × **what a remembered point is worth**
# (customers kept, friends brought). Per week:

# %%
lesson.fix_rule()

# %% [markdown]
# **Read it.** More staff reach many journeys but add almost nothing to a contact: the
# queues are already short (<!--fact:l01_rule_store_staff_size-->0.03<!--/fact--> points at the store). Training reaches the
# most journeys, <!--fact:l01_rule_store_reach-->543<!--/fact--> a week, and adds <!--fact:l01_rule_store_size-->1.1<!--/fact--> points; the store is the end
# of most store journeys, so the memory keeps <!--fact:l01_rule_store_position-->90%<!--/fact--> of it. The agency contract
# reaches half as many (<!--fact:l01_rule_support_reach-->281<!--/fact-->) but each of its points is worth about twice as much
# (<!--fact:l01_rule_support_worth-->108,489<!--/fact--> toman against <!--fact:l01_rule_store_worth-->48,697<!--/fact-->): it lifts memories near the bad line, where a
# quarter of customers leave, and it costs less. Profit a week: <!--fact:l01_rule_support_profit-->15.7<!--/fact--> million
# for the contract, <!--fact:l01_rule_store_profit-->11.3<!--/fact--> for training; the runs cannot tell the two apart with
# certainty, and both beat doing nothing.
#
# **The sceptic again:** does the contract's gain sit in one segment or one hour?

# %%
lesson.gain_by_segment_and_hour("support_contract")

# %% [markdown]
# Both segments and every band of the day gain; the closed hours count only the
# journeys that began then and met the store or support after it opened.

# %% [markdown]
# ## What if our assumptions are wrong?
#
# Some numbers in this model come from no study. Below, the lesson's comparison is re-run
# with each of them set low and high, one at a time, each range with its reason. A tick
# means the conclusion survives; a cross means it reverses. These are not decisions: they
# are what we do not know about customers.

# %% tags=nbval-ignore-output
from cxsim.assumptions_view import panel

panel("01")

# %% [markdown]
# ## Key takeaways
#
# - Good touchpoint averages can hide a disappointing journey: problems add up (Q7, Q11).
# - Customers remember peaks and ends, not averages (Q9): one bad step spoils a journey.
# - Which touchpoint to fix follows one rule: journeys reached × points added × share
#   the memory keeps × what a remembered point is worth. A fix that reaches few journeys
#   can win if it lifts memories near the point where customers leave (Q14: the
#   outsourced line); a queue that is already short is worth nothing to shorten.
# - Check the picture before you believe it: by hour, by segment, and for noise.
#
# **Next:** `02_response_time`: queues, staffing and the five-minute expectation.
