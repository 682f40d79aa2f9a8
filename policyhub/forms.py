"""Account forms: sign-up (through allauth) and editing one's own profile."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from .models import Sector, User


class ProfileFieldsMixin(forms.Form):
    display_name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text="Shown to others on member lists and meeting attendance records.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your name"},
    )
    organisation = forms.CharField(
        label="Organisation (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text="The department, organisation or institution you work for, if any.",
    )
    sector = forms.ChoiceField(
        label="Which best describes you?",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which best describes you"},
    )


class SignupForm(ProfileFieldsMixin):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    def signup(self, request: HttpRequest, user: User) -> None:
        """Called by allauth inside its sign-up; allauth saves the user afterwards."""
        user.display_name = self.cleaned_data["display_name"]
        user.organisation = self.cleaned_data["organisation"]
        user.sector = self.cleaned_data["sector"]
        user.save(update_fields=["display_name", "organisation", "sector"])


class ProfileForm(forms.ModelForm):
    display_name = ProfileFieldsMixin.base_fields["display_name"]
    organisation = ProfileFieldsMixin.base_fields["organisation"]
    sector = ProfileFieldsMixin.base_fields["sector"]

    class Meta:
        model = User
        fields = ["display_name", "organisation", "sector"]
