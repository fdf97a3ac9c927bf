import re

import pytest
from django.db import connection

from seabridge.core.choices import JobStatus
from seabridge.core.models import Job

pytestmark = pytest.mark.django_db


def test_health_checks_the_database(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


def test_health_names_the_database_it_runs_on(client):
    expected = "postgresql" if "postgres" in (connection.settings_dict["ENGINE"]) else "sqlite"
    assert client.get("/api/v1/health").json()["database"] == expected


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v2/health", "/api/", "/api/v1/jobs/x/y"]
)
def test_an_unknown_api_path_answers_the_json_error_shape(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"code": "not_found", "message": "No API endpoint at this path.", "fields": {}}
    }


def test_the_api_refuses_anonymous_callers_in_the_error_shape(client):
    response = client.get("/api/v1/jobs/8f0a9d2e-3b1c-4c5d-9e6f-7a8b9c0d1e2f")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Sign in or send a valid API token.",
            "fields": {},
        }
    }


def test_a_malformed_parameter_is_a_422_naming_the_field(client, user):
    client.force_login(user)
    response = client.get("/api/v1/jobs/not-a-uuid")
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "validation_error"
    assert body["error"]["message"] == "Some fields are not valid."
    assert list(body["error"]["fields"]) == ["job_id"]


def test_a_job_is_visible_to_the_person_who_started_it_only(client, user, other_user):
    job = Job.objects.create(
        kind="tests.count", created_by=user, progress_done=2, progress_total=8, message="rows"
    )
    client.force_login(user)
    response = client.get(f"/api/v1/jobs/{job.id}")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["progress_done"], body["progress_total"], body["percent"]) == (
        JobStatus.QUEUED,
        2,
        8,
        25,
    )
    client.force_login(other_user)
    response = client.get(f"/api/v1/jobs/{job.id}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_job_page_shows_progress_and_polls_until_finished(client, user, other_user):
    job = Job.objects.create(kind="tests.count", created_by=user, progress_done=1, progress_total=4)
    client.force_login(user)
    page = client.get(f"/jobs/{job.id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="25"' in html
    assert "1 of 4 done" in html
    assert 'hx-trigger="every 1s"' in html
    fragment = client.get(f"/jobs/{job.id}/", headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith("<section")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED)
    assert 'hx-trigger="every 1s"' not in client.get(f"/jobs/{job.id}/").content.decode()
    client.force_login(other_user)
    assert client.get(f"/jobs/{job.id}/").status_code == 404


def test_the_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Seabridge API"
    assert "/api/v1/health" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # Nothing is fetched from elsewhere (the CSRF token may spell "cdn" by chance).
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/accounts/organizations?q=a%00b", None, "q"),
        ("/api/v1/health?x=%00", None, "x"),
        ("/api/v1/agreements/", b'{"title": "a\\u0000b"}', "title"),
    ],
)
def test_a_nul_character_is_a_422_naming_the_field(client, user, path, body, field):
    client.force_login(user)
    if body is None:
        response = client.get(path)
    else:
        response = client.post(path, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {
                field: [
                    "Remove the character U+0000: no field accepts control characters other "
                    "than tab, line feed and carriage return."
                ]
            },
        }
    }


def test_a_nul_character_in_a_page_query_is_a_400(client, user):
    client.force_login(user)
    response = client.get("/agreements/?q=%00")
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["0", "1700000000", "22/04/2025"])
def test_a_date_parameter_accepts_iso_text_only(client, user, value):
    client.force_login(user)
    response = client.get(f"/api/v1/vehicles/?produced_to={value}")
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["produced_to"]
    assert client.get("/api/v1/vehicles/?produced_to=2025-04-22").status_code == 200
