# %% [markdown]
# <div dir="rtl">
#
# # ۰۹ · چالش سیاست‌گذاری
#
# **در این درس چه می‌کنید** (۳۰ دقیقه، به صورت گروهی)
#
# 1. سیاست گروهتان را برای خط تلفن بانک طراحی می‌کنید و آن را با بودجه می‌سنجید (۸ دقیقه).
# 2. آن را روی داشبورد، هر بار برای یک هفته، امتحان می‌کنید (۷ دقیقه).
# 3. آن را منصفانه با سیاست دو گروه رقیب در چندین تکرار مقایسه می‌کنید و رتبه‌بندی را همراه فاصله‌های
#    اطمینانش می‌خوانید (۱۰ دقیقه).
# 4. گفت‌وگو: آیا برنده واقعاً بهتر است، یا فقط خوش‌شانس‌تر؟ (۵ دقیقه)
#
# هر سلول را با **Shift + Enter** اجرا کنید.
#
# </div>

# %%
%matplotlib inline
import cxsim
cxsim.set_language("fa")
from cxsim.lessons import challenge as lesson
from cxsim.lessons.challenge import Policy
#
# ## The brief
#
# You run the bank's phone line (`contact_centre`). You may spend up to **30 million toman
# a week** on top of today's costs. Your levers, each learnt in an earlier lesson:
#
# | lever | what it does | allowed |
# |---|---|---|
# | `extra_agents` | agents added at every hour from 08:00 to 18:00 (negative: fewer) | -2 to 5 |
# | `training` | courtesy training (lesson 07) | 0 (none) to 1 (full) |
# | `promise_min` | advertise "answered within ... minutes" (Q13) | 1 to 15, or `None` |
# | `follow_up` | call back customers after a bad journey (lesson 08) | `True` / `False` |
# | `follow_up_capacity` | follow-up calls a day | 0 to 40 |
#
# Remember the source texts: **survival, growth and profit**: a relationship where only the
# customer wins and the firm loses money does not last (claim Q12). The winner is the
# policy with the **highest profit**; CSAT and retention are shown beside it.

# %% [markdown]
# <div dir="rtl">
#
# ## شرح مأموریت
#
# (همین شرح به انگلیسی، به صورت توضیح، در سلول کد بالا هم آمده است.)
#
# شما خط تلفن بانک (`contact_centre`) را اداره می‌کنید و می‌توانید افزون بر هزینه‌های امروز، تا **۳۰ میلیون
# تومان در هفته** خرج کنید. اهرم‌های شما، که هر کدام را در درسی پیشین آموخته‌اید:
#
# | اهرم | چه می‌کند | بازه مجاز |
# |---|---|---|
# | `extra_agents` | کارشناس اضافه در هر ساعت از ۸ صبح تا ۶ عصر (عدد منفی: کارشناس کمتر) | از منفی ۲ تا ۵ |
# | `training` | آموزش حسن رفتار (درس ۰۷) | ۰ (هیچ) تا ۱ (دوره کامل) |
# | `promise_min` | تبلیغ «پاسخ‌گویی در کمتر از … دقیقه» (Q13) | ۱ تا ۱۵، یا `None` |
# | `follow_up` | تماس با مشتریان پس از یک سفر بد (درس ۰۸) | `True` / `False` |
# | `follow_up_capacity` | تعداد تماس‌های پیگیری در روز | ۰ تا ۴۰ |
#
# متن‌های منبع را به یاد داشته باشید: **«اصل بقا، اصل رشد و اصل سود»**؛ رابطه‌ای که فقط به برد مشتری
# بینجامد و زیان شرکت را در پی داشته باشد، کوتاه‌مدت است (ادعای Q12). برنده، سیاستی است که **بیشترین سود** را
# بدهد؛ رضایت مشتری و حفظ مشتری در کنار آن نشان داده می‌شوند.
#
# ## ۱ · سیاست شما
#
# عددهای زیر را تغییر دهید (ویرگول‌ها را نگه دارید و عددها را با رقم لاتین بنویسید). سپس سلول را اجرا کنید:
# هزینه سیاست شما را برای یک هفته حساب می‌کند. مقداری بیرون از بازه مجاز، پیامی می‌دهد که نام اهرم را
# می‌گوید.
#
# </div>

# %%
my_policy = Policy(extra_agents=2, training=0.0, promise_min=2,
                   follow_up=False, follow_up_capacity=10)  # <- change these
lesson.budget_check(my_policy)

# %% [markdown]
# <div dir="rtl">
#
# هزینه این‌گونه حساب می‌شود: هر کارشناس اضافه ساعتی ۲۰۰٬۰۰۰ تومان (۱۰ ساعت در روز، ۷ روز)؛ آموزش کامل
# برای هر کارشناس روزی ۳۰۰٬۰۰۰ تومان؛ هر تماس پیگیری ۴۰٬۰۰۰ تومان (با این فرض که همه تماس‌ها گرفته
# می‌شوند)؛ چاپ یک وعده هزینه‌ای ندارد، اما وعده شکسته به قیمت حسن‌نیت مشتریان تمام می‌شود.
#
# ## ۲ · آن را روی داشبورد امتحان کنید
#
# همان اهرم‌ها را روی داشبورد تنظیم کنید. هر تغییر **یک هفته** (۷ روز) از سیاست شما را در کنار وضع موجود
# (سیاست امروز) و با تماس‌گیرندگان یکسان شبیه‌سازی می‌کند و بودجه باقی‌مانده را نشان می‌دهد. نقطه شروع
# (هنوز بدون هیچ تغییری):
#
# </div>

# %%
board = lesson.dashboard()
table, figures = board.update()
table

# %% tags=nbval-ignore-output
board

# %% [markdown]
# <div dir="rtl">
#
# یک هفته فقط یک قرعه از بخت است. پیش از آنکه به آن اعتماد کنید، تکرارش کنید.
#
# ## ۳ · مقایسه منصفانه
#
# سیاست شما در برابر وضع موجود امروز و دو گروه رقیب: `more_agents` (دو کارشناس اضافه) و `charm_and_call`
# (آموزش کامل و ۲۰ تماس پیگیری در روز). هر سیاست **۵ بار و هر بار برای یک هفته** اجرا می‌شود؛ تکرار *i*ام
# هر سیاست با همان تماس‌گیرندگان روبه‌رو می‌شود (اعداد تصادفی مشترک). حدود ۲ ثانیه.
#
# </div>

# %%
rivals = lesson.example_rivals()
evaluation = lesson.evaluate({"baseline": Policy(), "our team": my_policy, **rivals},
                             n=5, days=7, seed=0)
evaluation.standings()

# %% [markdown]
# <div dir="rtl">
#
# جدول رتبه‌بندی، سیاست‌ها را بر پایه میانگین سود در تکرارها (به میلیون تومان برای یک هفته) مرتب می‌کند و
# برای هر کدام یک فاصله اطمینان ۹۵٪ می‌دهد. سود در برابر رضایت مشتری:
#
# </div>

# %%
evaluation.plot()

# %% [markdown]
# <div dir="rtl">
#
# ## ۴ · بهتر، یا خوش‌شانس‌تر؟
#
# فاصله‌های بالا هم‌پوشانی زیادی دارند. اما سیاست‌ها با تماس‌گیرندگان یکسانی روبه‌رو شدند، پس آن‌ها را
# **جفت‌به‌جفت** مقایسه کنید: سود هر سیاست منهای سود وضع موجود، تکرار به تکرار.
#
# </div>

# %%
evaluation.differences(against="baseline")

# %% [markdown]
# <div dir="rtl">
#
# تفاوتی **متمایز از صفر** است که فاصله اطمینانش عدد ۰ را در بر نگیرد. حالا همین مقایسه با شواهد بیشتر:
# ۱۰ تکرار، هر کدام **دو هفته** (تا مشتریانی که بازمی‌گردند فرصت بازگشت داشته باشند). حدود ۸ ثانیه.
#
# </div>

# %%
longer = lesson.evaluate({"baseline": Policy(), "our team": my_policy, **rivals},
                         n=10, days=14, seed=0)
longer.differences(against="our team")

# %% [markdown]
# <div dir="rtl">
#
# ## تأمل کنید
#
# - کدام تفاوت‌ها پس از یک هفته از صفر متمایز بودند، و کدام پس از دو هفته؟ چرا تفاوت‌های جفت‌شده فاصله‌های
#   باریک‌تری از فاصله‌های جدول رتبه‌بندی دارند؟
# - آیا سیاستی که بهترین رضایت مشتری را داشت، بیشترین سود را هم به دست آورد؟ سخاوت از کجا دیگر به صرفه نیست؟
# - اگر سیاست شما با اختلافی به باریکی یک مو اول شود و فاصله اطمینانش در برابر دومی عدد ۰ را در بر بگیرد، به
#   هیئت‌مدیره بانک چه می‌گویید؟
#
# ## تمرین‌ها
#
# **۱.** نخست بدون رایانه: هزینه اضافه هفتگی دو کارشناس اضافه **و** آموزش کامل، به میلیون تومان، چقدر است؟
# (آموزش برای همه کارشناسان برنامه شیفت پرداخت می‌شود، از جمله کارشناسان اضافه: برنامه شیفت امروز روزانه
# ۵۷ ساعت کارشناس دارد.) پاسخ را با رقم لاتین و نقطه اعشار بنویسید.
#
# </div>

# %%
my_cost = 0  # <- change this (million toman)
lesson.check_weekly_cost(my_cost)

# %% [markdown]
# <div dir="rtl">
#
# **۲. چالش.** آیا سیاست شما در محدوده بودجه است، و آیا سود دوهفته‌ای آن از `more_agents` بیشتر است، با
# فاصله اطمینانی که ۰ را در بر نمی‌گیرد؟
#
# </div>

# %%
lesson.check_challenge(longer, team="our team", rival="more_agents")

# %% [markdown]
# <div dir="rtl">
#
# اگر نه، `my_policy` را در بخش ۱ تغییر دهید و دفترچه را دوباره اجرا کنید (منوی *Run → Run All Cells*).
# سپس سیاست خود را برای جدول رتبه‌بندی کلاس، به صورت یک dict بنویسید (سلول زیر).
#
# ## نکته‌های کلیدی
#
# (همین نکته‌ها به انگلیسی، به صورت توضیح، در سلول کد زیر هم آمده است.)
#
# - هر اهرمی بهایی دارد: پیش از آنکه دنیا را وعده دهید، بودجه را بسنجید (Q12).
# - یک اجرا فقط یک قرعه از بخت است؛ تکرارها با اعداد تصادفی مشترک و تفاوت‌های جفت‌شده، بهبود واقعی را از
#   یک هفته خوش‌شانس جدا می‌کنند.
# - بهترین سیاست آن است که مشتریان را نگه دارد **و** سود بدهد: رضایت مشتری به‌تنهایی تعیین‌کننده نیست.
#
# </div>

# %%
my_policy.to_dict()
#
# ## Key takeaways
#
# - Every lever has a price: check the budget before you promise the world (Q12).
# - One run is one draw of luck; replications with common random numbers and paired
#   differences tell a real improvement from a lucky week.
# - The best policy is the one that keeps customers **and** pays: CSAT alone does not decide.
