"""The Excel logframe: one workbook per plan that round-trips (issue 7, point 3).

:mod:`.columns` is the one definition of sheets and columns; :mod:`.export` writes a plan
(or an empty template); :mod:`.reader` reads a workbook (or the open-data JSON/CSV of the
framework) into rows with cell references; :mod:`.plan_diff` compares them with the plan
(create / change / leave alone); :mod:`.apply` writes the change set through
:mod:`nap1325.plans.services`, all or nothing.
"""
