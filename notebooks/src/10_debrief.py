# %% [markdown]
# # 10 · Debrief: the class standings
#
# **For the instructor** (20 minutes, projected after the policy challenge of notebook 09)
#
# 1. Read the standings against doing nothing: every team's policy, re-simulated on the
#    class's own callers (7 min).
# 2. Look at profit against satisfaction: who bought CSAT, who earned money, who broke the
#    budget (5 min).
# 3. Is the leader really better, or luckier? Paired differences against the leader (5 min).
# 4. What would you change after seeing the others' levers? (3 min)
#
# Every team submitted its **levers only**; the standings re-simulated each policy with the
# same replications and seeds (common random numbers), and **doing nothing** (today's
# policy) on the same callers, so the numbers are comparable and nobody could type a better
# one in.

# %%
%matplotlib inline
import tempfile
from pathlib import Path

import cxsim
from cxsim import classroom
from cxsim.lessons.challenge import Policy

# %% [markdown]
# ## Where the submissions are
#
# - **One machine** (the default): the Submit button of notebook 09 writes to
#   the machine's class store (`~/.cxsim/classroom.sqlite`); read it with `room = classroom.local()`.
# - **A classroom service** (`python -m cxsim classroom serve --code tulip`): read it over the
#   network with `room = classroom.connect("http://127.0.0.1:8765", code="tulip")`, or its
#   store directly, even after the service has stopped, with
#   `room = classroom.local(code="tulip")` (or the `--db` URL).
#
# So that this notebook has something to show, five example teams submit to a temporary
# file, evaluated as in notebook 09 and the class standings (10 replications of four weeks,
# seed 0). About a minute.

# %%
room = classroom.local(Path(tempfile.mkdtemp()) / "demo.sqlite",
                       config=classroom.ClassConfig(n=10, days=28, seed=0))
examples = {
    "[[Blue whales]]": Policy(extra_agents=1),
    "[[Charm & call]]": Policy(training=1.0, follow_up=True, follow_up_capacity=20),
    "[[Lean & promise]]": Policy(extra_agents=-1, promise_min=5),
    "[[Balanced]]": Policy(extra_agents=1, training=0.1, follow_up=True, follow_up_capacity=10),
    "[[Big spenders]]": Policy(extra_agents=4, training=1.0),
}
for team, policy in examples.items():
    room.submit(team, policy)

# %% [markdown]
# A team may submit again: its entry is replaced, and the history keeps every submission.

# %%
room.submit("[[Blue whales]]", Policy(extra_agents=1, promise_min=2))

# %% [markdown]
# ## 1 · The standings, against doing nothing
#
# Ranked by mean profit over the replications (million toman for four weeks, customer equity
# included: the criterion and horizon of notebook 09) with its 95 % confidence interval.
# **Do nothing** is today's policy on the same callers: it has no rank, it is the bar. Beside
# profit: each team's profit minus doing nothing, paired replication by replication, and what
# its interval says (a team whose interval lies below 0 lost money by acting); CSAT,
# retention, mean wait and cost; and whether the policy kept to the weekly budget of 40
# million toman. CSAT is the model's remembered experience of every journey (hang-ups
# included), not survey answers.

# %%
room.standings()

# %% [markdown]
# Each team's levers, in the same order, and every submission made:

# %%
room.policies()

# %%
room.history(times=False)

# %% [markdown]
# ## 2 · Profit against satisfaction
#
# One point per team with its intervals, each team in its own colour; the leader is the star,
# a hollow marker broke the budget, the blue diamond and the dashed line are doing nothing.

# %%
room.plot()

# %% [markdown]
# ## 3 · Better, or luckier?
#
# Every team met the same callers, so compare each with the leader **pair by pair**,
# replication by replication (as in section 4 of notebook 09), from the runs the standings
# already made.

# %%
room.differences()

# %% [markdown]
# ## Questions for the room
#
# - Who beat doing nothing beyond luck, and who lost money by acting?
# - Which teams are distinguishable from the leader, and which could be as good with another
#   month of luck?
# - Which policy bought the most satisfaction, and what did it cost? Did it pay (Q12)?
# - Who broke the budget, and would the board accept that profit?
# - What would you change after seeing the others' levers?
#
# In the room, the instructor's page of the standings service (`/instructor`, with the key
# the service printed) hides or renames a team, closes submissions, freezes the standings
# while teams work and reveals them here, or starts a fresh class.
