# %% [markdown]
# # 02 · Response time: one phone queue
#
# One busy phone queue (540 calls an hour). Move the **agents on duty**, the **mean call
# length** and the callers' **patience**. Each move re-runs one day; the table shows the
# simulation beside the Erlang A formula.
#
# **Try:** remove one agent at a time. When does the wait explode, and how many callers
# give up?

# %% tags=nbval-ignore-output
from cxsim.lessons import response_time

response_time.dashboard()

# %% [markdown]
# The lesson behind this dashboard: `02_response_time` in the workbook.
