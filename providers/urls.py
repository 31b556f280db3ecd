from django.urls import path

from providers import api, views

app_name = "providers"
T = api.TRANSITION_VIEWS

api_urlpatterns = [
    # the public catalogue
    path("catalog/programs/", api.CatalogueProgrammeListApi.as_view(), name="api-catalog-programs"),
    path("catalog/programs/<int:pk>/", api.CatalogueProgrammeDetailApi.as_view(), name="api-catalog-program"),
    path("catalog/events/", api.CatalogueEventListApi.as_view(), name="api-catalog-events"),
    path("catalog/events/<int:pk>/", api.CatalogueEventDetailApi.as_view(), name="api-catalog-event"),
    path("catalog/modules/", api.CatalogueModuleListApi.as_view(), name="api-catalog-modules"),
    path("catalog/modules/<int:pk>/", api.CatalogueModuleDetailApi.as_view(), name="api-catalog-module"),
    path("catalog/modules/<int:pk>/reaction/", api.ModuleReactionApi.as_view(), name="api-catalog-module-reaction"),
    # provider staff: their own organisations' data only
    path("provider/organizations/", api.ProviderOrganisationListApi.as_view(), name="api-provider-organizations"),
    path("provider/programs/", api.ProviderProgrammeListApi.as_view(), name="api-provider-programs"),
    path("provider/programs/<int:pk>/", api.ProviderProgrammeDetailApi.as_view(), name="api-provider-program"),
    path("provider/programs/<int:pk>/submit/", T["program-submit"].as_view(), name="api-provider-program-submit"),
    path("provider/programs/<int:pk>/archive/", T["program-archive"].as_view(), name="api-provider-program-archive"),
    path("provider/programs/<int:pk>/cycles/", api.ProviderCycleListApi.as_view(), name="api-provider-program-cycles"),
    path("provider/cycles/", api.ProviderAllCyclesApi.as_view(), name="api-provider-cycles"),
    path("provider/cycles/<int:pk>/", api.ProviderCycleDetailApi.as_view(), name="api-provider-cycle"),
    path("provider/events/", api.ProviderEventListApi.as_view(), name="api-provider-events"),
    path("provider/events/<int:pk>/", api.ProviderEventDetailApi.as_view(), name="api-provider-event"),
    path("provider/events/<int:pk>/submit/", T["event-submit"].as_view(), name="api-provider-event-submit"),
    path("provider/events/<int:pk>/archive/", T["event-archive"].as_view(), name="api-provider-event-archive"),
    path("provider/events/<int:pk>/codes/", api.ProviderEventCodesApi.as_view(), name="api-provider-event-codes"),
    path("provider/modules/", api.ProviderModuleListApi.as_view(), name="api-provider-modules"),
    path("provider/modules/<int:pk>/", api.ProviderModuleDetailApi.as_view(), name="api-provider-module"),
    path("provider/modules/<int:pk>/submit/", T["module-submit"].as_view(), name="api-provider-module-submit"),
    path("provider/modules/<int:pk>/archive/", T["module-archive"].as_view(), name="api-provider-module-archive"),
    path(
        "provider/modules/<int:pk>/completions/",
        api.ProviderModuleCompletionApi.as_view(),
        name="api-provider-module-completions",
    ),
    # the methodologist's review
    path("review/organizations/", api.review_queue_view("organizations"), name="api-review-organizations"),
    path("review/organizations/<int:pk>/approve/", T["organization-approve"].as_view(), name="api-review-org-approve"),
    path("review/organizations/<int:pk>/reject/", T["organization-reject"].as_view(), name="api-review-org-reject"),
    path("review/organizations/<int:pk>/return/", T["organization-return"].as_view(), name="api-review-org-return"),
    path("review/programs/", api.review_queue_view("programs"), name="api-review-programs"),
    path("review/programs/<int:pk>/approve/", T["program-approve"].as_view(), name="api-review-program-approve"),
    path("review/programs/<int:pk>/reject/", T["program-reject"].as_view(), name="api-review-program-reject"),
    path("review/events/", api.review_queue_view("events"), name="api-review-events"),
    path("review/events/<int:pk>/approve/", T["event-approve"].as_view(), name="api-review-event-approve"),
    path("review/events/<int:pk>/reject/", T["event-reject"].as_view(), name="api-review-event-reject"),
    path("review/modules/", api.review_queue_view("modules"), name="api-review-modules"),
    path("review/modules/<int:pk>/approve/", T["module-approve"].as_view(), name="api-review-module-approve"),
    path("review/modules/<int:pk>/reject/", T["module-reject"].as_view(), name="api-review-module-reject"),
]

urlpatterns = views.urlpatterns
