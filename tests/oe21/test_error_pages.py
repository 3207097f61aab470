"""403, 404 and 500 pages use the portal's layout and menu and say what to do (#16)."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from oe21.views import server_error

pytestmark = pytest.mark.django_db


def test_the_403_page_has_the_menu_and_says_who_is_asking_and_what_to_do(client_for, viewer_user):
    viewer_user.first_name, viewer_user.last_name = "Vera", "Lind"
    viewer_user.save()
    response = client_for(viewer_user).get(reverse("account_create"))
    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-403"' in page and 'data-testid="menu-search"' in page  # the layout and its menu
    assert "You are signed in as <strong>Vera Lind</strong> (Viewer)" in page
    assert "ask an administrator" in page and f'href="{reverse("home")}"' in page


def test_the_404_page_has_the_menu_and_a_search_box(client_for, viewer_user):
    response = client_for(viewer_user).get("/accounts/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-404"' in page and 'id="not-found-search"' in page and "Records" in page


def test_the_500_page_keeps_the_layout_and_falls_back_to_plain_words_when_even_that_fails(viewer_user):
    request = RequestFactory().get("/")
    request.user = viewer_user
    response = server_error(request)
    assert response.status_code == 500
    assert 'data-testid="error-500"' in response.content.decode()
    with connection.execute_wrapper(lambda *args: (_ for _ in ()).throw(RuntimeError("database down"))):
        response = server_error(request)  # the menu reads the user's roles: the database is gone
    assert response.status_code == 500 and "Something went wrong on our side" in response.content.decode()
