from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents, open by default; restriction only with a recorded justification."""

    name = "documents"

    def ready(self) -> None:
        """Tell the meetings app's Chatham House check the names of documents' authors, so
        notes that attribute a view to one of them are caught (meetings may not import
        this app, so it is given a source instead)."""
        from meetings.organisations import register_organisation_source

        from .models import Organisation

        register_organisation_source(
            "documents.Organisation",
            lambda: Organisation.objects.values_list("name", flat=True),
        )
        # What documents hold about a person, for "Your data" (the core may not import
        # this app). Who saved, uploaded or restricted is forgotten with the account
        # (on_delete=SET_NULL); the documents and their organisations stay.
        from policyhub.your_data import register_source

        from .services import your_data

        register_source("documents", title="Documents", export=your_data)
