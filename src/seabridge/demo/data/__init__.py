"""The demo world's fixed tables: names, dates and figures, never code that writes.

One module per case (:mod:`.zhengzhou_nissan`, :mod:`.jac`, :mod:`.nezha`: each maker's
catalogue, outlets, agreements' dates and wholesale periods; case 1's memorandum and
plan too), one per kind of data the cases share (:mod:`.organisations`,
:mod:`.people`, :mod:`.rates`, :mod:`.shipping`), and :mod:`.common` for the row types
the tables are written in and the few values every case uses.
"""
