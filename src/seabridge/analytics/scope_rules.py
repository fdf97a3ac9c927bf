"""Facts are sales records of their brand in their market, as the vehicles behind them.

Nobody writes them through the scope: the lifecycle keeps them exact in the same
transaction as every vehicle event.
"""

from seabridge.analytics.models import DailyFact, MonthlyFact, YearlyFact
from seabridge.core.scope import Area, ScopeRule, register

for model in (DailyFact, MonthlyFact, YearlyFact):
    register(model, ScopeRule(area=Area.SALES, brand="brand", market="market"))
