# %% [markdown]
# # 08 · Calling customers back after a bad experience
#
# Switch **follow-up calls** on or off, choose the **calls a day** (0 to 40), the
# **window** (call within 1 to 7 days) and the **points a call adds** to a customer's
# memory. Each move re-runs one week beside the same week without follow-up. CSAT and NPS
# are the model's remembered experience of every journey (hang-ups included), not survey
# answers.
#
# **Try:** is it better to call more customers late, or fewer customers soon?

# %% tags=nbval-ignore-output
from cxsim.lessons import follow_up

follow_up.dashboard()

# %% [markdown]
# The lesson behind this dashboard: `08_follow_up` in the workbook.
