"""Plans are sales records of their brand spanning several markets.

The brand owner sees and works on its plans; the grantee of the agreement a plan
serves is a party to it. A grant of the brand in one market does not reveal a
plan (it holds targets for other markets too).
"""

from seabridge.core.scope import Area, ScopeRule, register
from seabridge.planning.models import PlanMilestone, PlanPhase, SalesPlan, Target

register(
    SalesPlan,
    ScopeRule(area=Area.SALES, brand="brand", party="agreement__grantee", grants_reveal=False),
)
for model in (PlanPhase, Target, PlanMilestone):
    register(
        model,
        ScopeRule(
            area=Area.SALES,
            brand="plan__brand",
            party="plan__agreement__grantee",
            grants_reveal=False,
        ),
    )
