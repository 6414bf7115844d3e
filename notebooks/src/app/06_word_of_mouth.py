# %% [markdown]
# # 06 · Word of mouth and promises
#
# Choose an **advertised promise** (or none), the **chance that a promoter refers a
# friend** and the **courtesy** of the agents. Each move re-runs fourteen days beside the
# scenario as it is: long enough for referrals, who come about a week later.
#
# At a bank word of mouth is small: a promoter refers a friend with a chance of 2% per
# call. NPS is what callers remember of every call (hang-ups included), not survey
# answers.
#
# **Try:** promise an answer within one minute. Do more customers come, or fewer? What
# happens to NPS when the promise is broken? Then raise the referral chance: when does
# word of mouth start to matter?

# %% tags=nbval-ignore-output
from cxsim.lessons import word_of_mouth

word_of_mouth.dashboard()

# %% [markdown]
# The lesson behind this dashboard: `06_word_of_mouth` in the workbook.
