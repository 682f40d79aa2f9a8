"""allauth's forms with the project's rule for text (policyhub.forms.RefusesControlCharacters),
named in ACCOUNT_FORMS and MFA_FORMS. Sign-up needs none here: allauth builds its sign-up form on
policyhub.forms.SignupForm (ACCOUNT_SIGNUP_FORM_CLASS), which already has the rule.

Not the token form of a password reset link: nobody types in it, and its values come from
the link's path. A module of its own because allauth's forms module imports
policyhub.forms while it loads."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms

from .forms import RefusesControlCharacters


class LoginForm(RefusesControlCharacters, allauth_forms.LoginForm):
    pass


class AddEmailForm(RefusesControlCharacters, allauth_forms.AddEmailForm):
    pass


class ChangeEmailForm(RefusesControlCharacters, allauth_forms.ChangeEmailForm):
    pass


class ChangePasswordForm(RefusesControlCharacters, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(RefusesControlCharacters, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(RefusesControlCharacters, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(RefusesControlCharacters, allauth_forms.ResetPasswordKeyForm):
    pass


class ReauthenticateForm(RefusesControlCharacters, allauth_forms.ReauthenticateForm):
    pass


class RequestLoginCodeForm(RefusesControlCharacters, allauth_forms.RequestLoginCodeForm):
    pass


class ConfirmLoginCodeForm(RefusesControlCharacters, allauth_forms.ConfirmLoginCodeForm):
    pass


class ConfirmEmailVerificationCodeForm(
    RefusesControlCharacters, allauth_forms.ConfirmEmailVerificationCodeForm
):
    pass


class ConfirmPasswordResetCodeForm(
    RefusesControlCharacters, allauth_forms.ConfirmPasswordResetCodeForm
):
    pass


class ChangePhoneForm(RefusesControlCharacters, allauth_forms.ChangePhoneForm):
    pass


class VerifyPhoneForm(RefusesControlCharacters, allauth_forms.VerifyPhoneForm):
    pass


# --- Two-factor sign-in (MFA_FORMS) -----------------------------------------------------------


class EntersACode(RefusesControlCharacters):
    """The code field of allauth.mfa's forms, asking for what is missing in words."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = (
            "Enter the code from your authenticator app"
        )


class MFAAuthenticateForm(EntersACode, mfa_forms.AuthenticateForm):
    pass


class MFAReauthenticateForm(EntersACode, mfa_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(EntersACode, totp_forms.ActivateTOTPForm):
    pass
