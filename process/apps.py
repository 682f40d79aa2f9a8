from django.apps import AppConfig


class ProcessConfig(AppConfig):
    """Processes and their dated steps: the timeline everything else hangs from."""

    name = "process"
    verbose_name = "Processes and steps"
