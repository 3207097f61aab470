import pytest
from django.core.exceptions import ValidationError

from oe21 import reference
from oe21.validators import validate_naics_code, validate_zip_code


def test_it_knows_a_real_naics_code_and_its_title():
    assert reference.naics_title("541511") == "Custom Computer Programming Services"


def test_it_maps_ranged_sectors_to_their_title():
    assert reference.naics_title("32") == "Manufacturing"
    assert reference.naics_title("45") == "Retail Trade"


@pytest.mark.parametrize("code", ["999999", "12", "5415111", "5", "abc", ""])
def test_it_rejects_codes_not_on_the_2022_list(code):
    with pytest.raises(ValidationError):
        validate_naics_code(code)


def test_a_naics_sector_is_the_first_two_digits():
    assert reference.naics_sector("622110") == "62"


@pytest.mark.parametrize("zip_code, city, state", [
    ("77429", "Cypress", "TX"), ("10001-1234", "New York", "NY"), ("60601", "Chicago", "IL"),
])
def test_it_finds_city_and_state_of_real_zips(zip_code, city, state):
    place = reference.zip_place(zip_code)
    assert (place.city, place.state) == (city, state)
    validate_zip_code(zip_code)


@pytest.mark.parametrize("zip_code, code", [
    ("1234", "zip_format"), ("123456", "zip_format"), ("12345-12", "zip_format"),
    ("ABCDE", "zip_format"), ("00000", "zip_unknown"), ("99999", "zip_unknown"),
])
def test_it_rejects_malformed_or_unknown_zips(zip_code, code):
    with pytest.raises(ValidationError) as raised:
        validate_zip_code(zip_code)
    assert raised.value.code == code
