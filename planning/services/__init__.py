"""
Every change a coordinator makes to a centre's plan, one module per job:
visit_edit (one visit: add, move, cancel, restore, held, van; the version check),
assignments (people on a visit), route_order (a day's driving order), roster (the
stops and their order, on and off the roster), patterns (weekly patterns and the
visits that follow them).
"""
