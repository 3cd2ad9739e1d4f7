"""The load generator reads the stored report's submission id from every kind of answer."""

import json

from bench.loadgen import _submission_in


def test_the_submission_id_comes_from_a_report_or_from_a_conflicts_stored_report():
    assert _submission_in(json.dumps({"submission_id": "a", "visit": 1}).encode()) == "a"
    conflict = {"detail": "already reported", "report": {"submission_id": "b"}}
    assert _submission_in(json.dumps(conflict).encode()) == "b"


def test_an_answer_without_a_report_has_no_submission_id():
    assert _submission_in(b"<html>Server Error</html>") is None
    assert _submission_in(json.dumps({"detail": "Not found."}).encode()) is None
    assert _submission_in(json.dumps([1, 2]).encode()) is None
