import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from seabridge.accounts.models import ApiToken, Membership
from seabridge.accounts.selectors import ACTING_ORGANIZATION_SESSION_KEY
from seabridge.accounts.tests.factories import MembershipFactory, OrganizationFactory
from seabridge.conftest import TEST_PASSWORD
from seabridge.markets.models import Country
from seabridge.markets.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

IN_A_MONTH = (timezone.now() + timedelta(days=30)).date().isoformat()


def html_of(response) -> str:
    return response.content.decode()


# --- organisations -------------------------------------------------------------------


def test_the_list_shows_the_persons_organisations_and_filters_with_htmx(client, people):
    client.force_login(people.admin.user)
    response = client.get("/accounts/organizations/")
    assert response.status_code == 200
    html = html_of(response)
    assert f'<a href="/accounts/organizations/{people.jac.pk}/">JAC</a>' in html
    assert "Nezha" not in html.split('id="results"')[1]
    assert '<label for="filter-q" class="form-label">Name contains</label>' in html
    fragment = client.get(
        "/accounts/organizations/?kind=dealer",
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert "<html" not in html_of(fragment)
    assert "No organisations match." in html_of(fragment)


def test_a_superuser_lists_every_organisation(client, people, superuser):
    client.force_login(superuser)
    html = html_of(client.get("/accounts/organizations/"))
    assert f'<a href="/accounts/organizations/{people.nezha.pk}/">Nezha</a>' in html


def test_the_list_names_home_countries_in_the_readers_language_without_a_query_per_row(
    client, people, superuser, django_assert_num_queries
):
    """The registry's names (what ``load_markets`` stores and users may correct), read
    with the organisations, not one query per row."""
    Country.objects.filter(code="CN").update(names={"fr": "Chine", "zh-hans": "中国"})
    client.force_login(superuser)
    client.cookies["django_language"] = "fr"
    with django_assert_num_queries(5):
        html = html_of(client.get("/accounts/organizations/"))
    assert re.findall(r"<td>(China|Chine|CN)</td>", html) == ["Chine", "Chine"]
    for code, name in (("NG", "Nigéria"), ("PH", "Philippines")):
        country = CountryFactory(code=code, alpha3=f"{code}A", numeric="000", names={"fr": name})
        OrganizationFactory(short_name=f"Importer {code}", home_country=country)
    OrganizationFactory(short_name="Importer SA", home_country=Country.objects.get(code="SA"))
    with django_assert_num_queries(5):
        html = html_of(client.get("/accounts/organizations/"))
    # By short name; Saudi Arabia has no French name here, so its English one shows.
    assert re.findall(r"<td>(Nigéria|Philippines|Saudi Arabia|Chine)</td>", html) == [
        "Nigéria",
        "Philippines",
        "Saudi Arabia",
        "Chine",
        "Chine",
    ]


def test_the_detail_shows_facts_and_members(client, people):
    client.force_login(people.viewer.user)
    response = client.get(f"/accounts/organizations/{people.jac.pk}/")
    assert response.status_code == 200
    html = html_of(response)
    assert "Anhui Jianghuai Automobile Group Co., Ltd." in html
    for person, role in (("amina@example.com", "Admin"), ("bo@example.com", "Staff")):
        assert f"<td>{person}</td>\n      <td>{role}</td>" in html
    assert "/edit/" not in html  # a viewer is offered no edit


def test_an_organisation_outside_the_persons_is_404(client, people):
    client.force_login(people.admin.user)
    assert client.get(f"/accounts/organizations/{people.nezha.pk}/").status_code == 404
    assert client.get(f"/accounts/organizations/{people.nezha.pk}/edit/").status_code == 404


def test_a_viewer_may_look_but_not_edit(client, people):
    client.force_login(people.viewer.user)
    assert client.get(f"/accounts/organizations/{people.jac.pk}/edit/").status_code == 403
    response = client.post(
        f"/accounts/organizations/{people.jac.pk}/edit/",
        {"legal_name": "Taken", "short_name": "JAC", "home_country": "CN"},
    )
    assert response.status_code == 403
    people.jac.refresh_from_db()
    assert people.jac.legal_name == "Anhui Jianghuai Automobile Group Co., Ltd."


def test_an_admin_edits_the_organisation(client, people):
    client.force_login(people.admin.user)
    form = client.get(f"/accounts/organizations/{people.jac.pk}/edit/")
    assert '<label for="id_languages" class="form-label">Working languages</label>' in html_of(form)
    assert 'value="zh-hans, en"' in html_of(form)
    response = client.post(
        f"/accounts/organizations/{people.jac.pk}/edit/",
        {
            "legal_name": "JAC Group",
            "short_name": "JAC",
            "home_country": "SA",
            "languages": "en, ar",
            "founded_year": "1964",
            "description": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/organizations/{people.jac.pk}/"
    people.jac.refresh_from_db()
    assert (people.jac.legal_name, people.jac.home_country_id, people.jac.languages) == (
        "JAC Group",
        "SA",
        ["en", "ar"],
    )


def test_a_duplicate_name_shows_on_the_field(client, people):
    client.force_login(people.admin.user)
    response = client.post(
        f"/accounts/organizations/{people.jac.pk}/edit/",
        {"legal_name": "JAC Group", "short_name": "NEZHA", "home_country": "CN", "languages": ""},
    )
    assert response.status_code == 200
    assert (
        '<div class="invalid-feedback d-block" id="id_short_name_error">'
        "Another organisation already has this name.</div>"
    ) in html_of(response)
    people.jac.refresh_from_db()
    assert people.jac.legal_name == "Anhui Jianghuai Automobile Group Co., Ltd."


# --- members -------------------------------------------------------------------------


def test_an_admin_invites_and_the_new_person_sets_a_password(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people.admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/accounts/organizations/{people.jac.pk}/members/invite/",
            {"email": "ewa@example.com", "role": "staff"},
        )
    assert response.status_code == 302
    assert Membership.objects.get(user__email="ewa@example.com").role == "staff"
    assert [message.to for message in mail.outbox] == [["ewa@example.com"]]
    found = re.search(r"http://testserver(/accounts/set-password/\S+)", str(mail.outbox[0].body))
    assert found is not None
    link = found[1]
    client.logout()
    landing = client.get(link)
    assert landing.status_code == 302  # Django hides the token from the page's URL
    chosen = "a-long-and-unusual-passphrase-17"
    done = client.post(landing["Location"], {"new_password1": chosen, "new_password2": chosen})
    assert done.status_code == 302
    assert done["Location"] == "/sign-in/"
    assert client.login(username="ewa@example.com", password=chosen)


def test_inviting_a_member_again_shows_the_refusal_on_the_field(client, people):
    client.force_login(people.admin.user)
    response = client.post(
        f"/accounts/organizations/{people.jac.pk}/members/invite/",
        {"email": "bo@example.com", "role": "admin"},
    )
    assert response.status_code == 200
    assert "This person is already a member." in html_of(response)
    assert Membership.objects.get(pk=people.staff.pk).role == "staff"


def test_a_staff_member_cannot_open_the_invitation(client, people):
    client.force_login(people.staff.user)
    assert client.get(f"/accounts/organizations/{people.jac.pk}/members/invite/").status_code == 403


def test_an_admin_changes_a_role_on_the_page(client, people):
    client.force_login(people.admin.user)
    url = f"/accounts/organizations/{people.jac.pk}/members/{people.viewer.pk}/role/"
    assert '<label for="id_role" class="form-label">Role</label>' in html_of(client.get(url))
    response = client.post(url, {"role": "manager"})
    assert response.status_code == 302
    assert Membership.objects.get(pk=people.viewer.pk).role == "manager"


def test_nobody_changes_their_own_role_on_the_page(client, people):
    people.staff.role = "admin"
    people.staff.save()
    client.force_login(people.staff.user)
    response = client.post(
        f"/accounts/organizations/{people.jac.pk}/members/{people.staff.pk}/role/",
        {"role": "viewer"},
    )
    assert response.status_code == 403
    assert Membership.objects.get(pk=people.staff.pk).role == "admin"


def test_removing_asks_first_then_removes_on_post(client, people):
    client.force_login(people.admin.user)
    url = f"/accounts/organizations/{people.jac.pk}/members/{people.staff.pk}/remove/"
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html_of(confirmation)
    assert Membership.objects.filter(pk=people.staff.pk).exists()
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=people.staff.pk).exists()


def test_the_last_admin_is_not_removed_on_the_page(client, people):
    client.force_login(people.admin.user)
    response = client.post(
        f"/accounts/organizations/{people.jac.pk}/members/{people.admin.pk}/remove/"
    )
    assert response.status_code == 409
    assert "JAC needs at least one admin." in html_of(response)
    assert Membership.objects.filter(pk=people.admin.pk).exists()


# --- API tokens ----------------------------------------------------------------------


def test_a_token_is_shown_once_on_creation(client, people):
    client.force_login(people.staff.user)
    page = client.get("/accounts/tokens/")
    assert '<label for="id_name" class="form-label">Name</label>' in html_of(page)
    response = client.post("/accounts/tokens/", {"name": "Stock export", "expires_at": IN_A_MONTH})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    found = re.search(r'value="(sbk_[^"]+)"', html_of(response))
    assert found is not None
    clear_token = found[1]
    token = ApiToken.objects.get()
    assert token.digest == ApiToken.digest_of(clear_token)
    listing = html_of(client.get("/accounts/tokens/"))
    assert clear_token not in listing
    assert f"<code>{token.key_prefix}…</code>" in listing


def test_a_too_distant_expiry_is_shown_on_the_field(client, people):
    client.force_login(people.staff.user)
    response = client.post("/accounts/tokens/", {"name": "Forever", "expires_at": "2999-01-01"})
    assert response.status_code == 200
    assert "A token lives at most one year." in html_of(response)
    assert ApiToken.objects.count() == 0


def test_a_token_is_revoked_after_confirmation(client, people):
    client.force_login(people.staff.user)
    client.post("/accounts/tokens/", {"name": "Stock export", "expires_at": IN_A_MONTH})
    token = ApiToken.objects.get()
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 200
    assert ApiToken.objects.get().revoked_at is None
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    client.force_login(people.admin.user)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404


# --- the acting organisation ---------------------------------------------------------


def test_the_switcher_changes_the_acting_organisation(client, people):
    MembershipFactory(user=people.admin.user, organization=people.nezha, role="viewer")
    client.force_login(people.admin.user)
    html = html_of(client.get("/"))
    assert (
        '<label for="acting-organization-select" class="navbar-text me-1">Acting for</label>'
        in html
    )
    assert f'<option value="{people.jac.pk}" selected>JAC (Admin)</option>' in html
    assert f'<option value="{people.nezha.pk}">Nezha (Viewer)</option>' in html
    assert "data-autosubmit" in html
    response = client.post(
        "/accounts/act-as/", {"organization": people.nezha.pk, "next": "/accounts/tokens/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/"
    assert client.session[ACTING_ORGANIZATION_SESSION_KEY] == people.nezha.pk
    body = client.get("/api/v1/accounts/me").json()
    assert (body["organization"]["short_name"], body["role"]) == ("Nezha", "viewer")


def test_the_switcher_refuses_an_organisation_the_person_is_not_in(client, people):
    client.force_login(people.admin.user)
    client.post("/accounts/act-as/", {"organization": people.jac.pk})
    response = client.post("/accounts/act-as/", {"organization": people.nezha.pk})
    assert response.status_code == 404
    assert client.session[ACTING_ORGANIZATION_SESSION_KEY] == people.jac.pk


def test_the_switcher_ignores_a_next_url_on_another_site(client, people):
    client.force_login(people.admin.user)
    response = client.post(
        "/accounts/act-as/", {"organization": people.jac.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_switcher_answers_post_only(client, people):
    client.force_login(people.admin.user)
    assert client.get("/accounts/act-as/").status_code == 405


def test_account_pages_need_a_signed_in_person(client, people):
    response = client.get("/accounts/organizations/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/accounts/organizations/"


def test_pages_have_no_inline_style_or_script(client, people):
    client.login(username="amina", password=TEST_PASSWORD)
    for url in (
        "/",
        "/accounts/organizations/",
        f"/accounts/organizations/{people.jac.pk}/",
        f"/accounts/organizations/{people.jac.pk}/edit/",
        "/accounts/tokens/",
    ):
        html = html_of(client.get(url))
        assert " style=" not in html
        assert "<style" not in html
        assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
