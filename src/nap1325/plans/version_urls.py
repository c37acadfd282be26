from django.urls import path

from nap1325.plans import version_views as views

app_name = "versions"

urlpatterns = [
    path("<slug:slug>/versions/", views.version_list, name="list"),
    path("<slug:slug>/versions/new/", views.version_create, name="create"),
    path("<slug:slug>/versions/compare/", views.version_compare, name="compare"),
    path("<slug:slug>/versions/<int:number>/", views.version_detail, name="detail"),
    path("<slug:slug>/versions/<int:number>/edit/", views.version_edit, name="edit"),
    path("<slug:slug>/adopt/", views.plan_adopt, name="adopt"),
]
