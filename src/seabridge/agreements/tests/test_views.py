import pytest
from django.urls import reverse

from seabridge.agreements.choices import AgreementStatus
from seabridge.agreements.models import Agreement
from seabridge.core.scope import Area
from seabridge.core.tests.world import grant


def sign_in(client, actor):
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()


@pytest.mark.django_db
def test_a_brand_owner_drafts_signs_and_activates_an_agreement_in_pages(client, world):
    sign_in(client, world.jac_admin)
    form = client.get(reverse("agreements:agreement-create"))
    assert form.status_code == 200
    html = form.content.decode()
    assert '<label for="id_brands" class="form-label">Brands</label>' in html
    brands = html.split('id="id_brands"', 1)[1].split("</select>", 1)[0]
    assert ">JAC</option>" in brands
    assert "Nezha" not in brands  # only the brands the maker owns can be granted
    response = client.post(
        reverse("agreements:agreement-create"),
        {
            "kind": "memorandum",
            "title": "Memorandum of cooperation",
            "grantee": world.partner.pk,
            "effective_from": "2025-04-22",
            "effective_to": "2027-12-31",
            "brands": [world.jac_brand.pk],
            "countries": ["SA", "IQ"],
            "regions": ["gcc"],
            "areas": ["sales", "after_sales"],
            "commitment_sales_planning": "Three markets, three steps, 3,000 units.",
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:agreement-detail", args=[agreement.pk])
    assert sorted(agreement.scope_entries.values_list("country_id", "area")) == [
        ("IQ", "after_sales"),
        ("IQ", "sales"),
        ("OM", "after_sales"),
        ("OM", "sales"),
        ("SA", "after_sales"),
        ("SA", "sales"),
    ]
    detail = client.get(response["Location"]).content.decode()
    assert "<td>JAC</td><td>Sales</td><td>IQ, OM, SA</td>" in detail
    client.post(
        reverse("agreements:agreement-sign", args=[agreement.pk]),
        {"signed_on": "2025-04-22", "signed_in": "Nanjing"},
    )
    client.post(reverse("agreements:agreement-activate", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_in) == (AgreementStatus.ACTIVE, "Nanjing")


@pytest.mark.django_db
def test_a_wider_sub_grant_shows_the_error_on_the_form_and_writes_nothing(client, world):
    memorandum = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    sign_in(client, world.partner_admin)
    url = reverse("agreements:agreement-sub-grant", args=[memorandum.pk])
    page = client.get(url).content.decode()
    assert 'value="SA"' in page
    assert 'value="IQ"' not in page  # only the parent's markets are offered
    response = client.post(
        url,
        {
            "kind": "distribution",
            "title": "Riyadh dealer",
            "grantee": world.dealer.pk,
            "effective_from": "2025-06-01",
            "effective_to": "2026-12-31",
            "brands": [world.jac_brand.pk],
            "countries": ["SA"],
            "areas": ["sales", "parts"],
        },
    )
    assert response.status_code == 200
    assert (
        "This exceeds the granting agreement&#x27;s scope: JAC SA (Parts)."
        in response.content.decode()
    )
    assert Agreement.objects.count() == 1


@pytest.mark.django_db
def test_the_owner_sees_who_sees_its_market(client, world):
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    sign_in(client, world.jac_viewer)
    page = client.get(
        reverse("agreements:market-visibility"), {"brand": world.jac_brand.pk, "country": "SA"}
    ).content.decode()
    assert "<td>Zhongjiang</td><td>sales</td>" in page


@pytest.mark.django_db
def test_the_grantor_edits_a_draft_and_attaches_the_signed_document(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
        activate=False,
    )
    sign_in(client, world.jac_admin)
    url = reverse("agreements:agreement-edit", args=[draft.pk])
    response = client.post(
        url,
        {
            "title": "Saudi and Iraqi distribution",
            "effective_from": "2025-01-01",
            "effective_to": "2026-12-31",
            "brands": [world.jac_brand.pk],
            "countries": ["SA", "IQ"],
            "areas": ["sales"],
            "notes": "",
            "document": SimpleUploadedFile("memorandum.pdf", b"%PDF-1.7 signed", "application/pdf"),
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Saudi and Iraqi distribution"
    assert sorted(draft.scope_entries.values_list("country_id", flat=True)) == ["IQ", "SA"]
    download = client.get(reverse("agreements:agreement-document", args=[draft.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.7 signed"
    # A spreadsheet is not a signed document.
    refused = client.post(
        url,
        {
            "title": "x",
            "effective_from": "2025-01-01",
            "brands": [world.jac_brand.pk],
            "countries": ["SA"],
            "areas": ["sales"],
            "document": SimpleUploadedFile("numbers.xlsx", b"PK", "application/octet-stream"),
        },
    )
    assert refused.status_code == 200
    assert (
        "Attach a PDF, Word document or image (pdf, docx, jpg, jpeg, png)."
        in refused.content.decode()
    )
    draft.refresh_from_db()
    assert draft.title == "Saudi and Iraqi distribution"
    # The grantee sees the agreement but may not edit it.
    sign_in(client, world.partner_admin)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_signed_agreement_is_not_edited(client, world):
    agreement = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    response = client.patch(
        f"/api/v1/agreements/{agreement.pk}",
        {"title": "Changed after signing"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token_for('jac_admin')}"},
    )
    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        "Only a draft can be edited; this agreement is already signed."
    )
    agreement.refresh_from_db()
    assert agreement.title == "JAC to Zhongjiang"
