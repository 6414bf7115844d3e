# %% [markdown]
# # 09 · Your team's policy
#
# Design a policy under a weekly budget: agents, training, a promise, follow-up calls.
# Each move re-runs one week of your policy beside today's, with the same callers, and
# shows the budget left. CSAT and NPS are the model's remembered experience of every journey
# (hang-ups included), not survey answers.
#
# **Try:** find the policy with the highest profit that keeps CSAT up and stays within
# budget. One week is one draw of luck: the workbook's lesson replicates it before you
# trust it.

# %% tags=nbval-ignore-output
from cxsim.lessons import challenge

challenge.dashboard()

# %% [markdown]
# The lesson behind this dashboard: `09_policy_challenge` in the workbook.
