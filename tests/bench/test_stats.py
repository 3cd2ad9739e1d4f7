"""The benchmark's arithmetic: percentiles, summaries, ratios."""

import pytest

from bench.stats import percentile, ratio, summarize


def test_the_median_of_an_odd_count_is_the_middle_value():
    assert percentile([5, 1, 3], 50) == 3


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert percentile([4, 1, 3, 2], 50) == 2.5


def test_the_95th_percentile_interpolates_between_the_closest_ranks():
    values = list(range(1, 101))  # 1 … 100
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 100


def test_one_value_is_every_percentile():
    assert percentile([7.5], 95) == 7.5


@pytest.mark.parametrize("values, p", [([], 50), ([1, 2], -1), ([1, 2], 101)])
def test_no_values_or_a_percentile_out_of_range_is_refused(values, p):
    with pytest.raises(ValueError):
        percentile(values, p)


def test_a_summary_gives_median_p95_and_requests_per_second():
    summary = summarize([10.0] * 19 + [110.0], wall_seconds=2.0)
    assert summary == {"requests": 20, "median_ms": 10.0, "p95_ms": 15.0, "rps": 10.0}


def test_a_phase_without_answers_has_no_latencies_and_no_throughput():
    assert summarize([], wall_seconds=3.0) == {
        "requests": 0,
        "median_ms": None,
        "p95_ms": None,
        "rps": 0.0,
    }


def test_a_ratio_to_a_missing_or_zero_floor_is_none():
    assert ratio(30.0, 10.0) == 3.0
    assert ratio(30.0, 0) is None
    assert ratio(None, 10.0) is None
