"""The internal API's routes, gathered from each app."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from clipguard.api.views import AssetViewSet, ConsentViewSet, DatasetViewSet, SubjectViewSet
from governance.api import ApprovalViewSet, RecordsOfProcessingView, StopSwitchViewSet
from inference.api import JobViewSet

router = DefaultRouter()
router.register("datasets", DatasetViewSet, basename="dataset")
router.register("assets", AssetViewSet, basename="asset")
router.register("subjects", SubjectViewSet, basename="subject")
router.register("consents", ConsentViewSet, basename="consent")
router.register("jobs", JobViewSet, basename="job")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("stop-switches", StopSwitchViewSet, basename="stop-switch")

urlpatterns = [
    path(
        "records-of-processing/",
        RecordsOfProcessingView.as_view(),
        name="records-of-processing",
    ),
    *router.urls,
]
