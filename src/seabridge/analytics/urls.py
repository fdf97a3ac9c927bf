app_name = "analytics"

urlpatterns: list = []  # the dashboard's pages
