"""URLs of credentials, projects, job templates, jobs and the smaller resources."""
urlpatterns = []
