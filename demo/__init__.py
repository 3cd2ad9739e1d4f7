"""The demo data set (``manage.py seed_demo``): development and benchmarks only, never
production. It sits just under the project package: it writes every app's tables and
no app imports it."""
