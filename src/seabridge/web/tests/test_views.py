import pytest

from seabridge.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def test_sign_in_page_renders_a_labelled_form(client):
    response = client.get("/sign-in/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert '<label for="id_username" class="form-label">User name or e-mail</label>' in html
    assert '<label for="id_password" class="form-label">Password</label>' in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "bootstrap.rtl.min.css" not in html


def test_pages_send_security_headers(client):
    response = client.get("/sign-in/")
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_signing_in_leads_home_and_signing_out_leaves(client, user):
    response = client.post("/sign-in/", {"username": "amina", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome, amina" in home.content.decode()
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/")["Location"] == "/sign-in/?next=/"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, user):
    response = client.post("/sign-in/", {"username": "amina", "password": "wrong"})
    assert response.status_code == 200
    assert (
        "This user name or e-mail and password do not match. Both are case-sensitive."
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_the_home_page_needs_a_signed_in_person(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/"


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from seabridge import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_arabic_pages_run_right_to_left_with_bootstrap_rtl(client):
    client.post("/i18n/setlang/", {"language": "ar", "next": "/sign-in/"})
    html = client.get("/sign-in/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "/static/vendor/bootstrap/bootstrap.rtl.min.css" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", '<html lang="zh-hans" dir="ltr">'), ("ru", '<html lang="ru" dir="ltr">')],
)
def test_the_language_switcher_sets_the_page_language(client, language, expected):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/sign-in/"})
    assert response.status_code == 302
    assert expected in client.get("/sign-in/").content.decode()


def test_the_switcher_offers_our_seven_languages(client):
    html = client.get("/sign-in/").content.decode()
    for code in ("en", "zh-hans", "ar", "es", "pt-br", "fr", "ru"):
        assert f'<option value="{code}" lang="{code}"' in html
