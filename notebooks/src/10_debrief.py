# %% [markdown]
# # 10 · Debrief: the class standings
#
# **For the instructor** (15 minutes, projected after the policy challenge of notebook 09)
#
# 1. Read the standings: every team's policy, re-simulated on the class's own callers (5 min).
# 2. Look at profit against satisfaction: who bought CSAT, who earned money (5 min).
# 3. Is the leader really better, or luckier? Paired differences against the leader (5 min).
#
# Every team submitted its **levers only**; the standings re-simulated each policy with the
# same replications and seeds (common random numbers), so the numbers are comparable and
# nobody could type a better one in.

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
# file, evaluated as in notebook 09 (5 replications of one week, seed 0). Up to a minute.

# %%
room = classroom.local(Path(tempfile.mkdtemp()) / "demo.sqlite",
                       config=classroom.ClassConfig(n=5, days=7, seed=0))
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
room.submit("[[Blue whales]]", Policy(extra_agents=1, promise_min=2)).message()

# %% [markdown]
# ## 1 · The standings
#
# Ranked by mean profit over the replications (million toman for the week) with its 95 %
# confidence interval; CSAT, retention, mean wait and cost beside it, and whether the policy
# kept to the weekly budget of 40 million toman. CSAT is the model's remembered experience of
# every journey (hang-ups included), not survey answers.

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
# One point per team with its intervals; the leader is the star.

# %%
room.plot()

# %% [markdown]
# ## 3 · Better, or luckier?
#
# The first three teams' intervals overlap. Every team met the same callers, so compare each
# with the leader **pair by pair**, replication by replication (as in section 4 of
# notebook 09).

# %%
top = room.evaluation(top=3)
top.differences()

# %% [markdown]
# ## Questions for the room
#
# - Which teams are distinguishable from the leader, and which could be as good with another
#   week of luck?
# - Which policy bought the most satisfaction, and what did it cost? Did it pay (Q12)?
# - Who broke the budget, and would the board accept that profit?
# - What would you change after seeing the others' levers?
