# %% [markdown]
# # 03 · Courtesy or a shorter queue? The airport question
#
# Airport security: about 40 passengers an hour. Move the **courtesy of security staff**,
# add **lanes at every hour**, buy **courtesy training** (it raises courtesy by up to 0.25
# and costs money) or change the **passengers per hour**. Each move re-runs five days
# beside the baseline; money is in million toman. Passengers pass once and the airport
# earns nothing at security: its books are its costs. CSAT is the remembered experience of
# every passenger who passed, not the answers of a survey.
#
# **Try:** set training to 1, then instead add one lane. Which lifts CSAT more, and
# which buys a CSAT point more cheaply? Now set 55 passengers an hour: does courtesy
# still win?

# %% tags=nbval-ignore-output
from cxsim.lessons import courtesy

courtesy.dashboard()

# %% [markdown]
# The lesson behind this dashboard: `03_courtesy` in the workbook.
