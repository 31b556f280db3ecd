"""A private endpoint with the project's default API permissions, for the 401 test."""

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class PrivateApi(APIView):
    def get(self, request: Request) -> Response:
        return Response({"ok": True})


urlpatterns = [path("api/v1/private/", PrivateApi.as_view())]
