from django.urls import path

from reference import api

app_name = "reference"

api_urlpatterns = [
    path("reference/specialties/", api.SpecialtyListApi.as_view(), name="api-specialties"),
    path("reference/regions/", api.RegionListApi.as_view(), name="api-regions"),
]
