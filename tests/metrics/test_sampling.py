import pytest

from metrics.sampling import sample_size


@pytest.mark.parametrize("population, expected", [(1000, 278), (1875, 319), (10000, 370), (None, 385)])
def test_the_examples_of_the_standard(population, expected):
    assert sample_size(population=population, confidence=95, margin_of_error=0.05, proportion=0.5).n == expected


def test_n0_and_rounding_once_at_the_end():
    # n0 = 1.96² × 0.25 / 0.05² = 384.16; N = 1000: 384.16 / (1 + 383.16/1000) = 277.74 → 278
    result = sample_size(population=1000)
    assert result.n0 == pytest.approx(384.16)
    assert result.n == 278


def test_other_confidence_levels():
    # 90 %: 1.645² × 0.25 / 0.0025 = 270.6 → 271;  99 %: 2.576² × 0.25 / 0.0025 = 663.58 → 664
    assert sample_size(population=None, confidence=90).n == 271
    assert sample_size(population=None, confidence=99).n == 664


def test_a_population_smaller_than_n0_needs_most_of_it():
    # N = 100: 384.16 / (1 + 383.16/100) = 79.5 → 80
    assert sample_size(population=100).n == 80
    assert sample_size(population=1).n == 1


def test_surveys_to_send_divides_by_the_response_rate():
    # 278 responses at a 20 % response rate: 1390 surveys
    assert sample_size(population=1000).surveys_to_send(20) == 1390
    assert sample_size(population=1000).surveys_to_send(30) == 927  # 926.67 → 927


@pytest.mark.parametrize("kwargs, message", [
    ({"population": 0}, "population"), ({"population": -5}, "population"),
    ({"population": 100, "proportion": 0}, "proportion"), ({"population": 100, "proportion": 1}, "proportion"),
    ({"population": 100, "margin_of_error": 0}, "margin of error"),
    ({"population": 100, "margin_of_error": 0.6}, "margin of error"),
    ({"population": 100, "confidence": 80}, "confidence"),
])
def test_bad_input_is_refused_with_a_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sample_size(**kwargs)
