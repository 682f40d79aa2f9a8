"""allauth's forms with the project's rules for text and messages (policyhub.forms.FormRules),
named in ACCOUNT_FORMS and MFA_FORMS. Sign-up needs none here: allauth builds its sign-up form on
policyhub.forms.SignupForm (ACCOUNT_SIGNUP_FORM_CLASS), which already has the rule.

Not the token form of a password reset link: nobody types in it, and its values come from
the link's path. A module of its own because allauth's forms module imports
policyhub.forms while it loads."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms

from .forms import ACCOUNT_FIELD_MESSAGES, FormRules


class AccountFormRules(FormRules):
    """The project's form rules, with messages for allauth's own fields."""

    field_messages = ACCOUNT_FIELD_MESSAGES


class LoginForm(AccountFormRules, allauth_forms.LoginForm):
    pass


class AddEmailForm(AccountFormRules, allauth_forms.AddEmailForm):
    pass


class ChangeEmailForm(AccountFormRules, allauth_forms.ChangeEmailForm):
    pass


class ChangePasswordForm(AccountFormRules, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(AccountFormRules, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(AccountFormRules, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(AccountFormRules, allauth_forms.ResetPasswordKeyForm):
    pass


class ReauthenticateForm(AccountFormRules, allauth_forms.ReauthenticateForm):
    pass


class RequestLoginCodeForm(AccountFormRules, allauth_forms.RequestLoginCodeForm):
    pass


class ConfirmLoginCodeForm(AccountFormRules, allauth_forms.ConfirmLoginCodeForm):
    pass


class ConfirmEmailVerificationCodeForm(
    AccountFormRules, allauth_forms.ConfirmEmailVerificationCodeForm
):
    pass


class ConfirmPasswordResetCodeForm(AccountFormRules, allauth_forms.ConfirmPasswordResetCodeForm):
    pass


class ChangePhoneForm(AccountFormRules, allauth_forms.ChangePhoneForm):
    pass


class VerifyPhoneForm(AccountFormRules, allauth_forms.VerifyPhoneForm):
    pass


# --- Two-factor sign-in (MFA_FORMS) -----------------------------------------------------------


class EntersACode(AccountFormRules):
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
