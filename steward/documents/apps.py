from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The copy-of-record store (issued PDFs and spreadsheets), below every domain that issues documents.

    The label stays "reports": the table (`reports_issueddocument`), its append-only trigger, the migration
    history recorded in every enterprise schema and the template snapshot keep their names, so moving the
    store out of the rendering package changed no schema anywhere. `reports/` is no longer an app.
    """

    name = "steward.documents"
    label = "reports"
    verbose_name = "出具文件"
