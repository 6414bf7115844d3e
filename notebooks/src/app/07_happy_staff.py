# %% [markdown]
# # 07 · Staff morale under load
#
# A contact centre's team: choose the **calls per hour**, add **agents at every hour**
# or **train** the team. Each move re-runs ten days with the same callers; the table shows
# the KPIs and the lowest morale, the figure the load, morale and courtesy day by day.
# CSAT and NPS are the model's remembered experience of every journey (hang-ups included),
# not survey answers.
#
# **Try:** raise the demand to the top and watch the lowest morale. Which brings it back:
# more agents or training? And which helps the customers waiting in the queue?

# %% tags=nbval-ignore-output
from cxsim.lessons import staff

staff.dashboard()

# %% [markdown]
# The lesson behind this dashboard: `07_happy_staff` in the workbook.
