from django.contrib import admin

from seabridge.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "kind", "organization", "created_by", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["filename", "checksum"]
    readonly_fields = [field.name for field in ImportBatch._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
