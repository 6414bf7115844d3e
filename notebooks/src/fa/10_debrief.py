# %% [markdown]
# <div dir="rtl">
#
# # ۱۰ · جمع‌بندی: جدول رتبه‌بندی کلاس
#
# **برای مدرس** (۱۵ دقیقه، روی پرده، پس از چالش سیاست‌گذاری دفترچه ۰۹)
#
# 1. جدول رتبه‌بندی را بخوانید: سیاست هر گروه، دوباره شبیه‌سازی‌شده با همان تماس‌گیرندگان کلاس (۵ دقیقه).
# 2. سود را در برابر رضایت مشتری ببینید: چه کسی رضایت مشتری خرید و چه کسی پول درآورد (۵ دقیقه).
# 3. آیا گروه اول واقعاً بهتر است، یا خوش‌شانس‌تر؟ تفاوت‌های جفت‌شده در برابر گروه اول (۵ دقیقه).
#
# هر گروه **فقط اهرم‌هایش** را فرستاده است؛ جدول رتبه‌بندی هر سیاست را با همان تکرارها و همان بذرهای
# تصادفی (اعداد تصادفی مشترک) دوباره شبیه‌سازی کرده است، پس عددها با هم مقایسه‌پذیرند و هیچ‌کس نمی‌توانست
# عدد بهتری را دستی وارد کند.
#
# </div>

# %%
%matplotlib inline
import tempfile
from pathlib import Path

import cxsim
cxsim.set_language("fa")
from cxsim import classroom
from cxsim.lessons.challenge import Policy

# %% [markdown]
# <div dir="rtl">
#
# ## ارسال‌ها کجا هستند
#
# - **یک رایانه** (حالت پیش‌فرض): دکمه ارسال در دفترچه ۰۹ در پرونده `cxsim-classroom.sqlite` در پوشه
#   دفترچه‌ها می‌نویسد؛ آن را با `room = classroom.local()` بخوانید.
# - **سرویس کلاس** (`python -m cxsim classroom serve --code tulip`): آن را از راه شبکه با
#   `room = classroom.connect("http://127.0.0.1:8765", code="tulip")` بخوانید، یا انباره آن را مستقیم، حتی
#   پس از متوقف شدن سرویس، با `room = classroom.local("cxsim-classroom.sqlite", code="tulip")` (یا نشانی
#   `--db`).
#
# برای اینکه این دفترچه چیزی برای نشان دادن داشته باشد، پنج گروه نمونه سیاستشان را به یک پرونده موقت
# می‌فرستند و مانند دفترچه ۰۹ ارزیابی می‌شوند (۵ تکرار یک‌هفته‌ای، بذر ۰). تا یک دقیقه.
#
# </div>

# %%
room = classroom.local(Path(tempfile.mkdtemp()) / "demo.sqlite",
                       config=classroom.ClassConfig(n=5, days=7, seed=0))
examples = {
    "Blue whales": Policy(extra_agents=1),
    "Charm & call": Policy(training=1.0, follow_up=True, follow_up_capacity=20),
    "Lean & promise": Policy(extra_agents=-1, promise_min=5),
    "Balanced": Policy(extra_agents=1, training=0.1, follow_up=True, follow_up_capacity=10),
    "Big spenders": Policy(extra_agents=4, training=1.0),
}
for team, policy in examples.items():
    room.submit(team, policy)

# %% [markdown]
# <div dir="rtl">
#
# هر گروه می‌تواند دوباره بفرستد: سیاست تازه جای قبلی را می‌گیرد و تاریخچه همه ارسال‌ها را نگه می‌دارد.
#
# </div>

# %%
room.submit("Blue whales", Policy(extra_agents=1, promise_min=2)).message()

# %% [markdown]
# <div dir="rtl">
#
# ## ۱ · جدول رتبه‌بندی
#
# مرتب‌شده بر پایه میانگین سود در تکرارها (به میلیون تومان برای یک هفته)، همراه فاصله اطمینان ۹۵٪ آن؛ در
# کنارش رضایت مشتری، حفظ مشتری، میانگین انتظار و هزینه، و اینکه آیا سیاست در بودجه هفتگی ۴۰ میلیون تومانی
# مانده است یا نه.
#
# </div>

# %%
room.standings()

# %% [markdown]
# <div dir="rtl">
#
# اهرم‌های هر گروه، به همان ترتیب، و همه ارسال‌هایی که انجام شده است:
#
# </div>

# %%
room.policies()

# %%
room.history(times=False)

# %% [markdown]
# <div dir="rtl">
#
# ## ۲ · سود در برابر رضایت مشتری
#
# برای هر گروه یک نقطه همراه فاصله‌های اطمینانش؛ گروه اول با ستاره نشان داده شده است.
#
# </div>

# %%
room.plot()

# %% [markdown]
# <div dir="rtl">
#
# ## ۳ · بهتر، یا خوش‌شانس‌تر؟
#
# فاصله‌های سه گروه نخست هم‌پوشانی دارند. همه گروه‌ها با تماس‌گیرندگان یکسانی روبه‌رو شدند، پس هر گروه را
# با گروه اول **جفت‌به‌جفت** و تکرار به تکرار مقایسه کنید (مانند بخش ۴ دفترچه ۰۹).
#
# </div>

# %%
top = room.evaluation(top=3)
top.differences()

# %% [markdown]
# <div dir="rtl">
#
# ## پرسش‌هایی برای کلاس
#
# - کدام گروه‌ها از گروه اول متمایزند، و کدام‌ها با یک هفته بخت دیگر می‌توانستند به همان خوبی باشند؟
# - کدام سیاست بیشترین رضایت مشتری را خرید، و به چه بهایی؟ آیا به صرفه بود (Q12)؟
# - چه کسی از بودجه بیرون زد، و آیا هیئت‌مدیره آن سود را می‌پذیرد؟
# - پس از دیدن اهرم‌های دیگران، چه چیزی را تغییر می‌دادید؟
#
# </div>
