from django.urls import path

from providers import api, views

app_name = "providers"
T = api.TRANSITION_VIEWS

# Not <int:pk>: an id that is not a number (or is negative) must get the API's JSON 404, not Django's
# HTML page; the selectors answer "not found" for it, and the schema still declares the id an integer.
api_urlpatterns = [
    # the public catalogue
    path("catalog/programs/", api.CatalogueProgrammeListApi.as_view(), name="api-catalog-programs"),
    path("catalog/programs/<str:pk>/", api.CatalogueProgrammeDetailApi.as_view(), name="api-catalog-program"),
    path("catalog/events/", api.CatalogueEventListApi.as_view(), name="api-catalog-events"),
    path("catalog/events/<str:pk>/", api.CatalogueEventDetailApi.as_view(), name="api-catalog-event"),
    path("catalog/modules/", api.CatalogueModuleListApi.as_view(), name="api-catalog-modules"),
    path("catalog/modules/<str:pk>/", api.CatalogueModuleDetailApi.as_view(), name="api-catalog-module"),
    path("catalog/modules/<str:pk>/reaction/", api.ModuleReactionApi.as_view(), name="api-catalog-module-reaction"),
    # provider staff: their own organisations' data only
    path("provider/organizations/", api.ProviderOrganisationListApi.as_view(), name="api-provider-organizations"),
    path("provider/programs/", api.ProviderProgrammeListApi.as_view(), name="api-provider-programs"),
    path("provider/programs/<str:pk>/", api.ProviderProgrammeDetailApi.as_view(), name="api-provider-program"),
    path("provider/programs/<str:pk>/submit/", T["program-submit"].as_view(), name="api-provider-program-submit"),
    path("provider/programs/<str:pk>/archive/", T["program-archive"].as_view(), name="api-provider-program-archive"),
    path("provider/programs/<str:pk>/cycles/", api.ProviderCycleListApi.as_view(), name="api-provider-program-cycles"),
    path("provider/cycles/", api.ProviderAllCyclesApi.as_view(), name="api-provider-cycles"),
    path("provider/cycles/<str:pk>/", api.ProviderCycleDetailApi.as_view(), name="api-provider-cycle"),
    path("provider/events/", api.ProviderEventListApi.as_view(), name="api-provider-events"),
    path("provider/events/<str:pk>/", api.ProviderEventDetailApi.as_view(), name="api-provider-event"),
    path("provider/events/<str:pk>/submit/", T["event-submit"].as_view(), name="api-provider-event-submit"),
    path("provider/events/<str:pk>/archive/", T["event-archive"].as_view(), name="api-provider-event-archive"),
    path("provider/events/<str:pk>/codes/", api.ProviderEventCodesApi.as_view(), name="api-provider-event-codes"),
    path("provider/modules/", api.ProviderModuleListApi.as_view(), name="api-provider-modules"),
    path("provider/modules/<str:pk>/", api.ProviderModuleDetailApi.as_view(), name="api-provider-module"),
    path("provider/modules/<str:pk>/submit/", T["module-submit"].as_view(), name="api-provider-module-submit"),
    path("provider/modules/<str:pk>/archive/", T["module-archive"].as_view(), name="api-provider-module-archive"),
    path(
        "provider/modules/<str:pk>/completions/",
        api.ProviderModuleCompletionApi.as_view(),
        name="api-provider-module-completions",
    ),
    # the methodologist's review
    path("review/organizations/", api.review_queue_view("organizations"), name="api-review-organizations"),
    path("review/organizations/<str:pk>/approve/", T["organization-approve"].as_view(), name="api-review-org-approve"),
    path("review/organizations/<str:pk>/reject/", T["organization-reject"].as_view(), name="api-review-org-reject"),
    path("review/organizations/<str:pk>/return/", T["organization-return"].as_view(), name="api-review-org-return"),
    path("review/programs/", api.review_queue_view("programs"), name="api-review-programs"),
    path("review/programs/<str:pk>/approve/", T["program-approve"].as_view(), name="api-review-program-approve"),
    path("review/programs/<str:pk>/reject/", T["program-reject"].as_view(), name="api-review-program-reject"),
    path("review/events/", api.review_queue_view("events"), name="api-review-events"),
    path("review/events/<str:pk>/approve/", T["event-approve"].as_view(), name="api-review-event-approve"),
    path("review/events/<str:pk>/reject/", T["event-reject"].as_view(), name="api-review-event-reject"),
    path("review/modules/", api.review_queue_view("modules"), name="api-review-modules"),
    path("review/modules/<str:pk>/approve/", T["module-approve"].as_view(), name="api-review-module-approve"),
    path("review/modules/<str:pk>/reject/", T["module-reject"].as_view(), name="api-review-module-reject"),
]

urlpatterns = views.urlpatterns
