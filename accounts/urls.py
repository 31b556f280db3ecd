from django.urls import path

from accounts import api, views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("profile/", views.profile, name="profile"),
    path("documents/", views.documents, name="documents"),
    path("documents/add/", views.document_add, name="document-add"),
    path("documents/<int:document_id>/edit/", views.document_edit, name="document-edit"),
    path("documents/<int:document_id>/delete/", views.document_remove, name="document-delete"),
]

api_urlpatterns = [
    path("auth/register/", api.RegisterApi.as_view(), name="api-register"),
    path("auth/token/", api.TokenApi.as_view(), name="api-token"),
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("me/documents/", api.DocumentListCreateApi.as_view(), name="api-documents"),
    # Not <int:>: an id that is not a number must get the API's JSON 404, not Django's HTML page
    # (the selector treats it as "not found"); the schema still declares the id an integer.
    path("me/documents/<str:document_id>/", api.DocumentDetailApi.as_view(), name="api-document"),
]
