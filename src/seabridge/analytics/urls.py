from django.urls import path

from seabridge.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("chart/<slug:name>.<slug:format>", views.chart_export, name="chart"),
]
