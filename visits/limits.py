"""
Sane maxima for the numbers a volunteer types on the phone. The model fields carry
them as validators, so the HTML forms, the API serializers and the phone's own
checks (which read them from the page) share one set of rules.
"""

MAX_PEOPLE = 500  # people met at one café
MAX_ITEMS = 2000  # meals, food bags, clothing or other items at one café
MAX_REFERRALS = 100  # referrals of one kind at one café or home visit
MAX_VOLUNTEER_MINUTES = 24 * 60  # all volunteers' time at one café
MAX_VISIT_MINUTES = 12 * 60  # how long one café or home visit lasts
NOTE_MAX_LENGTH = 500
HOME_VISIT_MAX_AGE_DAYS = 366  # how far back a home visit may be logged
