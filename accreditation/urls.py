from django.urls import path

from accreditation import api, views

app_name = "accreditation"

urlpatterns = [
    path("accreditation/", views.home, name="home"),
    path("accreditation/apply/", views.application_create, name="application-create"),
    path("accreditation/applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("accreditation/applications/<int:pk>/<slug:action>/", views.application_action, name="application-action"),
    path("accreditation/applications/<int:pk>/files/<int:file_pk>/", views.application_file, name="application-file"),
    path("accreditation/queue/", views.queue, name="queue"),
    path("accreditation/commission/", views.queue, {"default_status": "under_review"}, name="commission"),
    path("accreditation/queue/<int:pk>/", views.queue_detail, name="queue-detail"),
    path("accreditation/queue/<int:pk>/<slug:action>/", views.queue_action, name="queue-action"),
    path("accreditation/protocols/<uuid:public_id>/", views.protocol_public, name="protocol-public"),
    path("accreditation/protocols/<uuid:public_id>/pdf/", views.protocol_pdf, name="protocol-pdf"),
]

_me = "me/accreditation-applications/"
_staff = "accreditation/applications/"
# Ids in API paths are matched as text and resolved by the selectors, so that a malformed id is the
# API's JSON 404 rather than the HTML 404 of an unmatched URL.
api_urlpatterns = [
    path(_me, api.MyApplicationsApi.as_view(), name="api-my-accreditation-applications"),
    path(f"{_me}<str:pk>/", api.MyApplicationDetailApi.as_view(), name="api-my-accreditation-application"),
    path(f"{_me}<str:pk>/report/", api.MyApplicationReportApi.as_view(), name="api-my-accreditation-report"),
    path(f"{_me}<str:pk>/files/", api.MyApplicationFilesApi.as_view(), name="api-my-accreditation-files"),
    path(f"{_me}<str:pk>/submit/", api.MyApplicationSubmitApi.as_view(), name="api-my-accreditation-submit"),
    path(_staff, api.StaffApplicationsApi.as_view(), name="api-accreditation-applications"),
    path(f"{_staff}<str:pk>/", api.StaffApplicationDetailApi.as_view(), name="api-accreditation-application"),
    path(f"{_staff}<str:pk>/register/", api.RegisterApi.as_view(), name="api-accreditation-register"),
    path(f"{_staff}<str:pk>/return/", api.ReturnApi.as_view(), name="api-accreditation-return"),
    path(f"{_staff}<str:pk>/to-commission/", api.ToCommissionApi.as_view(), name="api-accreditation-to-commission"),
    path(f"{_staff}<str:pk>/decide/", api.DecideApi.as_view(), name="api-accreditation-decide"),
    path(f"{_staff}<str:pk>/publish/", api.PublishApi.as_view(), name="api-accreditation-publish"),
]
