# %% [markdown]
# # 01 · Touchpoints against the journey
#
# A retailer: customers browse, visit the store and sometimes call support. Choose **who
# runs support** (an outside agency or your own staff), the **courtesy** of support and of
# the store, and the **staff** at each. Each move re-runs one week beside the baseline.
#
# **Try:** watch each touchpoint's own score **and** the journey's CSAT. Do they move
# together? Which touchpoint drags the journey down? (Journey CSAT is the remembered
# experience of every journey that ended, hang-ups included, not the answers of a survey.)

# %% tags=nbval-ignore-output
from cxsim.lessons import journeys

journeys.dashboard()

# %% [markdown]
# The lesson behind this dashboard: `01_journeys_not_touchpoints` in the workbook.
