"""
The benchmark harness behind ``make bench`` (docs/performance.md).

``bench.run`` seeds (once) and serves the national five-year data set, drives the
load generator (``bench.loadgen``, a separate process) against it and checks the
burst of report submissions (``bench.burst``); ``bench.stats`` holds the arithmetic.
Nothing here runs in production: the floor view (``bench.views``) is routed only
when ``BENCH`` is on.
"""

# The centre whose pages are measured: the coordinator "koordinator" and volunteer
# "frivillig" of the demo data (a plain constant: bench.run reads it before Django is set up).
CENTRE_NAME = "Nykøbing Mors"
