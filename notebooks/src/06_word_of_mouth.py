# %% [markdown]
# # 06 · Word of mouth and promises
#
# **What you will do** (20 minutes)
#
# *An optional module*: after lesson 05, for a class that will use the promise lever of the
# policy challenge (lesson 09); the three-hour workshop leaves it out.
#
# 1. Watch customers talk: happy ones bring friends, unhappy ones put prospects off
#    (7 minutes).
# 2. See what an advertised promise does to expectations, and to NPS when it is broken
#    (7 minutes).
# 3. A dashboard and an exercise (6 minutes).

# %%
%matplotlib inline
import cxsim
from cxsim.lessons import word_of_mouth as lesson

# %% [markdown]
# ## The social customer
#
# The source texts claim that *every contact forms a judgment that leads to return and
# referral, or to dissatisfaction* (**Q5**), that *customers are influenced by friends' and
# other customers' experiences* (**Q13**), and that reputation and referrals drive who
# finds a firm (**N8**: the first three search results get two thirds of clicks).
#
# In the model a **promoter** (remembers 9-10) brings a friend, about a week later; a
# **detractor** (0-6) talks a prospect out of coming. At the bank both chances are small,
# 2% per call: one service call rarely brings a friend to a bank, or keeps one away.
# (Elsewhere unhappy customers talk more, Anderson 1998: the retailer's chances are 3% and
# 5%.) The bank has 36,000 customers and about 10 newcomers a day. Four weeks of the bank,
# three policies, one seeded run each:

# %%
runs = lesson.run_policies([None, "lean", "courtesy_training"], seed=0)
lesson.word_of_mouth_table(runs)

# %%
lesson.plot_new_customers(runs)

# %% [markdown]
# **Read it.** "Customers" counts those who called in the four weeks (about a quarter of
# the bank's 36,000). NPS is what they remember of every call that ended, hang-ups
# included, not a survey's answers. The three policies meet the same arrivals: the same
# prospects, about 10 a day, so only word of mouth changes how many newcomers come. Under
# `lean`, promoters bring fewer friends (<!--fact:l06_wom_referred_lean-->21<!--/fact--> against <!--fact:l06_wom_referred_baseline-->37<!--/fact-->) and detractors put more prospects
# off (<!--fact:l06_wom_putoff_lean-->66<!--/fact--> against <!--fact:l06_wom_putoff_baseline-->37<!--/fact-->): its line in the chart runs below the baseline's (233 newcomers in
# four weeks against 275). Under `courtesy_training`, promoters bring <!--fact:l06_wom_referred_training-->119<!--/fact--> friends and
# only <!--fact:l06_wom_putoff_training-->11<!--/fact--> are put off, so a few more newcomers come each day (374). But the net is
# small: <!--fact:l06_wom_net_training_signed-->+108<!--/fact--> in four weeks at best, beside 36,000 customers. At a bank, courtesy pays mostly
# through the customers who stay (lesson 05), not the friends they bring.

# %% [markdown]
# ## Promises set expectations
#
# Q13 also says customers compare what the firm *promised* with what happens. An advert
# "answered within 2 minutes" pulls every caller's expected wait towards 2 minutes (they
# believe 70% of it); a wait longer than the promise costs 1.5 points on top. We compare
# no promise, a 2-minute and a 10-minute promise: 5 paired runs of **14 days** each
# (about 3 s):

# %%
lesson.promise_table([None, 2, 10], n=5, seed=0, days=14)

# %% [markdown]
# **Read it.** The service level barely moves: the agents answer as fast as before. What
# changes is what customers *expected*, so the same waits feel worse or better.

# %% [markdown]
# ## Reflect
#
# - Marketing wants to advertise "answered within 2 minutes". What do you tell them?
# - Word of mouth is small at this bank (2% a call). In what business would it weigh more?
#   Try a higher referral chance in the dashboard below.

# %% [markdown]
# ## Dashboard
#
# A promise (or none), the chance that a promoter refers a friend, and the courtesy of
# the agents. Each change re-runs **14 days** (same seed) beside the scenario as it is.
# The default numbers first:

# %%
board = lesson.dashboard()
board.update()[0]

# %% tags=nbval-ignore-output
board

# %% [markdown]
# ## Exercise
#
# **Which promise is safe for this staffing?** Find the *shortest* promise (1, 2, 5 or 10
# minutes) that does not lower NPS compared with making no promise at all. The checker
# asks the model (5 paired runs of 14 days for each promise; a few seconds).

# %% tags=notebook-only
my_answer = 0  # <- [[change this: the promise in minutes]]
lesson.check_safe_promise(my_answer)

# %% tags=app-only,nbval-ignore-output
from cxsim.decision_widgets import answer_widget

answer_widget(lesson.check_safe_promise, number=(0, 15, 0.5), name="l06_promise")

# %% [markdown]
# ## Key takeaways
#
# - Customers talk: promoters bring customers, detractors cost customers you never see
#   (Q5, Q13, N8). How much depends on the business: at a bank one call rarely moves a
#   friend, so word of mouth is small beside the customers who stay or leave.
# - A promise is a raised expectation: promise only what your staffing keeps (Q13).
# - Courtesy pays in the memory of the customer and, a little, in the friends they bring.
