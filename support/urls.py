from django.urls import path

from .views import agencies, casework, plans

app_name = "support"

urlpatterns = [
    path("agencies/", agencies.agency_list, name="agencies"),
    path("agencies/new/", agencies.agency_edit, name="agency_new"),
    path("agencies/<int:pk>/", agencies.agency_edit, name="agency_edit"),
    path("cases/<int:pk>/offer/", casework.support_offer_view, name="offer"),
    path(
        "cases/<int:pk>/referrals/<int:referral_pk>/",
        casework.support_referral_update_view,
        name="referral_update",
    ),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/police/",
        casework.police_update_view,
        name="police",
    ),
    path("cases/<int:pk>/safeguarding/", casework.safeguarding_referral_view, name="safeguarding"),
    path("cases/<int:pk>/welfare-call/", casework.welfare_call_view, name="welfare_call"),
    path("cases/<int:pk>/plan/actions/new/", plans.plan_action_add_view, name="plan_action_add"),
    path(
        "cases/<int:pk>/plan/actions/<int:action_pk>/",
        plans.plan_action_update_view,
        name="plan_action_update",
    ),
    path("cases/<int:pk>/plan/agree/", plans.plan_agree_view, name="plan_agree"),
    path("cases/<int:pk>/plan/review/", plans.plan_review_view, name="plan_review"),
    path("cases/<int:pk>/plan/issue/", plans.plan_issue_view, name="plan_issue"),
]
