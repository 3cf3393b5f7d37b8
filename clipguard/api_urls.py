"""The internal API's routes, gathered from each app."""

from rest_framework.routers import DefaultRouter

from clipguard.api.views import AssetViewSet, ConsentViewSet, DatasetViewSet, SubjectViewSet
from governance.api import ApprovalViewSet
from inference.api import JobViewSet

router = DefaultRouter()
router.register("datasets", DatasetViewSet, basename="dataset")
router.register("assets", AssetViewSet, basename="asset")
router.register("subjects", SubjectViewSet, basename="subject")
router.register("consents", ConsentViewSet, basename="consent")
router.register("jobs", JobViewSet, basename="job")
router.register("approvals", ApprovalViewSet, basename="approval")

urlpatterns = router.urls
