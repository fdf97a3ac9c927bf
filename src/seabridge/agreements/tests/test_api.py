import secrets
from datetime import date

import pytest

from seabridge.accounts.models import ApiToken, Membership
from seabridge.agreements.choices import AgreementStatus
from seabridge.agreements.models import Agreement
from seabridge.core.scope import Area
from seabridge.core.tests.world import grant


def bearer(actor) -> dict[str, str]:
    token = ApiToken.PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        membership=Membership.objects.get(pk=actor.membership_id),
        name="test",
        key_prefix=token[:10],
        digest=ApiToken.digest_of(token),
    )
    return {"Authorization": f"Bearer {token}"}


def payload(world, **changes):
    body = {
        "kind": "distribution",
        "title": "Saudi distribution",
        "grantee_id": world.partner.pk,
        "effective_from": "2025-01-01",
        "effective_to": "2027-12-31",
        "brands": [world.jac_brand.pk],
        "countries": ["SA", "IQ"],
        "areas": ["sales"],
    }
    body.update(changes)
    return body


@pytest.mark.django_db
def test_drafting_signing_and_activating_through_the_api(client, world):
    headers = bearer(world.jac_admin)
    response = client.post(
        "/api/v1/agreements/", payload(world), content_type="application/json", headers=headers
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["grantor"], body["grantee"], body["in_force"]) == (
        "draft",
        "JAC",
        "Zhongjiang",
        False,
    )
    assert body["scope"] == [{"brand": "JAC", "area": "sales", "countries": ["IQ", "SA"]}]
    agreement_id = body["id"]
    signed = client.post(
        f"/api/v1/agreements/{agreement_id}/sign",
        {"signed_on": "2025-04-22", "signed_in": "Nanjing"},
        content_type="application/json",
        headers=bearer(world.partner_admin),
    )
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed"
    active = client.post(f"/api/v1/agreements/{agreement_id}/activate", headers=headers)
    assert active.status_code == 200
    assert (active.json()["status"], active.json()["in_force"]) == ("active", True)


@pytest.mark.django_db
def test_a_wider_sub_grant_is_a_422_and_nothing_is_written(client, world):
    memorandum = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    response = client.post(
        "/api/v1/agreements/",
        payload(
            world,
            grantee_id=world.dealer.pk,
            parent_id=memorandum.pk,
            countries=["SA", "OM"],
            effective_to=date(2030, 1, 1),
        ),
        content_type="application/json",
        headers=bearer(world.partner_admin),
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {"scope": ["This exceeds the granting agreement's scope: JAC OM (Sales)."]},
        }
    }
    assert Agreement.objects.count() == 1


@pytest.mark.django_db
def test_agreements_are_visible_to_the_parties_and_brand_owners_only(client, world):
    memorandum = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    for actor, expected in [
        (world.jac_admin, 200),
        (world.partner_viewer, 200),
        (world.nezha_admin, 404),
        (world.dealer_admin, 404),
    ]:
        response = client.get(f"/api/v1/agreements/{memorandum.pk}", headers=bearer(actor))
        assert response.status_code == expected, actor
    listed = client.get("/api/v1/agreements/", headers=bearer(world.nezha_admin)).json()
    assert (listed["count"], listed["items"]) == (0, [])
    listed = client.get("/api/v1/agreements/", headers=bearer(world.partner_viewer)).json()
    assert [item["id"] for item in listed["items"]] == [memorandum.pk]


@pytest.mark.django_db
def test_a_viewer_cannot_terminate_and_nothing_changes(client, world):
    memorandum = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    response = client.post(
        f"/api/v1/agreements/{memorandum.pk}/terminate", headers=bearer(world.partner_viewer)
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert Agreement.objects.get(pk=memorandum.pk).status == AgreementStatus.ACTIVE


@pytest.mark.django_db
def test_who_sees_a_market_is_for_the_brand_owner(client, world):
    memorandum = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES, Area.AFTER_SALES],
    )
    grant(
        by=world.partner_admin,
        to=world.dealer,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.AFTER_SALES],
        parent=memorandum,
        effective_to=date(2030, 1, 1),
    )
    response = client.get(
        f"/api/v1/agreements/market-visibility?brand={world.jac_brand.pk}&country=sa",
        headers=bearer(world.jac_admin),
    )
    assert response.status_code == 200
    assert [(row["organization"], row["areas"]) for row in response.json()] == [
        ("Riyadh Motors", ["after_sales"]),
        ("Zhongjiang", ["after_sales", "sales"]),
    ]
    refused = client.get(
        f"/api/v1/agreements/market-visibility?brand={world.jac_brand.pk}&country=SA",
        headers=bearer(world.partner_admin),
    )
    assert refused.status_code == 404


@pytest.mark.django_db
def test_a_draft_is_patched_and_its_document_uploaded_through_the_api(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
        activate=False,
    )
    headers = bearer(world.jac_admin)
    response = client.patch(
        f"/api/v1/agreements/{draft.pk}",
        {"countries": ["SA", "IQ"], "effective_to": None},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["effective_to"], body["scope"]) == (
        None,
        [{"brand": "JAC", "area": "sales", "countries": ["IQ", "SA"]}],
    )
    refused = client.post(
        f"/api/v1/agreements/{draft.pk}/document",
        {"document": SimpleUploadedFile("evil.exe", b"MZ", "application/octet-stream")},
        headers=headers,
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == {
        "document": ["Attach a PDF, Word document or image (pdf, docx, jpg, jpeg, png)."]
    }
    uploaded = client.post(
        f"/api/v1/agreements/{draft.pk}/document",
        {"document": SimpleUploadedFile("memorandum.pdf", b"%PDF-1.7", "application/pdf")},
        headers=headers,
    )
    assert uploaded.status_code == 200
    assert uploaded.json()["has_document"] is True
