"""Consultations, inputs and dispositions, coverage, shadow assessments."""

from django.urls import path

from nap1325.participation import views

app_name = "participation"

CONSULTATION = "<slug:slug>/consultations/<int:pk>/"

urlpatterns = [
    path("<slug:slug>/consultations/", views.consultation_list, name="consultations"),
    path("<slug:slug>/consultations/new/", views.consultation_create, name="consultation_create"),
    path(CONSULTATION, views.consultation_detail, name="consultation"),
    path(CONSULTATION + "edit/", views.consultation_edit, name="consultation_edit"),
    path(CONSULTATION + "publish/", views.consultation_publish, name="consultation_publish"),
    path(CONSULTATION + "inputs/new/", views.input_add, name="input_add"),
    path(CONSULTATION + "documents/new/", views.document_add, name="document_add"),
    path(CONSULTATION + "documents/<int:doc_pk>/", views.document_download, name="document"),
    path(
        CONSULTATION + "documents/<int:doc_pk>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path("<slug:slug>/inputs/", views.input_list, name="inputs"),
    path("<slug:slug>/inputs/coverage/", views.coverage, name="coverage"),
    path("<slug:slug>/inputs/<int:pk>/", views.input_detail, name="input"),
    path("<slug:slug>/inputs/<int:pk>/edit/", views.input_edit, name="input_edit"),
    path("<slug:slug>/shadow-assessments/", views.shadow_list, name="shadow"),
    path("<slug:slug>/shadow-assessments/write/", views.shadow_edit, name="shadow_edit"),
    path(
        "<slug:slug>/shadow-assessments/<int:pk>/evidence/",
        views.shadow_evidence,
        name="shadow_evidence",
    ),
]
