# %% [markdown]
# # 00 · Staffing a phone line
#
# A bank's phone line for one simulated day. Move the sliders: **extra agents at every
# hour**, the **mean handle time** of a call and the **seed** (which day's luck). Each move
# re-runs the day and shows your policy beside the baseline (the line as it is, same
# callers), then the queue hour by hour. CSAT is the remembered experience of every call
# that ended, hang-ups included, not the answers of a survey.
#
# **Try:** take two agents away. How many more callers hang up? Then add two: does the
# wait fall as much as it rose?

# %% tags=nbval-ignore-output
from cxsim import widgets

widgets.staffing_dashboard("contact_centre")

# %% [markdown]
# The lesson behind this dashboard: `00_start_here` in the workbook.
