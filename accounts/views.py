"""Pages: registration, "Мой профиль", "Пятилетние циклы и документы". Thin: parse, call a
service, render or redirect. Login, logout, recovery and e-mail/password change are allauth's
views with our forms and templates."""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.utils import complete_signup
from allauth.account.views import password_reset as allauth_password_reset
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import DocumentForm, ProfileForm, RegistrationForm, apply_errors
from accounts.models import Document, Role, User
from accounts.selectors import document_get, document_list, user_role_list
from accounts.services import (
    CITIZENSHIPS,
    document_create,
    document_delete,
    document_update,
    user_profile_update,
    user_register,
)
from nmo_portal.lib.exceptions import ApplicationError, NotFound
from nmo_portal.lib.throttling import page_throttle

BACKEND = "accounts.backends.SnilsOrEmailBackend"


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _my_document(request: HttpRequest, document_id: int) -> Document:
    """The viewer's own document, or a 404 page (someone else's is not told apart from a missing one)."""
    try:
        return document_get(user=_me(request), document_id=document_id)
    except NotFound as error:
        raise Http404(str(error.message)) from error


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """allauth's recovery page, rationed per address (DRF scope ``password_reset``): the page
    answers alike for every SNILS, and the rate stops it being used to flood mailboxes."""
    if request.method == "POST" and (throttled := page_throttle(request, "password_reset")) is not None:
        return throttled
    response: HttpResponse = allauth_password_reset(request)
    return response


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    if request.method == "POST" and (throttled := page_throttle(request, "register")) is not None:
        return throttled
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_register(**form.cleaned_data)
        except ApplicationError as error:
            apply_errors(form, error)
        else:
            user.backend = BACKEND  # type: ignore[attr-defined]
            # allauth mails the confirmation link and, unless confirmation is mandatory, signs in.
            return complete_signup(request, user, allauth_settings.EMAIL_VERIFICATION, reverse("accounts:profile"))
    return render(request, "accounts/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user_profile_update(user=user, by=user, **form.cleaned_data)
        except ApplicationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Профиль сохранён."))
            return redirect("accounts:profile")
    context = {
        "form": form,
        "person": user,
        "roles": [Role(role) for role in user_role_list(user=user)],
        "citizenship": dict(CITIZENSHIPS).get(user.citizenship, user.citizenship),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET"])
def documents(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    return render(request, "accounts/documents.html", {"documents": list(document_list(user=user))})


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = DocumentForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            document_create(owner=user, by=user, **form.cleaned_data)
        except ApplicationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Документ добавлен."))
            return redirect("accounts:documents")
    return render(request, "accounts/document_form.html", {"form": form, "document": None})


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, document_id: int) -> HttpResponse:
    user = _me(request)
    document = _my_document(request, document_id)
    initial: dict[str, Any] = {
        "kind": document.kind,
        "accreditation_type": document.accreditation_type,
        "is_record": document.is_record,
        "specialty": document.specialty.code,
        "series": document.series,
        "number": document.number,
        "issued_on": document.issued_on,
    }
    form = DocumentForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document_update(document=document, by=user, **form.cleaned_data)
        except ApplicationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Документ сохранён."))
            return redirect("accounts:documents")
    return render(request, "accounts/document_form.html", {"form": form, "document": document})


@login_required
@require_POST
def document_remove(request: HttpRequest, document_id: int) -> HttpResponse:
    user = _me(request)
    document = _my_document(request, document_id)
    try:
        document_delete(document=document, by=user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Документ удалён."))
    return HttpResponseRedirect(reverse("accounts:documents"))
