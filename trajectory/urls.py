from __future__ import annotations

from django.urls import path

from trajectory import api, views

app_name = "trajectory"

urlpatterns = [
    path("plan/", views.plan_home, name="plan-home"),
    path("cycles/<int:cycle_id>/plan/", views.plan_page, name="plan"),
    path("cycles/<int:cycle_id>/plan/add/", views.plan_add, name="plan-add"),
    path("cycles/<int:cycle_id>/plan/<int:item_id>/remove/", views.plan_remove, name="plan-remove"),
]

# API ids are <str:>: an id that is not a number gets the API's JSON 404 from the selector, not
# Django's HTML page; the schema declares them integers (OpenApiParameter in api.py).
api_urlpatterns = [
    path("me/cycles/<str:cycle_id>/plan/", api.PlanApi.as_view(), name="api-plan"),
    path("me/cycles/<str:cycle_id>/plan/<str:item_id>/", api.PlanItemApi.as_view(), name="api-plan-item"),
]
