"""
The burst of report submissions: what to send, and the accounting afterwards.

Pure functions (no Django, no HTTP), so the plan and the check are unit tested
(tests/bench/test_burst.py). ``bench.run`` sends the plan through the load
generator and hands the answers and the database's reports to ``check_burst``.

The plan: ``total`` submissions, of which a share are resends (the same
``submission_id`` and numbers as an earlier one, as a phone does when an answer
was lost) and some are conflicts (another submission for a visit that already
has one, without naming a version). Resends and conflicts come later in the
sequence than their original, but with many clients in flight they may still
race it; the check therefore does not depend on the order the server saw.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ORIGINAL, RESEND, CONFLICT = "original", "resend", "conflict"
# The earliest place a resend or conflict may follow its original, in submissions.
MIN_GAP = 50


@dataclass(frozen=True)
class Submission:
    """One PUT of a report: the visit, the phone's submission id and its numbers."""

    visit_id: int
    submission_id: str
    people_met: int
    meals: int
    referrals: tuple[tuple[int, int], ...]
    kind: str

    def numbers(self) -> tuple:
        """What the stored report must hold if this submission won."""
        return (self.people_met, self.meals, tuple(sorted(self.referrals)))

    def body(self) -> dict:
        """The JSON body of ``PUT /api/v1/visits/<id>/report/``."""
        return {
            "submission_id": self.submission_id,
            "people_met": self.people_met,
            "new_people": 0,
            "meals": self.meals,
            "volunteer_minutes": 120,
            "note": "Benchmark",
            "referrals": [{"service_type": s, "count": c} for s, c in self.referrals],
        }


def plan_burst(
    visit_ids: Sequence[int],
    *,
    total: int = 2000,
    resend_share: float = 0.1,
    conflicts: int = 50,
    service_type_ids: Sequence[int] = (),
    seed: int = 7,
) -> list[Submission]:
    """
    ``total`` submissions in sending order: ``round(total * resend_share)`` resends,
    ``conflicts`` conflicts, and one original for each of the first
    ``total - resends - conflicts`` visits of ``visit_ids`` (ValueError if too few).
    """
    rng = random.Random(seed)
    resends = round(total * resend_share)
    originals = total - resends - conflicts
    if originals <= 0 or resends < 0 or conflicts < 0:
        raise ValueError("the burst needs more submissions than resends and conflicts")
    if len(visit_ids) < originals:
        raise ValueError(f"the burst needs {originals} visits, {len(visit_ids)} were given")
    first = []
    for visit_id in visit_ids[:originals]:
        referrals = ()
        if service_type_ids and rng.random() < 0.4:
            referrals = ((rng.choice(service_type_ids), rng.randint(1, 3)),)
        first.append(
            Submission(
                visit_id=visit_id,
                submission_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                people_met=rng.randint(1, 30),
                meals=rng.randint(0, 30),
                referrals=referrals,
                kind=ORIGINAL,
            )
        )
    rng.shuffle(first)
    # Sort keys: an original at its place, a follower somewhere after its original.
    keyed: list[tuple[float, Submission]] = [(float(i), s) for i, s in enumerate(first)]
    span = len(first) + MIN_GAP

    def later_than(place: int) -> float:
        return rng.uniform(min(place + MIN_GAP, span - 1), span)

    for _ in range(resends):
        place = rng.randrange(len(first))
        keyed.append((later_than(place), _with_kind(first[place], RESEND)))
    for place in rng.sample(range(len(first)), min(conflicts, len(first))):
        original = first[place]
        rival = Submission(
            visit_id=original.visit_id,
            submission_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            people_met=original.people_met + 1,
            meals=original.meals,
            referrals=(),
            kind=CONFLICT,
        )
        keyed.append((later_than(place), rival))
    keyed.sort(key=lambda pair: pair[0])
    return [submission for _key, submission in keyed]


def _with_kind(submission: Submission, kind: str) -> Submission:
    return Submission(
        submission.visit_id,
        submission.submission_id,
        submission.people_met,
        submission.meals,
        submission.referrals,
        kind,
    )


@dataclass(frozen=True)
class Answer:
    """The server's answer to one submission: HTTP status (0: no answer) and the
    ``submission_id`` of the report in the body (the stored one, also in a 409)."""

    status: int
    submission_id: str | None = None


@dataclass(frozen=True)
class StoredReport:
    """A report as the database holds it after the burst."""

    visit_id: int
    submission_id: str
    people_met: int
    meals: int
    referrals: tuple[tuple[int, int], ...] = ()

    def numbers(self) -> tuple:
        return (self.people_met, self.meals, tuple(sorted(self.referrals)))


@dataclass
class BurstCheck:
    """The outcome: ``ok`` when there is no problem; counts by status and kind."""

    problems: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    visits: int = 0
    reports: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_burst(
    plan: Sequence[Submission],
    answers: Sequence[Answer],
    stored: Iterable[StoredReport],
    *,
    pool: Iterable[int] | None = None,
) -> BurstCheck:
    """
    Whether the database holds exactly the expected reports after the burst:

    - every submission was answered 200, 201 or 409 (no 5xx, no lost answer);
    - every visit sent to holds exactly one report, made by one of the submissions
      sent for it, with that submission's numbers and referrals;
    - that submission got exactly one 201; its resends got 200 or 201 (never 409);
      every other submission for the visit got 409 with the stored report;
    - no visit of ``pool`` that was not sent to has a report (nothing invented), and
      no report appears twice.
    """
    result = BurstCheck()
    if len(answers) != len(plan):
        result.problems.append(f"{len(plan)} submissions sent but {len(answers)} answers")
    result.statuses = dict(Counter(answer.status for answer in answers))
    result.kinds = dict(Counter(submission.kind for submission in plan))
    for status, count in sorted(result.statuses.items()):
        if status not in (200, 201, 409):
            result.problems.append(f"{count} answers with HTTP {status or 'none'}")

    by_visit: dict[int, list[tuple[Submission, Answer]]] = defaultdict(list)
    for submission, answer in zip(plan, answers, strict=False):
        by_visit[submission.visit_id].append((submission, answer))
    reports: dict[int, list[StoredReport]] = defaultdict(list)
    for report in stored:
        reports[report.visit_id].append(report)
    result.visits = len(by_visit)
    result.reports = sum(len(found) for found in reports.values())

    for visit_id, sent in by_visit.items():
        found = reports.get(visit_id, [])
        if len(found) != 1:
            result.problems.append(f"visit {visit_id}: {len(found)} reports stored, expected 1")
            continue
        report = found[0]
        winners = [s for s, _a in sent if s.submission_id == report.submission_id]
        if not winners:
            result.problems.append(f"visit {visit_id}: the stored report is none of those sent")
            continue
        if winners[0].numbers() != report.numbers():
            result.problems.append(f"visit {visit_id}: stored numbers differ from those sent")
        _check_answers(visit_id, sent, report.submission_id, result.problems)

    for visit_id in set(pool or ()) - set(by_visit):
        if reports.get(visit_id):
            result.problems.append(f"visit {visit_id}: a report although nothing was sent")
    seen = Counter(r.submission_id for found in reports.values() for r in found)
    twice = [sid for sid, count in seen.items() if count > 1]
    if twice:
        result.problems.append(f"{len(twice)} submissions stored more than once")
    return result


def _check_answers(
    visit_id: int,
    sent: list[tuple[Submission, Answer]],
    winner: str,
    problems: list[str],
) -> None:
    created = 0
    for submission, answer in sent:
        if answer.status == 201:
            created += 1
        if submission.submission_id == winner:
            if answer.status not in (200, 201):
                problems.append(
                    f"visit {visit_id}: the stored submission was answered {answer.status}"
                )
        elif answer.status != 409:
            problems.append(f"visit {visit_id}: a rival submission was answered {answer.status}")
        elif answer.submission_id not in (None, winner):
            problems.append(f"visit {visit_id}: a 409 that does not hold the stored report")
    if created != 1:
        problems.append(f"visit {visit_id}: {created} answers 201 Created, expected 1")
