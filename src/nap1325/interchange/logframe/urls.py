from django.urls import path

from nap1325.interchange.logframe import views

app_name = "logframe"

urlpatterns = [
    path("<slug:slug>/logframe/", views.index, name="index"),
    path("<slug:slug>/logframe/download/", views.download, name="download"),
    path("<slug:slug>/logframe/upload/", views.upload, name="upload"),
    path("<slug:slug>/logframe/preview/<int:pk>/", views.preview, name="preview"),
]
