# %% [markdown]
# # 07 · Happy staff, happy customers
#
# *Optional module: after 05; 20 minutes.*
#
# **What you will do** (20 minutes)
#
# 1. Read the two small formulas behind staff morale (3 min).
# 2. Push more calls at the bank's phone line and watch morale and courtesy day by day (7 min).
# 3. Use a dashboard to protect the team with extra agents or training (5 min).
# 4. Exercises and discussion (5 min).
#
# Run every cell with **Shift + Enter**.

# %%
%matplotlib inline
import cxsim
from cxsim.lessons import staff as lesson

# %% [markdown]
# ## The idea
#
# The book on customer experience management claims that **happy employees create happy
# customers: look after your internal customers first** (claim Q10). Researchers call this
# the *service-profit chain* (Heskett et al. 1994). Oliva & Sterman (2001) add the mechanism:
# a team that is **overloaded day after day** slowly loses heart and starts cutting corners.
#
# In the simulator every team has a **morale** between 0 and 1 (it starts at 0.75):
#
# - each evening the day's **load** (share of the shift spent busy) sets a **target**:
#   a load above 0.8 pulls the target down, courtesy **training** lifts it;
# - morale then moves about a fifth of the way towards the target (it takes days, not hours);
# - morale moves the **courtesy** agents show, and courtesy moves every caller's score.
#
# The table applies the two formulas to a few loads, with no training (0) and full training (1):

# %%
lesson.morale_table()

# %% [markdown]
# **Read it.** At a load of 0.8 or less morale stays where it is. At 0.9 the target falls
# to <!--fact:l07_formula_target_09-->0.55<!--/fact-->, but after one day morale has only slipped to <!--fact:l07_formula_09_day1_r-->0.71<!--/fact-->: the damage builds up slowly,
# and so does the repair.
#
# ## A busy fortnight
#
# Usually about 15 calls an hour reach the bank, from its old and new customers. Here
# **40 an hour** ring (almost three times as many), for 14 days, under three rotas: `lean`
# (one agent fewer at every hour, but never fewer than one), the `baseline` rota, and
# `generous` (two more at every hour). Same callers in all three (same seed). This takes a
# few seconds.

# %%
results = lesson.run_policies(demand=40, days=14, seed=1)
lesson.daily_table(results, column="morale")

# %% [markdown]
# The table shows staff morale every third day: it hardly moves (at its lowest the `lean`
# team's morale is about <!--fact:l07_kpi_morale_lean-->0.72<!--/fact-->, from 0.75). Now the key numbers of the fortnight, with the
# lowest morale of any day on top (money in million toman). CSAT and NPS here, as in every lesson, are
# the model's remembered experience of every journey that ended, hang-ups included, not
# the answers of a survey:

# %%
lesson.kpi_comparison(results)

# %% [markdown]
# ## See it
#
# Top: the day's load (dashed line: the comfortable load of 0.8). For the `lean` and
# `baseline` teams it stays near 0.8: the peak hours are swamped, but the quiet night hours
# pull the day's average down, and callers who hang up leave no work behind. Middle: morale
# barely moves. Bottom: courtesy follows morale.

# %%
lesson.plot_morale(results)

# %% [markdown]
# ## How much did morale matter?
#
# The model can answer this without assuming it: it scores every call a second time as
# if the team's morale had stayed at its reference level (0.7), with the same caller, the
# same wait and the same agent's day, and compares the two CSATs (difference in
# percentage points, with its 95% interval). Put its size beside the CSAT gap between the
# rotas in the table above:

# %%
lesson.morale_effect_table(results)

# %% [markdown]
# ## Reflect
#
# - Almost three times the usual calls, yet morale barely moves. Why? (Look at the staff
#   utilisation: the load is the share of the whole day spent busy, nights included.)
# - Morale's measured effect is small: about <!--fact:l07_effect_lean_r-->1.1<!--/fact--> CSAT points for the `lean` team
#   and <!--fact:l07_effect_generous_r-->2.5<!--/fact--> for `generous` (all the intervals lie above zero, so it is real). The
#   rotas differ by <!--fact:l07_csat_gap_baseline-->14<!--/fact--> to <!--fact:l07_csat_gap_generous-->35<!--/fact--> points. What does that say about where to act first in a crisis like
#   this one?
# - The `lean` team is only a little unhappier than the baseline team (lowest morale <!--fact:l07_kpi_morale_lean-->0.72<!--/fact-->
#   against <!--fact:l07_kpi_morale_baseline-->0.74<!--/fact-->), though it has one agent fewer at every hour. Look at the abandonment
#   rate: who took the load off the lean team, and at what price?
# - Which is the better deal for the bank here: `generous` staff cost more, but what happens
#   to CSAT, the customers who stay, and profit?
#
# ## Your turn: the dashboard
#
# Choose the demand, add agents at every hour, or train the team. Each move simulates
# **10 days** (not 14, so the dashboard answers in about a second) with the same
# callers. First, the dashboard's starting point, printed so everyone sees the same numbers:

# %%
board = lesson.dashboard()
table, figures = board.update()
table

# %% tags=nbval-ignore-output
board

# %% [markdown]
# ## Exercises
#
# **1.** From the table at the top: at what load does the morale target of an untrained
# team fall to **0.55**? Give a share between 0 and 1. (The formula has no luck in it: the
# checker tells you the target at the load you give.)

# %% tags=notebook-only
my_load = 0.5  # <- [[change this]]
lesson.check_overload_load(my_load)

# %% tags=app-only,nbval-ignore-output
from cxsim.decision_widgets import answer_widget

answer_widget(lesson.check_overload_load, number=(0, 1, 0.01), name="l07_load")

# %% [markdown]
# **2.** With the dashboard at **50 calls per hour** and no training: how many extra agents
# at every hour keep the team's morale at **0.75 or above every day** of the 10 days, where
# it started? The dashboard shows one run, one draw of luck. The checker judges your answer
# on **10 runs** of those 10 days for each number of agents, the same callers for every
# number: it accepts a number whose runs do not fall short of 0.75 when no smaller number
# clearly reaches it, and shows the runs' intervals.

# %% tags=notebook-only
my_agents = 0  # <- [[change this]]
lesson.check_agents_for_morale(my_agents)

# %% tags=app-only,nbval-ignore-output
from cxsim.decision_widgets import answer_widget

answer_widget(lesson.check_agents_for_morale, number=(0, 6, 1), name="l07_agents")

# %% [markdown]
# **3.** (Discussion) Try full training instead of extra agents. Does it keep morale up?
# Does it fix the waiting? What does each cost?
#
# ## Key takeaways
#
# - In the model, overload does not hurt morale at once: it erodes it **day by day** (the
#   table at the top), and courtesy follows.
# - In this busy fortnight the day's load stays near 0.8, so morale barely moves, and its
#   measured effect on CSAT is at most about <!--fact:l07_effect_generous_r-->2.5<!--/fact--> points, against <!--fact:l07_csat_gap_baseline-->14<!--/fact--> to <!--fact:l07_csat_gap_generous-->35<!--/fact--> between
#   the rotas: the customers suffer from the queue (long waits, hang-ups), not from a
#   tired team.
# - Looking after the team (enough staff, training) is part of looking after customers
#   (claim Q10), and here enough staff also pays: compare the profit lines (`lean` and
#   `baseline` lose heavily: at this load the bank loses customers worth more than the
#   fortnight earns; `generous` comes close to breaking even).
#
# **Next:** `08_follow_up` calls back customers after a bad experience.
