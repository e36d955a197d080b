from django.contrib.admin.apps import AdminConfig as BaseAdminConfig


class AdminConfig(BaseAdminConfig):
    """The Django admin, on a site that asks for the second factor where it is owed."""

    default_site = "dangvien.accounts.admin_site.AdminSite"
