"""The burst's plan and its accounting (bench.burst), without a server or database."""

from collections import Counter

import pytest

from bench.burst import (
    CONFLICT,
    MIN_GAP,
    ORIGINAL,
    RESEND,
    Answer,
    StoredReport,
    check_burst,
    plan_burst,
)

VISITS = list(range(1000, 3000))


def stored_from(submission, **changes) -> StoredReport:
    values = {
        "visit_id": submission.visit_id,
        "submission_id": submission.submission_id,
        "people_met": submission.people_met,
        "meals": submission.meals,
        "referrals": submission.referrals,
    }
    return StoredReport(**(values | changes))


def served(plan):
    """What a correct server answers when each submission arrives in plan order."""
    winners, answers, stored = {}, [], {}
    for s in plan:
        winner = winners.setdefault(s.visit_id, s)
        if s.submission_id != winner.submission_id:
            answers.append(Answer(409, winner.submission_id))
        elif s.visit_id in stored:
            answers.append(Answer(200, s.submission_id))
        else:
            stored[s.visit_id] = stored_from(s)
            answers.append(Answer(201, s.submission_id))
    return answers, list(stored.values())


@pytest.fixture
def plan():
    return plan_burst(VISITS, total=2000, conflicts=50, service_type_ids=[1, 2, 3])


def test_the_plan_holds_2000_submissions_a_tenth_resent_and_50_conflicts(plan):
    kinds = Counter(s.kind for s in plan)
    assert kinds == {ORIGINAL: 1750, RESEND: 200, CONFLICT: 50}
    originals = [s for s in plan if s.kind == ORIGINAL]
    assert len({s.visit_id for s in originals}) == 1750
    assert len({s.submission_id for s in originals}) == 1750


def test_resends_repeat_an_original_and_conflicts_rival_one_later_in_the_sequence(plan):
    place = {s.submission_id: i for i, s in enumerate(plan) if s.kind == ORIGINAL}
    by_visit = {s.visit_id: s for s in plan if s.kind == ORIGINAL}
    for i, s in enumerate(plan):
        original = by_visit[s.visit_id]
        if s.kind == RESEND:
            assert s.body() == original.body()
        if s.kind == CONFLICT:
            assert s.submission_id != original.submission_id
            assert s.numbers() != original.numbers()
        if s.kind != ORIGINAL:
            # At least MIN_GAP originals after its own (or after all of them, near the end).
            assert i >= min(place[original.submission_id] + MIN_GAP, len(place))


def test_the_plan_is_the_same_for_the_same_seed():
    assert plan_burst(VISITS, seed=3) == plan_burst(VISITS, seed=3)
    assert plan_burst(VISITS, seed=3) != plan_burst(VISITS, seed=4)


def test_too_few_visits_for_the_originals_is_refused():
    with pytest.raises(ValueError, match="1750 visits"):
        plan_burst(VISITS[:100], total=2000, conflicts=50)


def test_a_correct_server_passes_the_check(plan):
    answers, stored = served(plan)
    check = check_burst(plan, answers, stored, pool=VISITS)
    assert check.ok, check.problems[:3]
    assert check.statuses == {201: 1750, 200: 200, 409: 50}
    assert (check.visits, check.reports) == (1750, 1750)


def test_a_conflict_that_won_the_race_is_fine_when_its_original_got_409(plan):
    """With 50 clients in flight a rival may arrive first: then it is the stored one."""
    rival = next(s for s in plan if s.kind == CONFLICT)
    reordered = [rival] + [s for s in plan if s is not rival]
    answers, stored = served(reordered)
    check = check_burst(reordered, answers, stored, pool=VISITS)
    assert check.ok, check.problems[:3]


def test_a_lost_report_fails(plan):
    answers, stored = served(plan)
    check = check_burst(plan, answers, stored[1:], pool=VISITS)
    assert not check.ok
    assert "0 reports stored, expected 1" in check.problems[0]


def test_a_report_counted_twice_fails(plan):
    answers, stored = served(plan)
    check = check_burst(plan, answers, [*stored, stored[0]], pool=VISITS)
    assert any("2 reports stored" in p for p in check.problems)
    assert any("more than once" in p for p in check.problems)


def test_a_server_error_or_a_missing_answer_fails(plan):
    answers, stored = served(plan)
    answers[5] = Answer(500)
    answers[6] = Answer(0)
    check = check_burst(plan, answers, stored, pool=VISITS)
    assert "1 answers with HTTP 500" in check.problems
    assert "1 answers with HTTP none" in check.problems


def test_a_resend_that_created_a_second_time_fails(plan):
    answers, stored = served(plan)
    resend = next(i for i, s in enumerate(plan) if s.kind == RESEND)
    answers[resend] = Answer(201, plan[resend].submission_id)
    check = check_burst(plan, answers, stored, pool=VISITS)
    assert any("2 answers 201 Created" in p for p in check.problems)


def test_a_conflict_that_was_accepted_fails(plan):
    answers, stored = served(plan)
    conflict = next(i for i, s in enumerate(plan) if s.kind == CONFLICT)
    answers[conflict] = Answer(200, plan[conflict].submission_id)
    check = check_burst(plan, answers, stored, pool=VISITS)
    assert any("rival submission was answered 200" in p for p in check.problems)


def test_stored_numbers_that_differ_from_the_submission_fail(plan):
    answers, stored = served(plan)
    stored[0] = StoredReport(**{**stored[0].__dict__, "people_met": stored[0].people_met + 5})
    check = check_burst(plan, answers, stored, pool=VISITS)
    assert any("stored numbers differ" in p for p in check.problems)


def test_a_report_on_a_visit_nobody_sent_to_fails(plan):
    answers, stored = served(plan)
    untouched = next(v for v in VISITS if v not in {s.visit_id for s in plan})
    extra = StoredReport(visit_id=untouched, submission_id="x", people_met=1, meals=1)
    check = check_burst(plan, answers, [*stored, extra], pool=VISITS)
    assert any("although nothing was sent" in p for p in check.problems)
