# %% [markdown]
# # 04 · Memory and satisfaction
#
# **What you will do** (15 minutes)
#
# 1. See how one journey can be remembered in two ways: as its **average**, or by its
#    **peak and its end** (3 minutes).
# 2. Run a shop's customer journey under both memories and compare CSAT and NPS (3 minutes).
# 3. Use a dashboard to change the levers of the store and of the support line (2 minutes).
# 4. Peak-end by hand (2 minutes), then decide: fix the worst moment or polish the end?
#    (5 minutes).
#
# The section *What a survey would show* is for when time allows, or for homework.
#
# Run each cell with **Shift + Enter**.

# %%
%matplotlib inline
import cxsim
from cxsim.lessons import memory as lesson

# %% [markdown]
# ## The idea: people remember moments, not averages
#
# The book on customer experience management says (**Q9**): *we remember only two things of
# our experiences: feelings and memories*. Our reading: not their average. Psychologists
# call this the **peak-end rule** (Kahneman and colleagues, 1993): what stays is the most intense moment
# (the best or the worst) and the last one.
#
# Every contact of a journey gets a score from 0 (awful) to 10 (delighted); 7 is a contact
# that went as expected. Here are five journeys made by hand:

# %%
lesson.hand_made_journeys()

# %% [markdown]
# **Read it.** "One bad step" averages <!--fact:l04_hand_onebad_avg-->6.25<!--/fact-->, but the customer remembers <!--fact:l04_hand_onebad_pe-->4.5<!--/fact-->: the bad
# moment weighs as much as the ending. "A good last step" averages <!--fact:l04_hand_goodlast_avg_r-->7.3<!--/fact-->, yet is remembered
# as a perfect <!--fact:l04_hand_goodlast_pe_r-->10<!--/fact-->. The last two columns answer *"how likely are you to recommend us?"*:
# 9-10 are **promoters**, 7-8 **passives**, 0-6 **detractors**. NPS = % promoters − %
# detractors.

# %%
lesson.plot_hand_made()

# %% [markdown]
# ## The model: a shop's journey under two memories
#
# The `retail_journey` scenario: customers browse the website, then buy in the store or
# online (delivery), and some call the support line, run by an outside agency with
# courtesy 0.45 (the store's own staff have 0.7). We run **7 days** with the same seed
# twice: customers who remember by peak-end, and customers who remember the average.

# %%
runs = lesson.run_memory_models(seed=0, days=7)
lesson.memory_table(runs)

# %% [markdown]
# **Read it.** The same contacts, the same customers; only the way they remember differs.
# CSAT and NPS here are what customers remember of every journey that ended in the run,
# the few callers who hung up on the support line included; they are not survey answers
# (a survey comes below). "Still under way" is the share of journeys not finished when the
# run stopped (a parcel still on its way): they have no memory yet, so CSAT, NPS and the
# three groups count finished journeys only.

# %%
lesson.plot_remembered_scores(runs)

# %% [markdown]
# ## Reflect
#
# - Under peak-end there are *more promoters and more detractors*: memories spread out.
#   Why does a single rude support call matter more under peak-end than under the average?
# - The mean remembered score and NPS hardly move, yet the promoters double and the
#   detractors grow too. NPS is promoters minus detractors: what does it hide when both grow?

# %% [markdown]
# ## What a survey would show (if time allows)
#
# The model knows what *every* customer remembers. A firm knows only what its survey brings
# back. Take a bank's phone line (`contact_centre`, 14 days, seed 1). After each call an
# agent answers, the bank texts a one-question survey. Callers who hung up in the queue are
# never asked: no agent closed their call. About 15% of those asked answer, and not at
# random: the delighted and the furious answer more often than the merely content
# (self-selection; Hu, Pavlou & Zhang 2017).

# %%
bank = lesson.survey_run(seed=1, days=14)
bank.survey_table()

# %%
cxsim.plots.plot_survey_vs_memory(bank)

# %% [markdown]
# **Read it.** Three numbers for one fortnight:
#
# - **Remembered, all journeys: about <!--fact:l04_survey_all_csat_r-->68<!--/fact-->%.** This is the CSAT the rest of this workbook
#   shows: every journey that ended, hang-ups included.
# - **Remembered, served: about <!--fact:l04_survey_served_csat_r-->72<!--/fact-->%.** Only the callers who reached an agent, the ones the
#   bank surveys. The <!--fact:l04_survey_hungup_n-->328<!--/fact--> journeys that ended in a hang-up all remember it as unsatisfying
#   (CSAT <!--fact:l04_survey_hungup_csat_r-->0<!--/fact-->%); leaving them out lifts CSAT by <!--fact:l04_survey_served_gain-->4<!--/fact--> points. (A caller who got through and
#   later hung up on another call counts in both rows.)
# - **Survey answers: about <!--fact:l04_survey_survey_csat_r-->77<!--/fact-->%.** <!--fact:l04_survey_survey_n-->708<!--/fact--> answers, about <!--fact:l04_survey_rate-->15%<!--/fact--> of the callers served. Most served
#   callers had a good call, so the extra answers from the extremes are mostly delighted
#   ones: another <!--fact:l04_survey_answer_gain-->6<!--/fact--> points.
#
# Nobody lied: each answer is what that caller felt. The survey reads higher because of
# who is asked (no hang-ups) and who answers (more of the delighted). NPS moves the same
# way: about <!--fact:l04_survey_all_nps_r-->-2<!--/fact--> for everyone, <!--fact:l04_survey_survey_nps_r-->+14<!--/fact--> in the survey.
#
# **Reflect.** Which number would you report to the board, and why? What would you add
# beside it so that the board sees the callers the survey never hears from?

# %% [markdown]
# ## Dashboard
#
# Back to the shop. Change the memory model, the courtesy of the store (and its training),
# and the support line's courtesy, first-call resolution and price (support is often the
# *last* touchpoint). Each change re-runs 7 days (same seed) beside the scenario as it is.
# First the default numbers, for reference:

# %%
board = lesson.dashboard()
board.update()[0]

# %% tags=nbval-ignore-output
board

# %% [markdown]
# ## Exercises
#
# **1. By hand.** A customer's contacts scored 8, 6, 2, 7, 9 (in this order). What do they
# remember under peak-end? (The peak is the score farthest from 7, good or bad.)

# %% tags=notebook-only
my_answer = 0  # <- [[change this to your peak-end memory]]
lesson.check_peak_end(my_answer)

# %% tags=app-only,nbval-ignore-output
from cxsim.decision_widgets import answer_widget

answer_widget(lesson.check_peak_end, number=(0, 10, 0.1), name="l04_peak_end")

# %% [markdown]
# **2. Decide: fix the worst moment or polish the end?** Peak-end says both count. Two
# ways to spend on it, each priced in the model:
#
# - **the worst moment**: more than half of the bad journeys end on a support call that
#   solved nothing.
#   The agency adds a second-level desk and solves 95% of problems at the first call
#   instead of 80%, for 175,000 instead of 150,000 toman an hour: 4.9 million a week;
# - **the end**: courtesy training for the store staff, whose sale is the last contact of
#   most store journeys: 14.7 million a week.
#
# Judged on profit over four weeks, customer equity included, 30 paired runs. Try both in
# the dashboard, then choose and press **Check**.

# %% tags=nbval-ignore-output
lesson.exercise()

# %% tags=notebook-only
lesson.check_better_fix("worst_moment")  # <- [[your answer]]

# %% [markdown]
# **Why: the rule of lesson 01.** Value = journeys reached × points added to each contact ×
# share the memory keeps × what a remembered point is worth. The column *position if
# customers averaged* shows the share an average, not peak-end, would keep:

# %%
lesson.fix_rule()

# %% [markdown]
# **Read it.** Each point the worst-moment fix adds is worth about three times more
# (<!--fact:l04_rule_worst_worth-->147,852<!--/fact--> toman against <!--fact:l04_rule_end_worth-->50,801<!--/fact-->): it lifts memories across the line below which a
# quarter of customers leave, and it halves the bad journeys. But it reaches only the
# support calls, and adds <!--fact:l04_rule_worst_size-->0.38<!--/fact--> points on average (most calls were solved already), so
# it makes <!--fact:l04_rule_worst_points-->73<!--/fact--> remembered points a week against the end's <!--fact:l04_rule_end_points-->534<!--/fact-->. Profit a week: <!--fact:l04_rule_end_profit-->12.4<!--/fact--> million for the end, <!--fact:l04_rule_worst_profit-->5.9<!--/fact--> for the worst moment. Lesson 01 chose support, lesson 04
# the store: the same rule, different sizes and prices. And if customers averaged, the
# last step would keep less (support <!--fact:l04_rule_worst_avg_position-->37%<!--/fact--> instead of <!--fact:l04_rule_worst_position-->68%<!--/fact-->): peak-end is what makes
# the end of a journey worth polishing.

# %% [markdown]
# ## What if our assumptions are wrong?
#
# Some numbers in this model come from no study. Below, the lesson's comparison is re-run
# with each of them set low and high, one at a time, each range with its reason. A tick
# means the conclusion survives; a cross means it reverses. These are not decisions: they
# are what we do not know about customers.

# %% tags=nbval-ignore-output
from cxsim.assumptions_view import panel

panel("04")

# %% [markdown]
# ## Key takeaways
#
# - Customers do not average their journey: the worst (or best) moment and the ending
#   weigh most (Q9, peak-end rule).
# - Peak-end spreads memories out: more promoters and more detractors. Neither the mean
#   score nor NPS (promoters minus detractors) shows it; look at the two groups.
# - Fix the worst moment or polish the end? Neither by principle: multiply the journeys
#   reached, the points added, the share the memory keeps, and what a point is worth.
# - A post-contact survey reads higher than what customers remember: it never asks those
#   who hung up, and the delighted answer more often. Report it beside the hang-ups.
#
# **Next:** `05_retention_and_revenue`: what a bad memory costs.
