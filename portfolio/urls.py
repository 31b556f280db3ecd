from __future__ import annotations

from django.urls import path

from portfolio import api, views

app_name = "portfolio"

urlpatterns = [
    path("cycles/", views.cycles_page, name="cycles"),
    path("cycles/<int:cycle_id>/", views.cycle_page, name="cycle"),
    path("cycles/<int:cycle_id>/portfolio/", views.portfolio_page, name="portfolio"),
    path("cycles/<int:cycle_id>/portfolio/pdf/", views.portfolio_pdf_request_view, name="portfolio-pdf-request"),
    path("portfolio/", views.portfolio_home, name="home"),
    path("portfolio/pdf/<int:pdf_id>/", views.portfolio_pdf_page, name="pdf"),
    path("portfolio/pdf/<int:pdf_id>/download/", views.portfolio_pdf_download, name="pdf-download"),
    path("codes/", views.code_activate_page, name="code-activate"),
    path("codes/<int:activation_id>/", views.code_activation_page, name="code-activation"),
    path("verify/<str:code>/", views.verify_page, name="verify"),
]

# API ids are <str:>: an id that is not a number gets the API's JSON 404 from the selector, not
# Django's HTML page; the schema declares them integers (OpenApiParameter in api.py).
api_urlpatterns = [
    path("me/cycles/", api.CyclesApi.as_view(), name="api-cycles"),
    path("me/cycles/<str:cycle_id>/", api.CycleApi.as_view(), name="api-cycle"),
    path("me/cycles/<str:cycle_id>/portfolio/", api.PortfolioApi.as_view(), name="api-portfolio"),
    path("me/cycles/<str:cycle_id>/portfolio/pdf/", api.PortfolioPdfRequestApi.as_view(), name="api-portfolio-pdf"),
    path("me/portfolio-pdfs/<str:pdf_id>/", api.PortfolioPdfApi.as_view(), name="api-portfolio-pdf-detail"),
    path("me/portfolio-pdfs/<str:pdf_id>/file/", api.PortfolioPdfFileApi.as_view(), name="api-portfolio-pdf-file"),
    path("me/code-activations/", api.CodeActivationsApi.as_view(), name="api-code-activations"),
    path("me/code-activations/<str:activation_id>/", api.CodeActivationApi.as_view(), name="api-code-activation"),
]
