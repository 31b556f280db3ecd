"""The project's URLs plus two patterns no row covers: the matrix must name both."""

from django.http import HttpResponse
from django.urls import path

from nmo_portal.urls import urlpatterns as project_urlpatterns


def _view(request: object) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [
    *project_urlpatterns,
    path("api/v1/new/", _view, name="new-endpoint"),
    path("unnamed/", _view),
]
