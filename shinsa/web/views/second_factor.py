"""The second factor in the console: enrol an authenticator (QR code drawn on the server as SVG, and the
secret as text), then verify a code at each sign-in. ``SecondFactorMiddleware`` sends people who need
it here until their session is verified."""

from __future__ import annotations

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from shinsa.accounts.second_factor import (
    SecondFactorError,
    confirmed_device,
    do_confirm_totp_device,
    do_start_totp_enrolment,
    secret_base32,
    verify_code,
)


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code from your authenticator app"), max_length=12, strip=True)


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("web:home")


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    if confirmed_device(request.user) is not None:
        return HttpResponseRedirect(f"{reverse('web:two_factor_verify')}?next={_next(request)}")
    device = do_start_totp_enrolment(actor=request.user, user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = do_confirm_totp_device(actor=request.user, device=device, code=form.cleaned_data["code"])
        except SecondFactorError as error:
            form.add_error("code", str(error))
        else:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
    secret = secret_base32(device)
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title=_("QR code to add Shinsa to your authenticator app")
    )
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(
        request,
        "web/pages/two_factor_enrol.html",
        {"form": form, "qr_svg": qr, "secret": grouped, "next": _next(request)},
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        return HttpResponseRedirect(f"{reverse('web:two_factor_enrol')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verify_code(device, form.cleaned_data["code"]):
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("code", _("That code is not right, or was already used. Wait for the next one."))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "web/pages/two_factor_verify.html", {"form": form, "next": _next(request)}, status=status
    )


def redirect_to_second_factor(request: HttpRequest) -> HttpResponse:
    """Where the middleware sends a person whose session is not verified yet."""
    name = "web:two_factor_verify" if confirmed_device(request.user) else "web:two_factor_enrol"
    return HttpResponseRedirect(f"{reverse(name)}?next={request.get_full_path()}")
