"""Pages' forms refuse control characters field by field, as the API does (issue 18:
"control characters such as U+0001 are stored")."""

import pytest
from axes.models import AccessAttempt

from seabridge.accounts.models import Organization
from seabridge.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

REFUSED = (
    "Remove the character U+0001: no field accepts control characters other than tab, "
    "line feed and carriage return."
)


def test_a_page_form_field_with_a_control_character_gets_a_field_error(client, people):
    client.force_login(people.admin.user)
    before = list(Organization.objects.order_by("pk").values_list())
    response = client.post(
        f"/accounts/organizations/{people.jac.pk}/edit/",
        {
            "legal_name": "JAC\u0001Group",
            "short_name": "JAC",
            "home_country": "CN",
            "languages": "en",
            "founded_year": "1964",
            "description": "Two lines,\r\nindented\twith a tab.",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"legal_name": [REFUSED]}
    assert list(Organization.objects.order_by("pk").values_list()) == before


def test_the_sign_in_form_refuses_a_control_character_without_counting_a_failure(client, people):
    response = client.post("/sign-in/", {"username": "ami\u0001na", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors == {"username": [REFUSED]}
    assert AccessAttempt.objects.count() == 0
