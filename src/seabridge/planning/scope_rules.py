"""Plans are sales records of their brand spanning several markets.

The brand owner sees and works on its plans; the grantee of the agreement a plan
serves is a party to it and works on it too (both approve). A grant of the brand in
one market does not reveal a plan (it holds targets for other markets too).
"""

from seabridge.core.scope import OWNER, Action, Area, ScopeRule, register
from seabridge.planning.models import PlanMilestone, PlanPhase, SalesPlan, Target


def _plan_rule(prefix: str) -> ScopeRule:
    both = (OWNER, "party")
    return ScopeRule(
        area=Area.SALES,
        brand=f"{prefix}brand",
        relations={"party": f"{prefix}agreement__grantee"},
        sees=("party",),
        writes={Action.CHANGE: both, Action.APPROVE: both, Action.DELETE: both},
        grants_reveal=False,
    )


register(SalesPlan, _plan_rule(""))
for model in (PlanPhase, Target, PlanMilestone):
    register(model, _plan_rule("plan__"))
