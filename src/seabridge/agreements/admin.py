from django.contrib import admin

from seabridge.agreements.models import Agreement, AgreementScopeEntry, Commitment, Signatory


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


class ScopeEntryInline(admin.TabularInline):
    model = AgreementScopeEntry
    extra = 0
    readonly_fields = ["brand", "country", "area"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "grantor",
        "grantee",
        "status",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["title", "grantor__short_name", "grantee__short_name"]
    inlines = [CommitmentInline, SignatoryInline, ScopeEntryInline]
