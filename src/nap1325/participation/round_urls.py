from django.urls import path

from nap1325.participation import round_views as views

app_name = "rounds"

urlpatterns = [
    path("<slug:slug>/rounds/", views.round_list, name="list"),
    path("<slug:slug>/rounds/new/", views.round_create, name="create"),
    path("<slug:slug>/rounds/<int:pk>/", views.round_detail, name="detail"),
    path("<slug:slug>/rounds/<int:pk>/comment/", views.round_comment, name="comment"),
    path("<slug:slug>/rounds/<int:pk>/manage/", views.round_manage, name="manage"),
    path("<slug:slug>/rounds/<int:pk>/close/", views.round_close, name="close"),
    path(
        "<slug:slug>/rounds/<int:pk>/comments/<int:comment_pk>/resolve/",
        views.comment_resolve,
        name="resolve",
    ),
    path(
        "<slug:slug>/rounds/<int:pk>/comments/<int:comment_pk>/moderate/",
        views.comment_moderate,
        name="moderate",
    ),
    path("<slug:slug>/rounds/<int:pk>/public/", views.public_round, name="public"),
    path(
        "<slug:slug>/rounds/<int:pk>/public/comment/", views.public_comment, name="public_comment"
    ),
]
