"""`python manage.py remove_expired_personal_data`: the retention rule, on demand."""

from django.core.management.base import BaseCommand

from consultation import services


class Command(BaseCommand):
    help = (
        "Remove respondents' email addresses and save-and-return tokens "
        "CONSULTATION_RETENTION_DAYS after each consultation closed."
    )

    def handle(self, *args, **options) -> None:
        changed = services.remove_expired_personal_data()
        self.stdout.write(f"Removed contact details from {changed} responses.")
