# %% [markdown]
# # 05 · When does generosity pay?
#
# A contact centre and the firm's books. Add **agents at every hour**, buy **courtesy
# training** or change the **monthly margin** of a regular customer. Each move
# re-runs seven days beside the scenario as it is; money is in million toman. CSAT is
# what callers remember of every call (hang-ups included), not survey answers.
#
# **Try:** add agents one at a time. Does profit keep rising, or does it turn? Does a
# higher monthly margin change your answer?

# %% tags=nbval-ignore-output
from cxsim.lessons import retention

retention.dashboard()

# %% [markdown]
# The lesson behind this dashboard: `05_retention_and_revenue` in the workbook.
