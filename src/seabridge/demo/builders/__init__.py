"""How the demo world is written: one module per case, one per part the cases share.

:mod:`.organisations` (headquarters, importers, dealers, people), :mod:`.catalogue`
(each maker's brand, product lines, variants and plant), :mod:`.agreements` (one
agreement through the services, many in bulk, the dealers'), :mod:`.rates`; then the
cases: :mod:`.zhengzhou_nissan` (the memorandum, Zhongjiang's local companies, the
plan, and after the vehicles the sample orders and milestones), :mod:`.jac` (132
importers) and :mod:`.nezha` (Nezha International and its distributors).
:func:`seabridge.demo.world.world_build` calls them in order; the tables they write
come from :mod:`seabridge.demo.data`.
"""
