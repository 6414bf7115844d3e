# %% [markdown]
# # 00 · Start here
#
# **What you will do** (10 minutes)
#
# 1. Load a simulated firm: a bank's phone line over one working day.
# 2. Run it once and read its key numbers.
# 3. Compare three staffing policies.
#
# Every cell below is run with **Shift + Enter**. Nothing here needs programming:
# the cells call the `cxsim` package, which does the simulating.

# %%
%matplotlib inline
import cxsim

# %% [markdown]
# ## The firm
#
# A *scenario* describes the world: who calls, when, how many agents answer, how long
# a call takes and how long callers are willing to wait before hanging up.

# %%
scenario = cxsim.load_scenario("contact_centre")
print(scenario.description)
print("Agents on duty by hour:", scenario.touchpoint("phone").hourly_staff)

# %% [markdown]
# ## One simulated day
#
# The simulation follows every caller: when they ring, how long they wait, whether they
# are answered or hang up. A *seed* fixes the luck of the day, so everyone in the room
# sees the same numbers.

# %%
result = cxsim.simulate(scenario, seed=1)
result.kpi_table()

# %% [markdown]
# **Read it.** The *service level* is the share of callers answered within five minutes:
# three quarters of customers expect no longer (claim N1 of the source texts). The
# *abandonment rate* is the share who gave up waiting.

# %% [markdown]
# ## Three staffing policies
#
# The scenario names two alternatives to its rota: `lean` (two agents fewer at the busy
# hours) and `generous` (two more). Same callers, same day, different staffing:

# %%
import pandas as pd

pd.DataFrame({policy or "baseline": cxsim.simulate(scenario, policy=policy, seed=1).kpi_table()
              for policy in [None, "lean", "generous"]})

# %% [markdown]
# ## Reflect
#
# - How many more callers hang up under `lean` than under `generous`?
# - Utilisation stays high under every policy. Why is a busy team not the same as good service?
#
# **Next:** `02_response_time` looks at queues and waiting in detail.
