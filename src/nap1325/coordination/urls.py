"""Working group, events, agenda, attendance, minutes and media coverage."""

from django.urls import path

from nap1325.coordination import views

app_name = "coordination"

EVENT = "<slug:slug>/events/<int:pk>/"

urlpatterns = [
    path("<slug:slug>/working-group/", views.working_group, name="group"),
    path("<slug:slug>/working-group/edit/", views.group_edit, name="group_edit"),
    path("<slug:slug>/working-group/members/new/", views.member_add, name="member_add"),
    path("<slug:slug>/working-group/members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path(
        "<slug:slug>/working-group/members/<int:pk>/leave/",
        views.member_leave,
        name="member_leave",
    ),
    path("<slug:slug>/events/", views.event_list, name="events"),
    path("<slug:slug>/events/new/", views.event_create, name="event_create"),
    path(EVENT, views.event_detail, name="event"),
    path(EVENT + "edit/", views.event_edit, name="event_edit"),
    path(EVENT + "minutes/", views.event_minutes, name="event_minutes"),
    path(EVENT + "publish/", views.event_publish, name="event_publish"),
    path(EVENT + "agenda/new/", views.agenda_add, name="agenda_add"),
    path(EVENT + "agenda/<int:item_pk>/edit/", views.agenda_edit, name="agenda_edit"),
    path(EVENT + "agenda/<int:item_pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path(EVENT + "agenda/<int:item_pk>/outcomes/new/", views.outcome_add, name="outcome_add"),
    path(EVENT + "attendance/new/", views.attendance_add, name="attendance_add"),
    path(
        EVENT + "attendance/<int:row_pk>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path(EVENT + "documents/new/", views.document_add, name="document_add"),
    path(EVENT + "documents/<int:doc_pk>/", views.document_download, name="document"),
    path(EVENT + "documents/<int:doc_pk>/remove/", views.document_remove, name="document_remove"),
    path("<slug:slug>/media/", views.media_list, name="media"),
    path("<slug:slug>/media/new/", views.media_add, name="media_add"),
    path("<slug:slug>/media/<int:pk>/edit/", views.media_edit, name="media_edit"),
    path("<slug:slug>/media/<int:pk>/remove/", views.media_remove, name="media_remove"),
]
