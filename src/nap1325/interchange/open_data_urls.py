from django.urls import path

from nap1325.interchange import open_data_views as views

app_name = "open_data"

urlpatterns = [
    path("<slug:slug>/", views.index, name="index"),
    path("<slug:slug>/<str:name>", views.download, name="download"),
]
