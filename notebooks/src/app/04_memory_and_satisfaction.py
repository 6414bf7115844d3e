# %% [markdown]
# # 04 · What customers remember
#
# A retailer's journeys, remembered by their worst and their last moment (**peak-end**) or
# by their **average**. Change the memory model and the courtesy of the store and of the
# support line (often the *last* touchpoint). Each move re-runs seven days beside the
# scenario as it is. CSAT and NPS are what customers remember of every journey (hang-ups
# included), not survey answers.
#
# **Try:** switch to *average*. Do CSAT and NPS rise or fall? Then raise the courtesy of
# support only: how much does the last touchpoint weigh?

# %% tags=nbval-ignore-output
from cxsim.lessons import memory

memory.dashboard()

# %% [markdown]
# The lesson behind this dashboard: `04_memory_and_satisfaction` in the workbook.
