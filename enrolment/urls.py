from django.urls import path

from enrolment import api, views

app_name = "enrolment"

urlpatterns = [
    # the specialist
    path("me/applications/", views.my_applications, name="my-applications"),
    path("me/applications/<int:pk>/", views.my_application, name="my-application"),
    path("me/applications/<int:pk>/cancel/", views.my_application_cancel, name="my-application-cancel"),
    path("me/applications/<int:pk>/pdf/", views.my_application_pdf, name="my-application-pdf"),
    path("me/applications/<int:pk>/dispute/", views.my_dispute_open, name="my-dispute-open"),
    path("me/disputes/<int:pk>/", views.my_dispute, name="my-dispute"),
    path("cycles/<int:pk>/apply/", views.apply, name="apply"),
    # provider staff
    path("provider/enrolment/", views.provider_home, name="provider-home"),
    path("provider/cycles/<int:pk>/applications/", views.provider_applications, name="provider-applications"),
    path("provider/cycles/<int:pk>/applications/export/", views.provider_export, name="provider-export"),
    path("provider/applications/<int:pk>/decide/", views.provider_decide, name="provider-decide"),
    path("provider/cycles/<int:pk>/enrol/", views.provider_enrol_by_snils, name="provider-enrol"),
    path("provider/cycles/<int:pk>/results/", views.provider_results, name="provider-results"),
    path("provider/disputes/<int:pk>/", views.provider_dispute, name="provider-dispute"),
    # methodologists
    path("methodologist/enrolment/", views.methodologist_overview, name="methodologist-overview"),
    path("methodologist/disputes/<int:pk>/", views.methodologist_dispute, name="methodologist-dispute"),
]

api_urlpatterns = [
    path("me/applications/", api.MyApplicationsApi.as_view(), name="api-my-applications"),
    path("me/applications/<int:pk>/", api.MyApplicationDetailApi.as_view(), name="api-my-application"),
    path("me/applications/<int:pk>/cancel/", api.MyApplicationCancelApi.as_view(), name="api-my-application-cancel"),
    path("me/applications/<int:pk>/pdf/", api.MyApplicationPdfApi.as_view(), name="api-my-application-pdf"),
    path("me/disputes/", api.MyDisputesApi.as_view(), name="api-my-disputes"),
    path("me/disputes/<int:pk>/", api.MyDisputeDetailApi.as_view(), name="api-my-dispute"),
    path("provider/cycles/<int:pk>/applications/", api.CycleApplicationsApi.as_view(), name="api-cycle-applications"),
    path(
        "provider/cycles/<int:pk>/applications/export/",
        api.CycleApplicationsExportApi.as_view(),
        name="api-cycle-applications-export",
    ),
    path("provider/applications/<int:pk>/enroll/", api.ApplicationEnrollApi.as_view(), name="api-application-enroll"),
    path("provider/applications/<int:pk>/reject/", api.ApplicationRejectApi.as_view(), name="api-application-reject"),
    path("provider/cycles/<int:pk>/enrollments/", api.CycleEnrollmentsApi.as_view(), name="api-cycle-enrollments"),
    path("provider/learners/validate/", api.LearnerValidateApi.as_view(), name="api-learner-validate"),
    path("provider/cycles/<int:pk>/results/", api.CycleResultsApi.as_view(), name="api-cycle-results"),
    path("provider/disputes/", api.StaffDisputesApi.as_view(), name="api-provider-disputes"),
    path("provider/disputes/<int:pk>/answer/", api.DisputeAnswerApi.as_view(), name="api-dispute-answer"),
]
