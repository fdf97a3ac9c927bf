"""Agreement endpoints: list, read, draft (including sub-grants), sign, activate, terminate."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from seabridge.accounts.models import Organization
from seabridge.agreements import services
from seabridge.agreements.filters import AgreementFilter
from seabridge.agreements.forms import validate_document
from seabridge.agreements.models import Agreement
from seabridge.agreements.selectors import (
    agreement_get,
    agreements_visible,
    market_visibility,
    scope_table,
)
from seabridge.catalog.models import Brand
from seabridge.core.errors import NotFound, ValidationFailed
from seabridge.core.pagination import PageNumberPagination
from seabridge.core.types import IsoDate, PathId, RowId
from seabridge.core.views import request_actor, required_actor

router = Router(tags=["agreements"])


class ScopeRowOut(Schema):
    brand: str
    area: str
    countries: list[str]


class CommitmentOut(Schema):
    topic: str
    text: str


class SignatoryOut(Schema):
    name: str
    title: str
    organization: str


class AgreementOut(Schema):
    id: int
    kind: str
    title: str
    grantor: str
    grantee: str
    parent_id: int | None
    status: str
    in_force: bool
    signed_on: date | None
    signed_in: str
    effective_from: date
    effective_to: date | None
    has_document: bool

    @staticmethod
    def resolve_has_document(agreement: Agreement) -> bool:
        return bool(agreement.document)

    @staticmethod
    def resolve_grantor(agreement: Agreement) -> str:
        return agreement.grantor.short_name

    @staticmethod
    def resolve_grantee(agreement: Agreement) -> str:
        return agreement.grantee.short_name

    @staticmethod
    def resolve_in_force(agreement: Agreement) -> bool:
        return agreement.is_in_force()


class AgreementDetailOut(AgreementOut):
    scope: list[ScopeRowOut]
    commitments: list[CommitmentOut]
    signatories: list[SignatoryOut]

    @staticmethod
    def resolve_scope(agreement: Agreement) -> list[dict]:
        return [
            {"brand": row.brand, "area": row.area, "countries": row.countries}
            for row in scope_table(agreement)
        ]

    @staticmethod
    def resolve_commitments(agreement: Agreement) -> list[dict]:
        return [{"topic": item.topic, "text": item.text} for item in agreement.commitments.all()]

    @staticmethod
    def resolve_signatories(agreement: Agreement) -> list[dict]:
        return [
            {"name": person.name, "title": person.title, "organization": str(person.organization)}
            for person in agreement.signatories.select_related("organization")
        ]


class SignatoryIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    title: str = Field("", max_length=200)
    organization_id: RowId


class CommitmentIn(Schema):
    topic: str
    text: str = Field(min_length=1)


class AgreementIn(Schema):
    kind: str
    title: str = Field(min_length=1, max_length=200)
    grantee_id: RowId
    parent_id: RowId | None = None
    effective_from: IsoDate
    effective_to: IsoDate | None = None
    brands: list[RowId] = Field(min_length=1)
    countries: list[str] = []
    regions: list[str] = []
    areas: list[str] = Field(min_length=1)
    commitments: list[CommitmentIn] = []
    signatories: list[SignatoryIn] = []
    notes: str = ""


class AgreementPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    effective_from: IsoDate | None = None
    effective_to: IsoDate | None = None
    brands: list[RowId] | None = Field(None, min_length=1)
    countries: list[str] | None = None
    regions: list[str] | None = None
    areas: list[str] | None = Field(None, min_length=1)
    notes: str | None = None


class SignIn(Schema):
    signed_on: IsoDate
    signed_in: str = Field("", max_length=100)


class MarketViewerOut(Schema):
    organization: str
    areas: list[str]
    agreements: list[int]


@router.get(
    "/",
    response=list[AgreementOut],
    summary="Agreements the caller is party to or whose brands they grant",
)
@paginate(PageNumberPagination)
def agreement_list(request: HttpRequest, filters: Query[AgreementFilter]) -> QuerySet[Agreement]:
    return filters.filter(agreements_visible(request_actor(request)))


@router.post("/", response={201: AgreementDetailOut}, summary="Draft an agreement or a sub-grant")
def agreement_create(request: HttpRequest, payload: AgreementIn) -> Status:
    actor = required_actor(request)
    grantee = Organization.objects.filter(pk=payload.grantee_id).first()
    if grantee is None:
        raise ValidationFailed(fields={"grantee_id": ["There is no such organisation."]})
    parent = agreement_get(actor, payload.parent_id) if payload.parent_id is not None else None
    agreement = services.agreement_create(
        actor=actor,
        kind=payload.kind,
        grantee=grantee,
        title=payload.title,
        effective_from=payload.effective_from,
        effective_to=payload.effective_to,
        parent=parent,
        scope=services.ScopeInput(
            brands=payload.brands,
            countries=payload.countries,
            regions=payload.regions,
            areas=payload.areas,
        ),
        commitments=[(item.topic, item.text) for item in payload.commitments],
        signatories=[
            services.SignatoryInput(person.name, person.title, person.organization_id)
            for person in payload.signatories
        ],
        notes=payload.notes,
    )
    return Status(201, agreement)


@router.get(
    "/market-visibility",
    response=list[MarketViewerOut],
    summary="Who sees a brand in a market (brand owners only)",
)
def agreement_market_visibility(
    request: HttpRequest, brand: int, country: str
) -> list[MarketViewerOut]:
    found = Brand.objects.filter(pk=brand).first()
    if found is None:
        raise NotFound()
    viewers = market_visibility(request_actor(request), brand=found, country_code=country)
    return [
        MarketViewerOut(
            organization=viewer.organization.short_name,
            areas=viewer.areas,
            agreements=[agreement.pk for agreement in viewer.agreements],
        )
        for viewer in viewers
    ]


@router.get(
    "/{agreement_id}", response=AgreementDetailOut, summary="Read an agreement with its scope"
)
def agreement_detail(request: HttpRequest, agreement_id: PathId) -> Agreement:
    return agreement_get(request_actor(request), agreement_id)


@router.patch(
    "/{agreement_id}", response=AgreementDetailOut, summary="Change a draft (grantor's admin)"
)
def agreement_patch(
    request: HttpRequest, agreement_id: PathId, payload: AgreementPatch
) -> Agreement:
    actor = required_actor(request)
    agreement = agreement_get(actor, agreement_id)
    changes = payload.dict(exclude_unset=True)
    scope = None
    if {"brands", "countries", "regions", "areas"} & set(changes):
        current = agreement.scope_entries.all()
        scope = services.ScopeInput(
            brands=changes.get("brands") or sorted({entry.brand_id for entry in current}),
            countries=(changes.get("countries") or [])
            if "countries" in changes or "regions" in changes
            else sorted({entry.country_id for entry in current}),
            regions=changes.get("regions") or [],
            areas=changes.get("areas") or sorted({entry.area for entry in current}),
        )
    return services.agreement_update(
        actor=actor,
        agreement=agreement,
        title=changes.get("title"),
        effective_from=changes.get("effective_from"),
        effective_to=changes.get("effective_to"),
        clear_effective_to="effective_to" in changes and changes["effective_to"] is None,
        scope=scope,
        notes=changes.get("notes"),
    )


@router.post(
    "/{agreement_id}/document",
    response=AgreementDetailOut,
    summary="Attach the signed document to a draft (PDF, Word or image, 20 MB at most)",
)
def agreement_document_upload(
    request: HttpRequest, agreement_id: PathId, document: File[UploadedFile]
) -> Agreement:
    actor = required_actor(request)
    agreement = agreement_get(actor, agreement_id)
    try:
        validate_document(document)
    except DjangoValidationError as error:
        raise ValidationFailed(fields={"document": error.messages}) from error
    return services.agreement_update(actor=actor, agreement=agreement, document=document)


@router.post("/{agreement_id}/sign", response=AgreementOut, summary="Record the signature")
def agreement_sign(request: HttpRequest, agreement_id: PathId, payload: SignIn) -> Agreement:
    actor = required_actor(request)
    agreement = services.agreement_sign(
        actor=actor,
        agreement=agreement_get(actor, agreement_id),
        signed_on=payload.signed_on,
        signed_in=payload.signed_in,
    )
    return agreement


@router.post(
    "/{agreement_id}/activate", response=AgreementOut, summary="Put a signed agreement in force"
)
def agreement_activate(request: HttpRequest, agreement_id: PathId) -> Agreement:
    actor = required_actor(request)
    agreement = services.agreement_activate(
        actor=actor, agreement=agreement_get(actor, agreement_id)
    )
    return agreement


@router.post(
    "/{agreement_id}/terminate",
    response=AgreementOut,
    summary="End an agreement and its sub-grants",
)
def agreement_terminate(request: HttpRequest, agreement_id: PathId) -> Agreement:
    actor = required_actor(request)
    agreement = services.agreement_terminate(
        actor=actor, agreement=agreement_get(actor, agreement_id)
    )
    return agreement
